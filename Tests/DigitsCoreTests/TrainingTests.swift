import DigitsCore
import DigitsTestSupport
import Foundation
import Testing

/// `Trainer` end to end on tiny synthetic problems: learning, reproducibility, errors, the short
/// last minibatch.
@Suite("Training")
struct TrainingTests {
    // MARK: - Data

    static let xorInputs = Matrix([[0, 0], [0, 1], [1, 0], [1, 1]])
    static let xorLabels = [0, 1, 1, 0]

    /// Three clusters of 30 points around (0, 2), (−2, −1) and (2, −1), each point at a
    /// deterministic offset of radius ≤ 0.6: linearly separable with a wide margin.
    static let clusters: (inputs: Matrix, labels: [Int]) = {
        let centres: [(Float, Float)] = [(0, 2), (-2, -1), (2, -1)]
        var elements: [Float] = [], labels: [Int] = []
        for point in 0..<90 {
            let label = point % 3
            let angle = 2.3 * Double(point), radius = 0.6 * abs(sin(0.7 * Double(point)))
            elements += [centres[label].0 + Float(radius * cos(angle)), centres[label].1 + Float(radius * sin(angle))]
            labels.append(label)
        }
        return (Matrix(rows: 90, columns: 2, elements: elements), labels)
    }()

    /// Builds a network and a trainer, both from `seed`, and runs `epochs` epochs.
    static func train(
        _ architecture: Architecture, inputs: Matrix, labels: [Int], seed: UInt64,
        settings: SGDSettings, batchSize: Int, epochs: Int
    ) throws -> Trainer {
        var generator = SeededGenerator(seed: seed)
        let mlp = try MLP(architecture: architecture, generator: &generator)
        let trainer = Trainer(
            model: mlp, optimizer: SGD(settings: settings, for: mlp.linearLayers),
            batchSize: batchSize, generator: generator)
        for epoch in 0..<epochs {
            _ = try trainer.trainEpoch(inputs: inputs, labels: labels, epoch: epoch, learningRate: settings.learningRate)
        }
        return trainer
    }

    /// Every parameter of a network, concatenated.
    static func parameters(_ mlp: MLP) -> [Float] {
        mlp.linearLayers.flatMap { $0.weight.elements + $0.bias.elements }
    }

    // MARK: - Learning

    @Test("XOR reaches 100 % training accuracy", arguments: Activation.allCases)
    func xor(activation: Activation) throws {
        let trainer = try Self.train(
            Architecture(layerSizes: [2, 8, 2], activation: activation),
            inputs: Self.xorInputs, labels: Self.xorLabels, seed: 1,
            settings: SGDSettings(learningRate: 0.1, momentum: 0.9), batchSize: 2, epochs: 300)
        #expect(trainer.model.accuracy(Self.xorInputs, labels: Self.xorLabels) == 1)
        #expect(trainer.model.predictions(Self.xorInputs) == Self.xorLabels)
    }

    @Test("Three separable clusters reach 100 % training accuracy, with each loss", arguments: LossFunction.allCases)
    func clusters(loss: LossFunction) throws {
        let (x, labels) = Self.clusters
        var generator = SeededGenerator(seed: 2)
        let mlp = try MLP(architecture: Architecture(layerSizes: [2, 8, 3], activation: .relu, loss: loss), generator: &generator)
        let trainer = Trainer(
            model: mlp, optimizer: SGD(settings: SGDSettings(learningRate: 0.2, momentum: 0.9), for: mlp.linearLayers),
            batchSize: 8, generator: generator)
        var statistics: [EpochStatistics] = []
        for epoch in 0..<40 {
            statistics.append(try trainer.trainEpoch(inputs: x, labels: labels, epoch: epoch, learningRate: 0.2))
        }
        #expect(mlp.accuracy(x, labels: labels) == 1)
        #expect(statistics.last!.loss < statistics.first!.loss, "the loss falls")
        #expect(statistics.last!.accuracy == 1, "the running accuracy of the last epoch")
        #expect(statistics.map(\.epoch) == Array(0..<40))
    }

    // MARK: - Reproducibility

    @Test("Same seed ⇒ bit-identical parameters, velocities and generator; another seed ⇒ different ones")
    func reproducibility() throws {
        let (x, labels) = Self.clusters
        let architecture = Architecture(layerSizes: [2, 7, 5, 3], activation: .tanh)
        let settings = SGDSettings(learningRate: 0.05, momentum: 0.9, nesterov: true, weightDecay: 1e-3)
        let run = { (seed: UInt64) in
            try Self.train(architecture, inputs: x, labels: labels, seed: seed, settings: settings, batchSize: 7, epochs: 5)
        }
        let a = try run(42), b = try run(42), c = try run(43)
        #expect(Self.parameters(a.model) == Self.parameters(b.model))
        #expect(a.optimizer.slots == b.optimizer.slots)
        #expect(a.generator == b.generator)
        #expect(Self.parameters(a.model) != Self.parameters(c.model))
        // `==` on Float treats +0 and −0 as equal; compare the bits too.
        #expect(Self.parameters(a.model).map(\.bitPattern) == Self.parameters(b.model).map(\.bitPattern))
    }

