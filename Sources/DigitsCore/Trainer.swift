import Glibc

/// How the learning rate changes from epoch to epoch.
public enum LearningRateSchedule: String, Codable, CaseIterable, Sendable {
    case constant
    /// η_e = η · ½(1 + cos(π·e/E)): large steps first, small ones to settle (Loshchilov & Hutter 2017).
    case cosine
    /// η halves every quarter of the run.
    case step

    public func learningRate(base: Float, epoch: Int, epochs: Int) -> Float {
        switch self {
        case .constant:
            return base
        case .cosine:
            return base * 0.5 * (1 + cosf(Float.pi * Float(epoch) / Float(max(epochs, 1))))
        case .step:
            // The number of whole quarters of the run completed before this epoch: ⌊4e/E⌋ (0…3).
            let quarters = 4 * epoch / max(epochs, 1)
            return base * powf(0.5, Float(quarters))
        }
    }
}

/// What one epoch of training measured.
public struct EpochStatistics: Codable, Equatable, Sendable {
    public var epoch: Int
    public var learningRate: Float
    /// Mean loss over the epoch's minibatches, as they were seen (weights still moving).
    public var loss: Double
    /// Fraction of training examples classified correctly at the moment their batch was seen.
    public var accuracy: Double
}

public enum TrainingError: Error, Equatable, CustomStringConvertible {
    case diverged(epoch: Int, batch: Int, loss: Float)
    case labelsDoNotMatchInputs(labels: Int, inputs: Int)
    case labelOutOfRange(index: Int, label: Int, classes: Int)

    public var description: String {
        switch self {
        case .diverged(let epoch, let batch, let loss):
            "training diverged: loss became \(loss) in epoch \(epoch + 1), batch \(batch + 1) — lower the learning rate (e.g. halve it)"
        case .labelsDoNotMatchInputs(let labels, let inputs):
            "\(labels) labels for \(inputs) inputs"
        case .labelOutOfRange(let index, let label, let classes):
            "label \(label) of example \(index) is outside 0…\(classes - 1)"
        }
    }
}

/// Minibatch SGD over a data set held in memory: each epoch shuffles the examples with the seeded
/// generator, gathers each minibatch into one reused matrix and takes one optimiser step per batch.
///
/// The generator is the only source of randomness, so a run is fixed by (seed, data, batch size,
/// settings, BLAS thread count); a checkpoint that stores the weights, the velocities and
/// `generator.state` resumes it exactly.
public final class Trainer {
    public let model: MLP
    public let optimizer: any Optimizer
    public var generator: SeededGenerator
    public let batchSize: Int
    /// Random translation of each training image, drawn from `generator` (nil: none).
    public var augmentation: RandomShift?

    private var batchInput: Matrix
    private var batchTargets: Matrix
    private var batchLabels: [Int]
    private var order: [Int] = []

    public init(model: MLP, optimizer: any Optimizer, batchSize: Int, generator: SeededGenerator) {
        precondition(batchSize > 0, "batch size must be positive")
        self.model = model
        self.optimizer = optimizer
        self.generator = generator
        self.batchSize = batchSize
        // The batch buffers grow to the first batch actually drawn, never past the data: `batchSize`
        // may come from a checkpoint file, and a damaged one must not make us allocate (or overflow
        // computing) batchSize × inputSize floats.
        batchInput = Matrix(rows: 0, columns: model.architecture.inputSize)
        batchTargets = Matrix(rows: 0, columns: model.architecture.classCount)
        batchLabels = []
    }

    /// Minibatches in an epoch over `examples` rows (the last may be smaller); no overflow for any batch size.
    public func batchCount(examples: Int) -> Int {
        examples / batchSize + (examples % batchSize == 0 ? 0 : 1)
    }

