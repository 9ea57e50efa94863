import DigitsCore
import DigitsModel

/// The network's forward pass for every request, one batch at a time.
///
/// Requests that arrive while a batch is being computed wait at this actor and go through together
/// in the next one: one `(B, 256)·(256, H)` product instead of B vector products, which is what
/// lets a loaded server keep up (the weights are read once per batch, not once per request). Under
/// no load a batch is one request, with no waiting for company.
actor ForwardBatcher {
    private struct Pending {
        var input: [Float]
        var continuation: CheckedContinuation<[Float], Never>
    }

    /// The one network: only this actor touches it, so its reused buffers are never shared.
    private let network: MLP
    private let inputCount: Int
    private let maximumBatch: Int
    private var pending: [Pending] = []
    private var scheduled = false
    /// Batches run and requests served, for tests and the log.
    private(set) var batches = 0
    private(set) var served = 0

    init(model: SavedModel, maximumBatch: Int = 256) throws {
        network = try model.makeNetwork()
        inputCount = model.architecture.inputSize
        self.maximumBatch = maximumBatch
    }

    /// The class probabilities for one preprocessed picture (`inputCount` values: `DigitRecognizer`
    /// checks the model's input size against the preprocessor's when it is made).
    func probabilities(for input: [Float]) async -> [Float] {
        await withCheckedContinuation { continuation in
            pending.append(Pending(input: input, continuation: continuation))
            if !scheduled {
                scheduled = true
                // The batch waits its turn behind the work already queued (requests being decoded
                // and preprocessed), so those that finish meanwhile join it: without the yield a
                // batch under load held one or two requests, and packing the weights for each
                // product cost as much as the product.
                Task {
                    await Task.yield()
                    self.runPending()
                }
            }
        }
    }

    private func runPending() {
        while !pending.isEmpty {
            let batch = Array(pending.prefix(maximumBatch))
            pending.removeFirst(batch.count)
            // inputs: (B, 256), one picture per row; probabilities: (B, 10).
            var elements: [Float] = []
            elements.reserveCapacity(batch.count * inputCount)
            for request in batch { elements += request.input }
            let probabilities = network.probabilities(Matrix(rows: batch.count, columns: inputCount, elements: elements))
            let classes = probabilities.columns
            for (row, request) in batch.enumerated() {
                request.continuation.resume(returning: Array(probabilities.elements[row * classes..<(row + 1) * classes]))
            }
            batches += 1
            served += batch.count
        }
        scheduled = false
    }
}