    /// A trainer restarted from the parameters, velocities and generator state after epoch 2
    /// continues exactly as the uninterrupted run (what a checkpoint relies on).
    @Test("Resuming from parameters, velocities and generator state continues bit for bit")
    func resume() throws {
        let (x, labels) = Self.clusters
        let architecture = Architecture(layerSizes: [2, 5, 3], activation: .sigmoid)
        let settings = SGDSettings(learningRate: 0.3, momentum: 0.5)
        let straight = try Self.train(architecture, inputs: x, labels: labels, seed: 9, settings: settings, batchSize: 16, epochs: 4)

        let firstHalf = try Self.train(architecture, inputs: x, labels: labels, seed: 9, settings: settings, batchSize: 16, epochs: 2)
        let model = try MLP(
            architecture: architecture,
            parameters: firstHalf.model.linearLayers.map { (weight: $0.weight, bias: $0.bias) })
        let optimizer = SGD(settings: settings, for: model.linearLayers)
        optimizer.velocities = firstHalf.optimizer.slots[0]
        let resumed = Trainer(
            model: model, optimizer: optimizer, batchSize: 16,
            generator: SeededGenerator(seed: firstHalf.generator.state))
        for epoch in 2..<4 { _ = try resumed.trainEpoch(inputs: x, labels: labels, epoch: epoch, learningRate: 0.3) }
        #expect(Self.parameters(resumed.model) == Self.parameters(straight.model))
    }

    // MARK: - Errors

