import DigitsCore
import DigitsTestSupport
import Testing

@Suite("Dropout")
struct DropoutTests {
    /// 200 × 250 ones, p = 0.3: each element is 0 or 1/0.7 with mean 1 and variance p/(1 − p) = 0.4286,
    /// so the mean of 50 000 has a standard deviation of 0.0029; 0.015 is five of them. Also the kept
    /// fraction (0.7 ± 0.002) and the scale of the kept ones (exactly 1/0.7).
    @Test("Inverted dropout keeps the expectation: mean output ≈ input, kept units scaled by 1/(1 − p)")
    func expectation() {
        let layer = Dropout(size: 250, rate: 0.3)
        var generator = SeededGenerator(seed: 7)
        layer.drawMask(rows: 200, generator: &generator)
        let y = layer.forward(Matrix(rows: 200, columns: 250, repeating: 1))
        let mean = y.elements.reduce(0.0) { $0 + Double($1) } / Double(y.elements.count)
        #expect(abs(mean - 1) < 0.015, "mean \(mean)")
        let kept = y.elements.filter { $0 != 0 }
        #expect(abs(Double(kept.count) / Double(y.elements.count) - 0.7) < 0.01)
        #expect(kept.allSatisfy { $0 == 1 / Float(0.7) })
    }

    @Test("The mask is a function of the generator: same seed, same mask and generator state; another seed, another mask")
    func reproducibleMask() {
        func mask(seed: UInt64) -> (Matrix, SeededGenerator) {
            let layer = Dropout(size: 13, rate: 0.5)
            var generator = SeededGenerator(seed: seed)
            layer.drawMask(rows: 5, generator: &generator)
            return (layer.mask, generator)
        }
        let (a, ga) = mask(seed: 42), (b, gb) = mask(seed: 42), (c, _) = mask(seed: 43)
        #expect(a == b && ga == gb)
        #expect(a != c)
        #expect(ga != SeededGenerator(seed: 42), "drawing a mask advances the run's generator")
    }

    /// A network with dropout and the same one without it give bit-identical outputs, probabilities
    /// and predictions: dropout acts only on a forward right after `drawDropoutMasks`, and only on that one.
    @Test("No effect at inference, nor on a second forward after a training one")
    func noEffectAtInference() throws {
        var generator = SeededGenerator(seed: 3)
        let plain = try MLP(architecture: Architecture(layerSizes: [4, 9, 7, 3]), generator: &generator)
        let parameters = plain.linearLayers.map { (weight: $0.weight, bias: $0.bias) }
        let dropped = try MLP(architecture: Architecture(layerSizes: [4, 9, 7, 3], dropout: 0.5), parameters: parameters)
        #expect(dropped.dropoutLayers.count == 2 && plain.dropoutLayers.isEmpty)
        let x = Matrix.sinePattern(rows: 6, columns: 4, phase: 0.1, scale: 2)
        #expect(dropped.forward(x) == plain.forward(x))
        #expect(dropped.probabilities(x) == plain.probabilities(x))
        #expect(dropped.predictions(x) == plain.predictions(x))

        dropped.drawDropoutMasks(rows: 6, generator: &generator)
        let training = dropped.forward(x)
        #expect(training != plain.forward(x), "the training forward does drop units")
        #expect(dropped.forward(x) == plain.forward(x), "the mask is used once")
    }

    /// With a fixed mask (redrawn from a copy of the same generator before every forward), dX against
    /// central differences; and dX is exactly dY ⊙ M.
    @Test("Gradient check through a fixed mask", arguments: [1, 2, 5])
    func gradient(batch: Int) {
        let layer = Dropout(size: 7, rate: 0.4)
        let start = SeededGenerator(seed: 11)
        let x = Matrix.sinePattern(rows: batch, columns: 7, phase: 0.3)
        let g = Matrix.sinePattern(rows: batch, columns: 7, phase: 1.6)
        let forward = { (x: Matrix) -> Matrix in
            var generator = start
            layer.drawMask(rows: batch, generator: &generator)
            return layer.forward(x)
        }
        _ = forward(x)
        let dX = layer.backward(g)
        var expected = g
        for i in expected.elements.indices { expected.elements[i] *= layer.mask.elements[i] }
        #expect(dX == expected)
        let numerical = GradientCheck.numericalGradient(at: x) { weightedSum(forward($0), weights: g) }
        let comparison = GradientCheck.compare(analytic: dX, numerical: numerical, name: "dropout dX")
        #expect(comparison.passed, "\(comparison)")
        #expect(!comparison.isTriviallyZero())
    }

    /// Training with dropout: same seed → bit-identical weights; the run differs from one without
    /// dropout; p = 0 draws nothing, so it is bit-identical to a network built without the setting.
    @Test("Training with dropout is reproducible from the seed; p = 0 changes nothing")
    func training() throws {
        let x = Matrix.sinePattern(rows: 30, columns: 4, phase: 0.2, scale: 2)
        let labels = (0..<30).map { $0 % 3 }
        func run(_ architecture: Architecture, seed: UInt64 = 5) throws -> [UInt32] {
            var generator = SeededGenerator(seed: seed)
            let mlp = try MLP(architecture: architecture, generator: &generator)
            let trainer = Trainer(
                model: mlp, optimizer: SGD(settings: SGDSettings(learningRate: 0.1, momentum: 0.9), for: mlp.linearLayers),
                batchSize: 7, generator: generator)
            for epoch in 0..<3 { _ = try trainer.trainEpoch(inputs: x, labels: labels, epoch: epoch, learningRate: 0.1) }
            return mlp.linearLayers.flatMap { ($0.weight.elements + $0.bias.elements).map(\.bitPattern) }
        }
        let withDropout = Architecture(layerSizes: [4, 8, 3], dropout: 0.25)
        #expect(try run(withDropout) == run(withDropout))
        #expect(try run(withDropout) != run(Architecture(layerSizes: [4, 8, 3])))
        #expect(try run(Architecture(layerSizes: [4, 8, 3], dropout: 0)) == run(Architecture(layerSizes: [4, 8, 3])))
        #expect(throws: ArchitectureError.badDropout(1)) { try Architecture(layerSizes: [4, 8, 3], dropout: 1).validate() }
    }
}
