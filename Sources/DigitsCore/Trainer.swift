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
    public func trainEpoch(
        inputs x: Matrix, labels: [Int], epoch: Int, learningRate: Float,
        progress: ((Int, Int, Double) -> Void)? = nil
    ) throws(TrainingError) -> EpochStatistics {
        precondition(
            x.columns == model.architecture.inputSize,
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
            model.drawDropoutMasks(rows: count, generator: &generator)
            let (loss, output) = model.computeGradients(input: batchInput, targets: batchTargets)
            guard loss.isFinite else { throw .diverged(epoch: epoch, batch: batch, loss: loss) }
            for row in 0..<count where argmax(output, row: row) == batchLabels[row] { correct += 1 }
            optimizer.step(model.linearLayers)
            lossSum += Double(loss)
            progress?(batch + 1, batchCount, lossSum / Double(batch + 1))
        }
        return EpochStatistics(
            epoch: epoch, learningRate: learningRate,
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
