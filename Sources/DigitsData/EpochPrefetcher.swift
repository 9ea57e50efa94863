import DigitsCore
import Foundation

/// Builds the next epoch's augmented inputs in the background while the current epoch trains, so
/// augmentation uses the other cores rather than adding its time to every epoch. It builds on as many
/// threads as there are cores: with OpenBLAS's vector kernels an epoch of augmentation (about 47 µs
/// an MNIST image) costs more CPU than the epoch's training, so one helper thread would leave
/// training waiting; with two, the second core and the training thread's share of the first both
/// work on it (`digits-benchmark --augmentation`, README's Performance section).
///
/// What it returns for an epoch is exactly `AugmentedEpochs.inputs(epoch:)`, whichever thread made it.
public final class EpochPrefetcher: @unchecked Sendable {  // every mutable field is guarded by `condition`
    public let epochs: AugmentedEpochs
    /// Threads building a prefetched epoch (rows are drawn per image, so any number gives the same inputs).
    public let threads: Int
    private let condition = NSCondition()
    private var ready: [Int: Matrix] = [:]
    private var building: Set<Int> = []

    public init(_ epochs: AugmentedEpochs, threads: Int = ProcessInfo.processInfo.activeProcessorCount) {
        self.epochs = epochs
        self.threads = max(1, threads)
    }

    /// Starts building `epoch` on a new background thread (nothing if it is built or being built).
    public func prefetch(epoch: Int) {
        condition.lock()
        defer { condition.unlock() }
        guard ready[epoch] == nil, !building.contains(epoch) else { return }
        building.insert(epoch)
        let thread = Thread { [self] in
            let inputs = epochs.inputs(epoch: epoch, threads: threads)
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