    /// NaN, and +∞ (which a ReLU unit with a positive weight on it passes on as +∞, turning the
    /// max-subtracted logits into ∞ − ∞ = NaN).
    @Test("A NaN or ∞ in the input stops training with .diverged before the weights move", arguments: [Float.nan, .infinity])
    func divergesOnNaNInput(bad: Float) throws {
        var x = Self.xorInputs
        x[2, 1] = bad
        var generator = SeededGenerator(seed: 3)
        let mlp = try MLP(architecture: Architecture(layerSizes: [2, 4, 2]), generator: &generator)
        let trainer = Trainer(
            model: mlp, optimizer: SGD(settings: SGDSettings(learningRate: 0.1), for: mlp.linearLayers),
            batchSize: 4, generator: generator)
        let before = Self.parameters(mlp)
        let error = try #require(throws: TrainingError.self) {
            try trainer.trainEpoch(inputs: x, labels: Self.xorLabels, epoch: 6, learningRate: 0.1)
        }
        guard case .diverged(epoch: 6, batch: 0, let loss) = error else {
            Issue.record("got \(error)")
            return
        }
        #expect(!loss.isFinite)
        #expect(error.description.contains("lower the learning rate"))
        #expect(Self.parameters(mlp).map(\.bitPattern) == before.map(\.bitPattern), "the bad batch took no step")
    }

    /// η = 10³⁰ with an unbounded activation: after one step the output weights are ~10²⁹, the
    /// hidden layer's gradient W²ᵀ(p − t) is as large and its next update (~10⁵⁹) overflows to ∞,
    /// so the logits and then the loss become NaN or ∞. `trainEpoch` must report it, not carry on.
    /// (With tanh or sigmoid the hidden layer saturates, its gradient vanishes and the loss stays a
    /// huge but finite number: that is not divergence in the sense of a non-finite loss.)
    @Test("A huge learning rate ends in .diverged", arguments: [Activation.relu, .leakyReLU], LossFunction.allCases)
    func divergesOnHugeLearningRate(activation: Activation, loss: LossFunction) throws {
        let (x, labels) = Self.clusters
        var generator = SeededGenerator(seed: 4)
        let mlp = try MLP(architecture: Architecture(layerSizes: [2, 8, 3], activation: activation, loss: loss), generator: &generator)
        let trainer = Trainer(
            model: mlp, optimizer: SGD(settings: SGDSettings(learningRate: 1e30), for: mlp.linearLayers),
            batchSize: 10, generator: generator)
        let error = try #require(throws: TrainingError.self) {
            for epoch in 0..<20 { _ = try trainer.trainEpoch(inputs: x, labels: labels, epoch: epoch, learningRate: 1e30) }
        }
        guard case .diverged(_, _, let value) = error else {
            Issue.record("got \(error)")
            return
        }
        #expect(!value.isFinite)
    }

    @Test("Bad labels are rejected before any step: out of range, and count ≠ rows")
    func badLabels() throws {
        var generator = SeededGenerator(seed: 5)
        let mlp = try MLP(architecture: Architecture(layerSizes: [2, 3, 2]), generator: &generator)
        let trainer = Trainer(
            model: mlp, optimizer: SGD(settings: SGDSettings(learningRate: 0.1), for: mlp.linearLayers),
            batchSize: 2, generator: generator)
        let before = Self.parameters(mlp)
        #expect(throws: TrainingError.labelOutOfRange(index: 3, label: 2, classes: 2)) {
            try trainer.trainEpoch(inputs: Self.xorInputs, labels: [0, 1, 1, 2], epoch: 0, learningRate: 0.1)
        }
        #expect(throws: TrainingError.labelOutOfRange(index: 1, label: -1, classes: 2)) {
            try trainer.trainEpoch(inputs: Self.xorInputs, labels: [0, -1, 1, 0], epoch: 0, learningRate: 0.1)
        }
        #expect(throws: TrainingError.labelsDoNotMatchInputs(labels: 3, inputs: 4)) {
            try trainer.trainEpoch(inputs: Self.xorInputs, labels: [0, 1, 1], epoch: 0, learningRate: 0.1)
        }
        #expect(Self.parameters(mlp) == before)
        #expect(trainer.generator == generator, "no shuffle drawn either")
        #expect(TrainingError.labelOutOfRange(index: 3, label: 2, classes: 2).description == "label 2 of example 3 is outside 0…1")
    }

    // MARK: - The last, short minibatch

    /// 7 examples in batches of 3: batches of 3, 3 and 1. The inputs are the rows of the 7 × 7
    /// identity and the network a single Linear layer, so after each step column i of dW = dYᵀ·X
    /// is non-zero exactly when example i was in that batch: the progress callback can read off
    /// which examples each batch held.
    @Test(
        "A data set that is not a multiple of the batch size: every example once per epoch",
        arguments: [1, 2, 3, 5, 7, 10])
    func lastPartialBatch(batchSize: Int) throws {
        let n = 7
        var identity = Matrix(rows: n, columns: n)
        for i in 0..<n { identity[i, i] = 1 }
        let labels = (0..<n).map { $0 % 3 }
        var generator = SeededGenerator(seed: 6)
        let mlp = try MLP(architecture: Architecture(layerSizes: [n, 3]), generator: &generator)
        let trainer = Trainer(
            model: mlp, optimizer: SGD(settings: SGDSettings(learningRate: 0.1), for: mlp.linearLayers),
            batchSize: batchSize, generator: generator)
        let expectedBatches = (n + batchSize - 1) / batchSize

        for epoch in 0..<3 {
            var batches: [Set<Int>] = []
            var reported: [(done: Int, total: Int)] = []
            let statistics = try trainer.trainEpoch(inputs: identity, labels: labels, epoch: epoch, learningRate: 0.1) { done, total, _ in
                let dW = mlp.linearLayers[0].weightGradient
                batches.append(Set((0..<n).filter { column in (0..<3).contains { dW[$0, column] != 0 } }))
                reported.append((done, total))
            }
            #expect(batches.count == expectedBatches)
            #expect(reported.map(\.done) == Array(1...expectedBatches))
            #expect(reported.allSatisfy { $0.total == expectedBatches })
            let sizes = batches.map(\.count)
            #expect(sizes == (0..<expectedBatches).map { min(batchSize, n - $0 * batchSize) }, "epoch \(epoch): \(batches)")
            #expect(batches.reduce(Set<Int>()) { $0.union($1) } == Set(0..<n), "every example seen")
            #expect(sizes.reduce(0, +) == n, "none seen twice")
            #expect(statistics.loss.isFinite && statistics.epoch == epoch && statistics.learningRate == 0.1)
        }
    }

    /// With η = 0 nothing changes, so the predictions are those of the initial network. Labels that
    /// agree with them on exactly 4 of 7 examples must give an epoch accuracy of exactly 4/7, which
    /// holds only if each example is counted once — including the one in the short last batch.
    @Test("EpochStatistics counts each example once, including the short last batch")
    func epochAccuracyCountsEveryExample() throws {
        let x = Matrix.sinePattern(rows: 7, columns: 3)
        var generator = SeededGenerator(seed: 8)
        let mlp = try MLP(architecture: Architecture(layerSizes: [3, 5, 3]), generator: &generator)
        let predicted = mlp.predictions(x)
        let labels = predicted.enumerated().map { index, p in index < 4 ? p : (p + 1) % 3 }
        let trainer = Trainer(
            model: mlp, optimizer: SGD(settings: SGDSettings(learningRate: 0), for: mlp.linearLayers),
            batchSize: 3, generator: generator)
        let statistics = try trainer.trainEpoch(inputs: x, labels: labels, epoch: 0, learningRate: 0)
        #expect(statistics.accuracy == 4.0 / 7.0)
        #expect(trainer.optimizer.settings.learningRate == 0, "trainEpoch sets the learning rate it was given")
    }
}