    /// One pass over (X, labels) in shuffled minibatches (the last one may be smaller).
    /// `progress(batchesDone, batchCount, meanLossSoFar)` is called after every step.
    public func trainEpoch(inputs x: Matrix, labels: [Int], epoch: Int, learningRate: Float,
                           progress: ((Int, Int, Double) -> Void)? = nil) throws(TrainingError) -> EpochStatistics {
        precondition(x.columns == model.architecture.inputSize,
                     "trainEpoch: inputs have \(x.columns) columns, the network takes \(model.architecture.inputSize)")
        guard labels.count == x.rows else { throw .labelsDoNotMatchInputs(labels: labels.count, inputs: x.rows) }
        let classes = model.architecture.classCount
        if let bad = labels.firstIndex(where: { $0 < 0 || $0 >= classes }) {
            throw .labelOutOfRange(index: bad, label: labels[bad], classes: classes)
        }
        optimizer.learningRate = learningRate
        // Shuffle a fresh identity permutation each epoch: the order then depends only on the
        // generator's state at the start of the epoch, which is what a checkpoint stores.
        if order.count != x.rows { order = Array(0..<x.rows) } else { for i in order.indices { order[i] = i } }
        order.fisherYatesShuffle(using: &generator)

        let batchCount = batchCount(examples: x.rows)
        var lossSum = 0.0
        var correct = 0
        for batch in 0..<batchCount {
            let start = batch * batchSize
            let count = min(batchSize, x.rows - start)
            gatherBatch(from: x, labels: labels, start: start, count: count)
            augmentation?.apply(to: &batchInput, generator: &generator)
            model.drawDropoutMasks(rows: count, generator: &generator)
            let (loss, output) = model.computeGradients(input: batchInput, targets: batchTargets)
            guard loss.isFinite else { throw .diverged(epoch: epoch, batch: batch, loss: loss) }
            for row in 0..<count where argmax(output, row: row) == batchLabels[row] { correct += 1 }
            optimizer.step(model.linearLayers)
            lossSum += Double(loss)
            progress?(batch + 1, batchCount, lossSum / Double(batch + 1))
        }
        return EpochStatistics(epoch: epoch, learningRate: learningRate,
                               loss: lossSum / Double(max(batchCount, 1)),
                               accuracy: Double(correct) / Double(max(x.rows, 1)))
    }

    /// Copies the rows `order[start ..< start + count]` of X into the batch matrix and writes their
    /// one-hot targets.
    private func gatherBatch(from x: Matrix, labels: [Int], start: Int, count: Int) {
        batchInput.prepare(rows: count)
        batchTargets.prepare(rows: count)
        if batchLabels.count < count { batchLabels = [Int](repeating: 0, count: count) }
        let n = x.columns, classes = batchTargets.columns
        batchInput.elements.withUnsafeMutableBufferPointer { destination in
            x.elements.withUnsafeBufferPointer { source in
                guard let d = destination.baseAddress, let s = source.baseAddress else { return }
                for row in 0..<count {
                    (d + row * n).update(from: s + order[start + row] * n, count: n)
                }
            }
        }
        batchTargets.elements.withUnsafeMutableBufferPointer { t in
            for i in 0..<t.count { t[i] = 0 }
            for row in 0..<count {
                let label = labels[order[start + row]]
                batchLabels[row] = label
                t[row * classes + label] = 1
            }
        }
    }
}

/// Moves each image of a batch by a random whole number of pixels, −limit…limit in each direction,
/// filling with 0 (background). Small translations are the commonest difference between one
/// person's digit and another's framing of it; seeing them in training makes the model indifferent
/// to them without changing any test-time path.
public struct RandomShift: Codable, Equatable, Sendable {
    public var limit: Int
    public var width: Int
    public var height: Int
    private var scratch: [Float] = []

    public init(limit: Int, width: Int = 16, height: Int = 16) {
        self.limit = limit
        self.width = width
        self.height = height
    }

    enum CodingKeys: CodingKey { case limit, width, height }

    public mutating func apply(to batch: inout Matrix, generator: inout SeededGenerator) {
        precondition(batch.columns == width * height, "RandomShift: rows are not \(width)×\(height) images")
        guard limit > 0 else { return }
        if scratch.count != batch.columns { scratch = [Float](repeating: 0, count: batch.columns) }
        let span = 2 * limit + 1, w = width, h = height
        for row in 0..<batch.rows {
            let dx = generator.nextIndex(below: span) - limit
            let dy = generator.nextIndex(below: span) - limit
            if dx == 0 && dy == 0 { continue }
            batch.elements.withUnsafeMutableBufferPointer { b in
                scratch.withUnsafeMutableBufferPointer { s in
                    let o = row * w * h
                    for i in 0..<(w * h) { s[i] = 0 }
                    for y in max(0, -dy)..<min(h, h - dy) {
                        for x in max(0, -dx)..<min(w, w - dx) { s[(y + dy) * w + x + dx] = b[o + y * w + x] }
                    }
                    for i in 0..<(w * h) { b[o + i] = s[i] }
                }
            }
        }
    }
}
