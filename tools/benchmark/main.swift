// digits-benchmark — speed of the training core on MNIST-sized synthetic data, reported next to the
// rate OpenBLAS reaches on the very same matrix products in the same run, so the figures are ratios
// against a reference measured on the same (shared, noisy) machine rather than absolute claims.
//
// Usage: swift run -c release digits-benchmark [--threads N] [--epochs N] [--data-dir DIR] [--augmentation]
//        [--toolbox-only] [--photos]
// (--augmentation: only the cost of training-time augmentation, AugmentationBenchmark.swift;
//  --photos: only the cost of preprocessing a photo, PhotoBenchmark.swift)
import DigitsCore
import Foundation

struct Options {
    var threads = 1
    var epochs = 3
    var dataDirectory: String?
    /// Only the augmentation benchmark (`--augmentation`).
    var augmentationOnly = false
    /// Only the toolbox's costs per epoch (`--toolbox-only`).
    var toolboxOnly = false
    /// Only the cost of preprocessing a photo (`--photos`).
    var photosOnly = false
    init(_ arguments: [String]) {
        var iterator = arguments.makeIterator()
        while let argument = iterator.next() {
            switch argument {
            case "--threads": threads = Int(iterator.next() ?? "") ?? threads
            case "--epochs": epochs = Int(iterator.next() ?? "") ?? epochs
            case "--data-dir": dataDirectory = iterator.next()
            case "--augmentation": augmentationOnly = true
            case "--toolbox-only": toolboxOnly = true
            case "--photos": photosOnly = true
            default:
                print("unknown argument \(argument)")
                exit(64)
            }
        }
    }
}

func seconds(_ body: () throws -> Void) rethrows -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    try body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

/// Best-of-N time of `gemm` for op(A)·op(B) with the given shapes: GFLOP/s.
func gemmRate(m: Int, n: Int, k: Int, transA: Transpose, transB: Transpose) -> Double {
    var generator = SeededGenerator(seed: 1)
    func random(_ rows: Int, _ columns: Int) -> Matrix {
        Matrix(rows: rows, columns: columns, elements: (0..<rows * columns).map { _ in generator.nextFloat(symmetricLimit: 1) })
    }
    let a = transA == .none ? random(m, k) : random(k, m)
    let b = transB == .none ? random(k, n) : random(n, k)
    var c = Matrix(rows: m, columns: n)
    let repetitions = max(20, Int(2e9 / Double(2 * m * n * k)))
    var best = Double.infinity
    for _ in 0..<5 {
        let t = seconds { for _ in 0..<repetitions { gemm(transA, a, transB, b, into: &c) } }
        best = min(best, t / Double(repetitions))
    }
    return 2 * Double(m * n * k) / best / 1e9
}

/// The products of one training step for a network, with the time BLAS alone needs for them.
struct StepProducts {
    var flops = 0.0
    var blasSeconds = 0.0
    var lines: [String] = []

    init(layerSizes: [Int], batch: Int) {
        for (index, (fanIn, fanOut)) in zip(layerSizes, layerSizes.dropFirst()).enumerated() {
            // forward Y = X·Wᵀ, dW = dYᵀ·X, and (except the first layer) dX = dY·W.
            var products: [(String, Int, Int, Int, Transpose, Transpose)] = [
                ("forward  (\(batch)×\(fanIn))·(\(fanIn)×\(fanOut))", batch, fanOut, fanIn, .none, .transposed),
                ("dW       (\(fanOut)×\(batch))·(\(batch)×\(fanIn))", fanOut, fanIn, batch, .transposed, .none)
            ]
            if index > 0 { products.append(("dX       (\(batch)×\(fanOut))·(\(fanOut)×\(fanIn))", batch, fanIn, fanOut, .none, .none)) }
            for (name, m, n, k, ta, tb) in products {
                let rate = gemmRate(m: m, n: n, k: k, transA: ta, transB: tb)
                let f = 2.0 * Double(m * n * k)
                flops += f
                blasSeconds += f / (rate * 1e9)
                lines.append(String(format: "    %-40@ %6.1f GFLOP/s", name as NSString, rate))
            }
        }
    }
}

func benchmarkTraining(layerSizes: [Int], batch: Int, examples: Int, epochs: Int) throws {
    var generator = SeededGenerator(seed: 42)
    let inputs = Matrix(
        rows: examples, columns: layerSizes[0],
        elements: (0..<examples * layerSizes[0]).map { _ in generator.nextUnitFloat() })
    let labels = (0..<examples).map { _ in generator.nextIndex(below: layerSizes.last!) }
    let model = try MLP(architecture: Architecture(layerSizes: layerSizes), generator: &generator)
    let trainer = Trainer(
        model: model,
        optimizer: SGD(settings: SGDSettings(learningRate: 0.01, momentum: 0.9), for: model.linearLayers),
        batchSize: batch, generator: generator)
    _ = try trainer.trainEpoch(inputs: inputs, labels: labels, epoch: 0, learningRate: 0.01)  // warm-up
    var times: [Double] = []
    for epoch in 1...epochs {
        times.append(try seconds { _ = try trainer.trainEpoch(inputs: inputs, labels: labels, epoch: epoch, learningRate: 0.01) })
    }
    times.sort()
    let median = times[times.count / 2]
    let products = StepProducts(layerSizes: layerSizes, batch: batch)
    let steps = Double((examples + batch - 1) / batch)
    let blasEpoch = products.blasSeconds * steps
    let name = layerSizes.map(String.init).joined(separator: "-")
    print("\(name), batch \(batch), \(examples) examples, \(BLASThreads.current) BLAS thread(s):")
    print(String(format: "  epoch: median %.3f s of %d (min %.3f)   %.0f examples/s", median, epochs, times[0], Double(examples) / median))
    print("  sgemm on this step's products, measured now:")
    products.lines.forEach { print($0) }
    print(
        String(
            format: "  products alone would take %.3f s/epoch; training reaches %.1f GFLOP/s = %.0f%% of that rate",
            blasEpoch, products.flops * steps / median / 1e9, 100 * blasEpoch / median))
}

