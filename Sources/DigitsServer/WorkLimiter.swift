import Synchronization

/// A bound on the pictures being decoded and preprocessed at once (each can hold a decoded picture of
/// up to `ServerLimits.pictureSide`² pixels), with a bounded queue behind it: beyond that the server
/// answers 503 at once instead of piling up memory.
///
/// A lock, not an actor: a free slot is taken without suspending, which under load saves two hops
/// per request (measured: the actor version cost about 5 µs of CPU per request more).
final class WorkLimiter: Sendable {
    struct Busy: Error {}

    private struct State {
        var available: Int
        var waiting: [CheckedContinuation<Void, Never>] = []
        var nextWaiting = 0
        var queued: Int { waiting.count - nextWaiting }
    }

    private let state: Mutex<State>
    private let queueLimit: Int

    init(concurrent: Int, queueLimit: Int) {
        state = Mutex(State(available: max(1, concurrent)))
        self.queueLimit = max(0, queueLimit)
    }

    /// Requests waiting for a slot.
    var queued: Int { state.withLock { $0.queued } }

    /// Takes a slot, waiting for one if need be; throws `Busy` when the queue is already full.
    func acquire() async throws(Busy) {
        enum Outcome { case acquired, busy, wait }
        let outcome = state.withLock { state -> Outcome in
            if state.available > 0 {
                state.available -= 1
                return .acquired
            }
            return state.queued < queueLimit ? .wait : .busy
        }
        switch outcome {
        case .acquired: return
        case .busy: throw Busy()
        case .wait:
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                // A slot may have been freed since the look above: take it rather than queue.
                let takenNow = state.withLock { state -> Bool in
                    if state.available > 0 {
                        state.available -= 1
                        return true
                    }
                    state.waiting.append(continuation)
                    return false
                }
                if takenNow { continuation.resume() }
            }
        }
    }

    /// Hands the slot to the longest waiter, or frees it.
    func release() {
        let next = state.withLock { state -> CheckedContinuation<Void, Never>? in
            guard state.nextWaiting < state.waiting.count else {
                state.available += 1
                return nil
            }
            let next = state.waiting[state.nextWaiting]
            state.nextWaiting += 1
            // Compact now and then, so the array does not grow with every request ever queued.
            if state.nextWaiting > 64 && state.nextWaiting * 2 > state.waiting.count {
                state.waiting.removeFirst(state.nextWaiting)
                state.nextWaiting = 0
            }
            return next
        }
        next?.resume()
    }
}
