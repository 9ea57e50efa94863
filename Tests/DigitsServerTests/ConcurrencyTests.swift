import DigitsCore
import DigitsModel
import Testing

@testable import DigitsServer

@Suite struct ConcurrencyTests {
    /// A full queue answers at once instead of waiting; a released slot goes to the first waiter.
    @Test func theLimiterQueuesThenRefuses() async throws {
        let limiter = WorkLimiter(concurrent: 1, queueLimit: 1)
        try await limiter.acquire()
        let waiter = Task { try await limiter.acquire() }
        // Let the waiter reach the queue.
        while limiter.queued == 0 { await Task.yield() }
        await #expect(throws: WorkLimiter.Busy.self) { try await limiter.acquire() }
        limiter.release()
        try await waiter.value
        #expect(limiter.queued == 0)
        limiter.release()
        try await limiter.acquire()  // free again
    }

    /// Requests in flight together share forward passes, and each gets its own row back.
    @Test func theBatcherComputesWhatTheNetworkDoesRowByRow() async throws {
        let model = try ServerFixture.model()
        let batcher = try ForwardBatcher(model: model)
        let network = try model.makeNetwork()
        var generator = SeededGenerator(seed: 7)
        let inputs = (0..<40).map { _ in (0..<256).map { _ in Float.random(in: 0...1, using: &generator) } }
        let answers = await withTaskGroup(of: (Int, [Float]).self) { group in
            for (k, input) in inputs.enumerated() { group.addTask { (k, await batcher.probabilities(for: input)) } }
            var answers = [[Float]](repeating: [], count: inputs.count)
            for await (k, answer) in group { answers[k] = answer }
            return answers
        }
        for (input, answer) in zip(inputs, answers) {
            let alone = network.probabilities(Matrix(rows: 1, columns: 256, elements: input)).elements
            // A batch's product may sum in another order than one row's: equal to rounding.
            #expect(zip(alone, answer).allSatisfy { abs($0 - $1) < 1e-5 })
        }
        #expect(await batcher.served == inputs.count)
        #expect(await batcher.batches <= inputs.count)
    }
}
