import DigitsCore
import DigitsTestSupport
import Testing

/// swift-numerics-style exhaustive loops over small shapes: every activation × sizes {1, 2, 3, 7} ×
/// batches {1, 2, 5}, for single layers and for whole networks with each loss.
@Suite("Shape sweep")
struct ShapeSweepTests {
    static let sizes = [1, 2, 3, 7]
    static let batches = [1, 2, 5]

    /// Calls `body` with every (size, batch) pair.
    static func withEverySizeAndBatch(_ body: (_ size: Int, _ batch: Int) throws -> Void) rethrows {
        for size in sizes { for batch in batches { try body(size, batch) } }
    }

    @Test("Activations, Softmax and Linear: forward is (B, out), backward is (B, in)", arguments: Activation.allCases)
    func layerShapes(activation: Activation) {
        Self.withEverySizeAndBatch { size, batch in
            let x = Matrix.sinePattern(rows: batch, columns: size)
            for layer in [activation.makeLayer(size: size), Softmax(size: size)] {
                // Maxout takes k pieces per unit: its input is k × wider than its output.
                let pieces = layer is MaxoutPool ? Architecture.defaultMaxoutPieces : 1
                #expect(layer.inputSize == pieces * size && layer.outputSize == size)
                let y = layer.forward(.sinePattern(rows: batch, columns: layer.inputSize))
                #expect(y.rows == batch && y.columns == size, "\(type(of: layer)) size \(size) batch \(batch)")
                let dX = layer.backward(y)
                #expect(dX.rows == batch && dX.columns == layer.inputSize, "\(type(of: layer)) size \(size) batch \(batch)")
            }
            for outputs in Self.sizes {
                let linear = Linear(weight: .sinePattern(rows: outputs, columns: size), bias: .sinePattern(rows: 1, columns: outputs))
                let y = linear.forward(x)
                #expect(y.rows == batch && y.columns == outputs)
                let dX = linear.backward(y)
                #expect(dX.rows == batch && dX.columns == size)
                #expect(linear.weightGradient.shape == (outputs, size) && linear.biasGradient.shape == (1, outputs))
            }
        }
    }

    /// The same layer object sees batches of changing sizes (as in training then inference):
    /// outputs must follow and equal what a fresh layer gives.
    @Test("Layers reuse their buffers across changing batch sizes", arguments: Activation.allCases)
    func changingBatchSizes(activation: Activation) {
        let reused = activation.makeLayer(size: 3)
        for batch in [5, 1, 7, 2, 5] {
            let x = Matrix.sinePattern(rows: batch, columns: reused.inputSize, phase: Double(batch))
            let y = reused.forward(x)
            #expect(y == activation.makeLayer(size: 3).forward(x), "batch \(batch)")
        }
    }

    /// Networks size-inputs → 7 → size classes and 3 → size → 2, every activation and loss:
    /// output (B, classes); `probabilities` rows sum to 1; `predictions` is the arg max of the
    /// probabilities; a training step leaves every gradient the shape of its parameter.
    @Test(
        "MLP: shapes, probability rows sum to 1, predictions are the arg max",
        arguments: Activation.allCases, LossFunction.allCases)
    func networks(activation: Activation, loss: LossFunction) throws {
        try Self.withEverySizeAndBatch { size, batch in
            for layerSizes in [[size, 7, size], [3, size, 2], [size, size, size, size]] {
                let architecture = Architecture(layerSizes: layerSizes, activation: activation, loss: loss)
                var generator = SeededGenerator(seed: UInt64(size * 10 + batch))
                let mlp = try MLP(architecture: architecture, generator: &generator)
                let classes = architecture.classCount
                let x = Matrix.sinePattern(rows: batch, columns: architecture.inputSize, phase: 0.3, scale: 2)
                let context = "\(layerSizes), batch \(batch)"

                let output = mlp.forward(x)
                #expect(output.rows == batch && output.columns == classes, "\(context)")
                let p = mlp.probabilities(x)
                #expect(p.rows == batch && p.columns == classes, "\(context)")
                #expect(p.rowSums.allSatisfy { abs($0 - 1) < 1e-5 }, "\(context): \(p.rowSums)")
                #expect(p.elements.allSatisfy { $0 >= 0 && $0 <= 1 }, "\(context)")
                #expect(mlp.predictions(x) == (0..<batch).map { argmax(p, row: $0) }, "\(context)")

                let labels = (0..<batch).map { $0 % classes }
                let (value, _) = mlp.computeGradients(input: x, targets: .oneHot(labels, classes: classes))
                #expect(value.isFinite && value >= 0, "\(context)")
                for linear in mlp.linearLayers {
                    #expect(linear.weightGradient.shape == linear.weight.shape && linear.biasGradient.shape == linear.bias.shape)
                }
            }
        }
    }
}
