import DigitsCore
import DigitsTestSupport
import Testing

/// Forward passes with constant or hand-set weights whose outputs can be worked by hand
/// (tiny-dnn's and genann's habit), and the structure of an MLP.
@Suite("Layers and networks with known outputs")
struct LayerTests {
    /// W all 0.5, b all 0.25, x = (1, 2, 3): every output is 0.5·(1 + 2 + 3) + 0.25 = 3.25.
    /// Second example x = (−1, 0, 4): 0.5·3 + 0.25 = 1.75.
    @Test("Linear with constant weights")
    func linearConstantWeights() {
        let linear = Linear(weight: Matrix(rows: 2, columns: 3, repeating: 0.5), bias: Matrix(rows: 1, columns: 2, repeating: 0.25))
        #expect(linear.inputSize == 3 && linear.outputSize == 2 && linear.hasBias)
        #expect(linear.forward(Matrix([[1, 2, 3], [-1, 0, 4]])) == Matrix([[3.25, 3.25], [1.75, 1.75]]))
    }

    /// All-zero weights: the output is the bias in every row, whatever the input.
    @Test("Linear with zero weights outputs its bias")
    func linearZeroWeights() {
        let linear = Linear(weight: Matrix(rows: 3, columns: 2), bias: Matrix([[1, -2, 0.5]]))
        #expect(linear.forward(Matrix([[100, -7], [3, 3]])) == Matrix([[1, -2, 0.5], [1, -2, 0.5]]))
    }

    /// Row i of W is unit i: W = [[1, 2], [3, 4], [5, 6]], x = (1, 10), b = (0.5, 0, −0.5):
    /// y = (1 + 20 + 0.5, 3 + 40, 5 + 60 − 0.5) = (21.5, 43, 64.5). Backward with dY = (1, 0, 0)
    /// picks row 0 of W for dX and puts x in row 0 of dW.
    @Test("Linear: row i of W feeds output i")
    func linearRowConvention() {
        let linear = Linear(weight: Matrix([[1, 2], [3, 4], [5, 6]]), bias: Matrix([[0.5, 0, -0.5]]))
        #expect(linear.forward(Matrix([[1, 10]])) == Matrix([[21.5, 43, 64.5]]))
        #expect(linear.backward(Matrix([[1, 0, 0]])) == Matrix([[1, 2]]))
        #expect(linear.weightGradient == Matrix([[1, 10], [0, 0], [0, 0]]))
        #expect(linear.biasGradient == Matrix([[1, 0, 0]]))
    }

    static let probe = Matrix([[-2, -0.5, 0, 0.5, 2]])

    /// ReLU: max(0, x); slope 0 left of 0 and at 0, 1 right of it.
    /// Leaky ReLU: slope 0.01 left: −2 → −0.02, −0.5 → −0.005.
    /// Sigmoid: σ(0) = ½, σ(±0.5) = 0.622459 / 0.377541, σ(±2) = 0.880797 / 0.119203; σ′ = σ(1 − σ).
    /// Tanh: tanh(±0.5) = ±0.462117, tanh(±2) = ±0.964028; tanh′ = 1 − tanh².
    @Test("Activations: values and slopes at known points")
    func activationValues() {
        let cases: [(Layer, output: [Float], slope: [Float])] = [
            (ReLU(size: 5), [0, 0, 0, 0.5, 2], [0, 0, 0, 1, 1]),
            (LeakyReLU(size: 5), [-0.02, -0.005, 0, 0.5, 2], [0.01, 0.01, 0.01, 1, 1]),
            (
                Sigmoid(size: 5), [0.119203, 0.377541, 0.5, 0.622459, 0.880797],
                [0.104994, 0.235004, 0.25, 0.235004, 0.104994]
            ),
            (
                Tanh(size: 5), [-0.964028, -0.462117, 0, 0.462117, 0.964028],
                [0.070651, 0.786448, 1, 0.786448, 0.070651]
            )
        ]
        for (layer, output, slope) in cases {
            let y = layer.forward(Self.probe)
            #expect(isClose(y.elements, output, absoluteTolerance: 1e-6), "\(type(of: layer)) forward")
            let dX = layer.backward(Matrix(rows: 1, columns: 5, repeating: 1))
            #expect(isClose(dX.elements, slope, absoluteTolerance: 1e-6), "\(type(of: layer)) backward")
        }
    }

