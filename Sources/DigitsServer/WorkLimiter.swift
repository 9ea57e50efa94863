/// A bound on the pictures being decoded and preprocessed at once (each can hold a decoded picture of
/// up to `ServerLimits.pictureSide`² pixels), with a bounded queue behind it: beyond that the server
/// answers 503 at once instead of piling up memory.
actor WorkLimiter {
    struct Busy: Error {}

    private var available: Int
    private let queueLimit: Int
    private var waiting: [CheckedContinuation<Void, Never>] = []
    private var nextWaiting = 0

    init(concurrent: Int, queueLimit: Int) {
        available = max(1, concurrent)
        self.queueLimit = max(0, queueLimit)
    }

    /// Requests waiting for a slot.
    var queued: Int { waiting.count - nextWaiting }

    /// Waits for a slot; throws `Busy` when the queue is already full.
    func acquire() async throws(Busy) {
        if available > 0 {
            available -= 1
            return
        }
        guard waiting.count - nextWaiting < queueLimit else { throw Busy() }
        await withCheckedContinuation { waiting.append($0) }
    }

    /// Hands the slot to the longest waiter, or frees it.
    func release() {
        if nextWaiting < waiting.count {
            let next = waiting[nextWaiting]
            nextWaiting += 1
            // Compact now and then, so the array does not grow with every request ever queued.
            if nextWaiting > 64 && nextWaiting * 2 > waiting.count {
                waiting.removeFirst(nextWaiting)
                nextWaiting = 0
            }
            next.resume()
        } else {
            available += 1
        }
    }
}