/// The median epoch of 256-512-256-10 with each toolbox piece, as a ratio to the default (ReLU,
/// cross-entropy, SGD with momentum) measured in the same run. The configurations take turns epoch by
/// epoch, so a burst of load on the shared machine falls on all of them alike.
func benchmarkToolbox(epochs: Int) throws {
    let layerSizes = [256, 512, 256, 10], examples = 60_000, batch = 64
    var generator = SeededGenerator(seed: 42)
    let inputs = Matrix(
        rows: examples, columns: layerSizes[0],
        elements: (0..<examples * layerSizes[0]).map { _ in generator.nextUnitFloat() })
    let labels = (0..<examples).map { _ in generator.nextIndex(below: layerSizes.last!) }
    let sgd = SGDSettings(learningRate: 0.01, momentum: 0.9)
    let configurations: [(name: String, architecture: Architecture, optimizer: OptimizerKind)] = [
        ("default (relu, cross-entropy, sgd)", Architecture(layerSizes: layerSizes), .sgd),
        ("elu", Architecture(layerSizes: layerSizes, activation: .elu), .sgd),
        ("maxout k=2", Architecture(layerSizes: layerSizes, activation: .maxout), .sgd),
        ("hinge", Architecture(layerSizes: layerSizes, loss: .hinge), .sgd),
        ("dropout 0.2", Architecture(layerSizes: layerSizes, dropout: 0.2), .sgd),
        ("adam", Architecture(layerSizes: layerSizes), .adam),
        ("rmsprop", Architecture(layerSizes: layerSizes), .rmsprop),
        ("adagrad", Architecture(layerSizes: layerSizes), .adagrad)
    ]
    let trainers = try configurations.map { configuration in
        var seeded = SeededGenerator(seed: 7)
        let model = try MLP(architecture: configuration.architecture, generator: &seeded)
        let rate: Float = configuration.optimizer == .sgd ? 0.01 : 0.001
        return Trainer(
            model: model,
            optimizer: makeOptimizer(
                configuration.optimizer, settings: SGDSettings(learningRate: rate, momentum: sgd.momentum),
                for: model.linearLayers),
            batchSize: batch, generator: seeded)
    }
    for trainer in trainers {
        _ = try trainer.trainEpoch(inputs: inputs, labels: labels, epoch: 0, learningRate: trainer.optimizer.learningRate)
    }
    var times = [[Double]](repeating: [], count: trainers.count)
    for epoch in 1...epochs {
        for (index, trainer) in trainers.enumerated() {
            times[index].append(
                try seconds {
                    _ = try trainer.trainEpoch(inputs: inputs, labels: labels, epoch: epoch, learningRate: trainer.optimizer.learningRate)
                })
        }
    }
    let medians = times.map { $0.sorted()[$0.count / 2] }
    print("toolbox: 256-512-256-10, batch 64, \(examples) examples, median epoch of \(epochs), ratio to the default in this run:")
    for (configuration, median) in zip(configurations, medians) {
        print(String(format: "  %-36@ %.3f s  %.2f×", configuration.name as NSString, median, median / medians[0]))
    }
    for (configuration, trainer) in zip(configurations, trainers) {
        let state = trainer.optimizer.slots.flatMap { $0 }.flatMap(\.elements)
        let subnormal = state.filter { $0 != 0 && !$0.isNormal }.count
        print("  \(configuration.name): \(subnormal) of \(state.count) state elements subnormal, \(state.filter { $0 == 0 }.count) zero")
    }
}

let options = Options(Array(CommandLine.arguments.dropFirst()))
BLASThreads.set(options.threads)
do {
    if options.augmentationOnly {
        try benchmarkAugmentation(dataDirectory: options.dataDirectory, epochs: max(options.epochs, 3))
        exit(0)
    }
    if options.photosOnly {
        try benchmarkPhotoPreprocessing()
        exit(0)
    }
    if options.toolboxOnly {
        try benchmarkToolbox(epochs: options.epochs)
        exit(0)
    }
    benchmarkDataLoading(dataDirectory: options.dataDirectory)
    print()
    try benchmarkTraining(layerSizes: [256, 128, 10], batch: 64, examples: 60_000, epochs: options.epochs)
    print()
    try benchmarkTraining(layerSizes: [256, 512, 256, 10], batch: 64, examples: 60_000, epochs: options.epochs)
    print()
    try benchmarkToolbox(epochs: options.epochs)
} catch {
    print("benchmark failed: \(error)")
    exit(1)
}