    /// A NaN must reach the loss, where `Trainer` turns it into `.diverged`. An activation that maps
    /// NaN to a number hides a corrupt input — or weights already ruined by one — and training carries
    /// on silently with a broken network.
    @Test("Every activation propagates NaN", arguments: Activation.allCases)
    func nanPropagates(activation: Activation) {
        let layer = activation.makeLayer(size: 3)
        // Maxout's input has k columns per unit: each value repeated k times, so unit j sees value j.
        let k = layer.inputSize / 3
        let y = layer.forward(
            Matrix(
                rows: 1, columns: layer.inputSize,
                elements: [Float.nan, 1, -1].flatMap { Array(repeating: $0, count: k) }))
        #expect(y[0, 0].isNaN, "\(activation) maps NaN to \(y[0, 0])")
        #expect(y[0, 1].isFinite && y[0, 2].isFinite)
    }

    @Test("Sigmoid and tanh saturate without NaN at ±1000")
    func saturation() {
        let x = Matrix([[-1000, 1000]])
        #expect(Sigmoid(size: 2).forward(x) == Matrix([[0, 1]]))
        #expect(Tanh(size: 2).forward(x) == Matrix([[-1, 1]]))
    }

    /// XOR by hand, genann-style: h₁ = relu(x₁ + x₂), h₂ = relu(x₁ + x₂ − 1), y = h₁ − 2h₂ is XOR
    /// ((0,0) → 0, (0,1) → 1, (1,0) → 1, (1,1) → 2 − 2 = 0). Logits z = (0, 4y − 2) = (0, ±2),
    /// so p(class 1) = σ(±2) = 0.880797 or 0.119203.
    @Test("An MLP with hand-set weights computes XOR exactly")
    func handSetXOR() throws {
        let mlp = try MLP(
            architecture: Architecture(layerSizes: [2, 2, 2], activation: .relu),
            parameters: [
                (weight: Matrix([[1, 1], [1, 1]]), bias: Matrix([[0, -1]])),
                (weight: Matrix([[0, 0], [4, -8]]), bias: Matrix([[0, -2]]))
            ])
        let x = Matrix([[0, 0], [0, 1], [1, 0], [1, 1]])
        #expect(mlp.predictions(x) == [0, 1, 1, 0])
        #expect(mlp.accuracy(x, labels: [0, 1, 1, 0]) == 1)
        #expect(mlp.accuracy(x, labels: [1, 1, 1, 1]) == 0.5)
        let p = mlp.probabilities(x)
        #expect(
            isClose(
                p, Matrix([[0.880797, 0.119203], [0.119203, 0.880797], [0.119203, 0.880797], [0.880797, 0.119203]]),
                absoluteTolerance: 1e-6))
        #expect(mlp.forward(x) == Matrix([[0, -2], [0, 2], [0, 2], [0, -2]]))
    }

    @Test("MLP structure: Linear and activation alternate; squared error ends in Softmax", arguments: LossFunction.allCases)
    func structure(loss: LossFunction) throws {
        var generator = SeededGenerator(seed: 1)
        let mlp = try MLP(architecture: Architecture(layerSizes: [4, 3, 5, 2], activation: .tanh, loss: loss), generator: &generator)
        let kinds = mlp.layers.map { "\(type(of: $0))" }
        let expected =
            ["Linear", "ElementwiseLayer<TanhFunction>", "Linear", "ElementwiseLayer<TanhFunction>", "Linear"]
            + (loss == .meanSquaredError ? ["Softmax"] : [])
        #expect(kinds == expected)
        #expect(mlp.linearLayers.count == 3)
        #expect(mlp.linearLayers.map(\.computesInputGradient) == [false, true, true], "the first layer skips dX")
        switch loss {
        case .crossEntropy: #expect(mlp.loss is SoftmaxCrossEntropy)
        case .meanSquaredError: #expect(mlp.loss is MeanSquaredError)
        case .hinge: #expect(mlp.loss is MulticlassHingeLoss)
        }
    }

    @Test("accuracy counts the fraction of rows predicted right; empty input gives 0")
    func accuracy() throws {
        let mlp = try MLP(
            architecture: Architecture(layerSizes: [1, 3]),
            parameters: [(weight: Matrix([[1], [0], [-1]]), bias: Matrix([[0, 0.5, 0]]))])
        // x = 2 → logits (2, 0.5, −2) → 0; x = 0 → (0, 0.5, 0) → 1; x = −2 → (−2, 0.5, 2) → 2.
        let x = Matrix([[2], [0], [-2], [3]])
        #expect(mlp.predictions(x) == [0, 1, 2, 0])
        #expect(mlp.accuracy(x, labels: [0, 1, 2, 2]) == 0.75)
        #expect(mlp.accuracy(Matrix(rows: 0, columns: 1), labels: []) == 0)
    }

    /// The losses are means over the batch, so the gradient of a batch of 5 is the mean of the five
    /// single-example gradients; and a second `computeGradients` overwrites the first rather than
    /// adding to it.
    @Test(
        "A batch's gradient is the mean of its examples' gradients, and is overwritten, not accumulated",
        arguments: LossFunction.allCases)
    func batchGradientIsMeanOfExampleGradients(loss: LossFunction) throws {
        let architecture = Architecture(layerSizes: [3, 7, 4], activation: .tanh, loss: loss)
        let mlp = try MLP(
            architecture: architecture,
            parameters: [
                (weight: .sinePattern(rows: 7, columns: 3), bias: .sinePattern(rows: 1, columns: 7, phase: 1)),
                (weight: .sinePattern(rows: 4, columns: 7, phase: 2), bias: .sinePattern(rows: 1, columns: 4, phase: 3))
            ])
        let x = Matrix.sinePattern(rows: 5, columns: 3, phase: 0.5, scale: 2)
        let labels = [0, 3, 1, 1, 2]
        let gradients = { () -> [Float] in mlp.linearLayers.flatMap { $0.weightGradient.elements + $0.biasGradient.elements } }

        var mean = [Float](repeating: 0, count: architecture.parameterCount)
        for row in 0..<5 {
            mlp.computeGradients(
                input: Matrix(rows: 1, columns: 3, elements: x.row(row)),
                targets: .oneHot([labels[row]], classes: 4))
            for (i, g) in gradients().enumerated() { mean[i] += g / 5 }
        }
        let targets = Matrix.oneHot(labels, classes: 4)
        mlp.computeGradients(input: x, targets: targets)
        let batch = gradients()
        #expect(maximumDifference(batch, mean) < 1e-6)
        mlp.computeGradients(input: x, targets: targets)
        #expect(gradients() == batch, "the same batch again gives the same gradients, not twice them")
    }

    /// Inference runs in chunks of 1024 rows: 2,500 rows must give the same answers as row by row.
    @Test("probabilities and predictions over more rows than one inference chunk")
    func chunkedInference() throws {
        let mlp = try MLP(
            architecture: Architecture(layerSizes: [3, 4, 5], activation: .sigmoid),
            parameters: [
                (weight: .sinePattern(rows: 4, columns: 3), bias: .sinePattern(rows: 1, columns: 4, phase: 1)),
                (weight: .sinePattern(rows: 5, columns: 4, phase: 2, scale: 3), bias: .sinePattern(rows: 1, columns: 5, phase: 3))
            ])
        let x = Matrix.sinePattern(rows: 2500, columns: 3, frequency: 0.37)
        let p = mlp.probabilities(x)
        let predictions = mlp.predictions(x)
        #expect(p.shape == (2500, 5) && predictions.count == 2500)
        for row in [0, 1023, 1024, 2047, 2048, 2499] {
            let single = Matrix(rows: 1, columns: 3, elements: x.row(row))
            #expect(maximumDifference(mlp.probabilities(single).row(0), p.row(row)) < 1e-6, "row \(row)")
            #expect(mlp.predictions(single) == [predictions[row]], "row \(row)")
        }
        #expect(Set(predictions).count > 1, "the pattern should not map everything to one class")
    }
}
