import DigitsCore
import DigitsData
import Foundation

/// The cost of training-time augmentation on MNIST's 60,000 training images, as ratios measured in
/// the same run: building one epoch's augmented inputs on one thread, against one training epoch of
/// 256-512-256-10; and whole epochs with augmentation (the next epoch built on a background thread
/// while this one trains, as `digits train` does) against epochs on the same inputs without it.
/// The target (issue 8): an epoch with augmentation takes at most 2× one without.
func benchmarkAugmentation(dataDirectory: String?, epochs: Int) throws {
    let directories = dataDirectory.map { ["\($0)/mnist"] } ?? Datasets.searchDirectories(for: .mnist)
    guard Datasets.locate(.mnist, split: .train, in: directories) != nil else {
        print("augmentation: MNIST absent (looked in \(directories.joined(separator: ", "))); run bash tools/fetch-mnist.sh")
        return
    }
    let images = try Datasets.load(.mnist, split: .train, searchDirectories: directories)
    let preprocessor = Preprocessor()
    let clean = try preprocessor.inputs(for: images)
    let augmented = AugmentedEpochs(
        parts: [.init(images: images, indices: Array(0..<images.count))], clean: clean,
        preprocessing: preprocessor.settings, augmentation: .standard, seed: 1)
    var build: [Double] = []
    var cpu: [Double] = []
    for epoch in 0..<3 {
        let cpuStart = threadCPUSeconds()
        build.append(seconds { _ = augmented.inputs(epoch: epoch) })
        cpu.append(threadCPUSeconds() - cpuStart)
    }
    build.sort()
    cpu.sort()
    print(
        String(
            format: "augmentation: build one epoch of %d augmented inputs on 1 thread: median %.3f s, %.3f s of CPU (%.1f µs/image)",
            images.count, build[1], cpu[1], 1e6 * cpu[1] / Double(images.count)))

    func trainer() throws -> Trainer {
        var generator = SeededGenerator(seed: 1)
        let model = try MLP(architecture: Architecture(layerSizes: [256, 512, 256, 10]), generator: &generator)
        return Trainer(
            model: model, optimizer: SGD(settings: SGDSettings(learningRate: 0.05, momentum: 0.9), for: model.linearLayers),
            batchSize: 64, generator: generator)
    }
    let plain = try trainer()
    var without: [Double] = []
    for epoch in 0..<epochs {
        without.append(try seconds { _ = try plain.trainEpoch(inputs: clean, labels: images.labels, epoch: epoch, learningRate: 0.05) })
    }
    without.sort()
    let a = without[without.count / 2]
    print(String(format: "augmentation: training epoch 256-512-256-10 without augmentation: median %.3f s of %d", a, epochs))
    // The prefetcher on one background thread (as before) and on one per core (digits train's default).
    for threads in Array(Set([1, ProcessInfo.processInfo.activeProcessorCount])).sorted() {
        let withAugmentation = try trainer()
        let prefetcher = EpochPrefetcher(augmented, threads: threads)
        prefetcher.prefetch(epoch: 0)
        _ = prefetcher.inputs(epoch: 0)  // the first epoch is built before training starts, as in digits train
        prefetcher.prefetch(epoch: 1)
        var with: [Double] = []
        for epoch in 1...epochs {
            with.append(
                try seconds {
                    let inputs = prefetcher.inputs(epoch: epoch)
                    prefetcher.prefetch(epoch: epoch + 1)
                    _ = try withAugmentation.trainEpoch(inputs: inputs, labels: images.labels, epoch: epoch, learningRate: 0.05)
                })
        }
        _ = prefetcher.inputs(epoch: epochs + 1)
        with.sort()
        let b = with[with.count / 2]
        print(
            String(
                format: "augmentation: epoch with augmentation, next epoch built on %d background thread(s): "
                    + "median %.3f s of %d = %.2f× one without (target ≤ 2×)", threads, b, epochs, b / a))
    }
}

/// CPU time this thread has used (unlike the wall clock, hardly disturbed by other processes).
private func threadCPUSeconds() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
}
