import DigitsCore
import Foundation

/// Builds the next epoch's augmented inputs on a background thread while the current epoch trains,
/// so augmentation uses the second core rather than adding its time to every epoch.
///
/// What it returns for an epoch is exactly `AugmentedEpochs.inputs(epoch:)`, whichever thread made it.
public final class EpochPrefetcher: @unchecked Sendable {  // every mutable field is guarded by `condition`
    public let epochs: AugmentedEpochs
    private let condition = NSCondition()
    private var ready: [Int: Matrix] = [:]
    private var building: Set<Int> = []

    public init(_ epochs: AugmentedEpochs) {
        self.epochs = epochs
    }

    /// Starts building `epoch` on a new background thread (nothing if it is built or being built).
    public func prefetch(epoch: Int) {
        condition.lock()
        defer { condition.unlock() }
        guard ready[epoch] == nil, !building.contains(epoch) else { return }
        building.insert(epoch)
        let thread = Thread { [self] in
            let inputs = epochs.inputs(epoch: epoch)
            condition.lock()
            ready[epoch] = inputs
            building.remove(epoch)
            condition.broadcast()
            condition.unlock()
        }
        thread.name = "digits: augment epoch \(epoch + 1)"
        thread.stackSize = 1 << 22
        thread.start()
    }

    /// Epoch `epoch`'s inputs: the prefetched ones (waiting for them if still being built), or
    /// built now on `threads` threads if nobody asked for them before.
    public func inputs(epoch: Int, threads: Int = 1) -> Matrix {
        condition.lock()
        while building.contains(epoch) { condition.wait() }
        let prefetched = ready.removeValue(forKey: epoch)
        condition.unlock()
        return prefetched ?? epochs.inputs(epoch: epoch, threads: threads)
    }
}
