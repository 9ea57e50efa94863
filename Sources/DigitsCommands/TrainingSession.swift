import DigitsCore
import DigitsData
import DigitsIO
import DigitsModel
import Foundation

/// Everything that fixes a training run. Stored in checkpoints, so a resumed run continues with
/// exactly the settings it started with.
struct TrainingSettings: Codable, Equatable {
    var dataset: String?
    var images: String?
    var labels: String?
    var dataDirectory: String?
    var validationCount: Int?
    var preprocessing: PreprocessingSettings
    var architecture: Architecture
    var sgd: SGDSettings
    var schedule: LearningRateSchedule
    var epochs: Int
    var batchSize: Int
    var augmentShift: Int
    var seed: UInt64
    var threads: Int
    /// Absent in runs from before the other optimisers: SGD.
    var optimizer: OptimizerKind? = nil
    var adaptive: AdaptiveSettings? = nil
    /// Where the run saves its best model; a resumed run keeps saving there unless told otherwise.
    var output: String?
}

/// Labelled examples preprocessed to network inputs: X (count, 256) and one label per row.
struct Examples {
    var inputs: Matrix
    var labels: [Int]
    var count: Int { labels.count }

    /// The rows at `indices`, in that order.
    func subset(_ indices: [Int]) -> Examples {
        var elements: [Float] = []
        elements.reserveCapacity(indices.count * inputs.columns)
        for i in indices { elements.append(contentsOf: inputs.elements[i * inputs.columns ..< (i + 1) * inputs.columns]) }
        return Examples(inputs: Matrix(rows: indices.count, columns: inputs.columns, elements: elements),
                        labels: indices.map { labels[$0] })
    }
}

/// One run of `digits train`: loads and splits the data, trains epoch by epoch, keeps the best model
/// on validation saved atomically at `output`, and (optionally) the full state at `checkpointPath`.
final class TrainingSession {
    let settings: TrainingSettings
    /// Where the best model goes (recorded in the settings, so checkpoints remember it).
    var output: String { settings.output ?? TrainingDefaults.output }
    let checkpointPath: String?
    private let trainer: Trainer
    private var history: [EpochRecord]
    private var best: (accuracy: Double, epoch: Int, parameters: [(weight: Matrix, bias: Matrix)])?
    /// Whether this process has written `best` to `output` yet. A resumed run may have a best model
    /// from before the interruption and an output it never wrote to.
    private var bestSavedToOutput = false

    /// The checkpoint this run continues, if it is a resumed one (a file it reads, and may overwrite).
    private var resumedFrom: String?
    private var files: TrainingOutput?

    /// A new run.
    init(settings: TrainingSettings, output: String, checkpointPath: String?) throws {
        var settings = settings
        settings.output = output
        self.settings = settings
        self.checkpointPath = checkpointPath
        var generator = SeededGenerator(seed: settings.seed)
        let model = try MLP(architecture: settings.architecture, generator: &generator)
        trainer = Trainer(model: model, optimizer: makeOptimizer(settings.optimizer ?? .sgd, settings: settings.sgd,
                                                                 adaptive: settings.adaptive ?? AdaptiveSettings(), for: model.linearLayers),
                          batchSize: settings.batchSize, generator: generator)
        history = []
    }

    /// A run continued from a checkpoint: its weights, velocities, generator state, history and best model.
    init(resumingFrom path: String, output: String?, checkpointPath: String) throws {
        let checkpoint = try TrainingCheckpoint.load(from: path)
        guard let settings = checkpoint.decodeTrainingOptions(TrainingSettings.self) else {
            throw Failure("\(path): the checkpoint does not record the settings of its run")
        }
        if let problem = settings.problem(resuming: checkpoint) { throw Failure("\(path): \(problem)") }
        var resumedSettings = settings
        resumedSettings.output = try output ?? Self.recordedOutput(settings.output, checkpoint: path)
        resumedFrom = path
        self.settings = resumedSettings
        self.checkpointPath = checkpointPath
        trainer = try checkpoint.makeTrainer()
        history = checkpoint.history
        if let layers = checkpoint.bestLayers, let accuracy = checkpoint.bestValidationAccuracy,
           let epoch = checkpoint.bestEpoch {
            best = (accuracy, epoch, layers.map { ($0.weight, $0.bias) })
        }
        guard history.count == checkpoint.epochsCompleted else {
            throw Failure("\(path): the checkpoint's history has \(history.count) epochs, it says \(checkpoint.epochsCompleted) were completed")
        }
    }

    /// Where a resumed run saves: the output its checkpoint recorded, relative to the checkpoint's own
    /// folder (older checkpoints recorded it as given). Only a path the run itself wrote is accepted:
    /// nothing there yet, or a digits model, never some other file an edited checkpoint points at.
    private static func recordedOutput(_ recorded: String?, checkpoint: String) throws -> String {
        guard let recorded else { return TrainingDefaults.output }
        let folder = AtomicFile.split(checkpoint).directory
        let path = recorded.hasPrefix("/") ? recorded : (folder == "." ? recorded : folder + "/" + recorded)
        if FileManager.default.fileExists(atPath: path) || FileManager.default.fileExists(atPath: path + ".partial") {
            let existing = FileManager.default.fileExists(atPath: path) ? path : path + ".partial"
            do {
                _ = try SavedModel.load(from: existing)
            } catch {
                throw Failure("\(checkpoint): the checkpoint says its run saves to \(path), which holds no digits model "
                              + "(\(error)); give --output to say where the model goes")
            }
        }
        return path
    }

    func run(quiet: Bool) throws {
        let started = Date()
        // Say now, not after the first epoch, when a model or checkpoint could not be saved, and take
        // the output's lock before anything is loaded.
        let inputs = [settings.images, settings.labels, resumedFrom].compactMap { $0 }
        let files = try TrainingOutput(output: output, checkpoint: checkpointPath, inputs: inputs, resumedFrom: resumedFrom)
        self.files = files
        Interruption.install()
        BLASThreads.set(settings.threads)
        let (training, validation, test, sourceName) = try loadData(quiet: quiet)
        trainer.augmentation = settings.augmentShift > 0 ? RandomShift(limit: settings.augmentShift) : nil
        let firstEpoch = history.count
        if firstEpoch >= settings.epochs, !quiet {
            print("the checkpoint has already completed all \(settings.epochs) epochs")
        }
        for epoch in firstEpoch..<settings.epochs {
            let epochStart = Date()
            let rate = settings.schedule.learningRate(base: settings.sgd.learningRate, epoch: epoch, epochs: settings.epochs)
            var bar = ProgressBar(label: String(format: "epoch %\(digits(settings.epochs))d/%d", epoch + 1, settings.epochs),
                                  total: trainer.batchCount(examples: training.count),
                                  examplesPerStep: min(settings.batchSize, training.count),
                                  enabled: !quiet && standardErrorIsTerminal)
            let statistics: EpochStatistics
            do {
                statistics = try trainer.trainEpoch(inputs: training.inputs, labels: training.labels, epoch: epoch,
                                                    learningRate: rate) { done, _, loss in bar.update(done: done, loss: loss) }
            } catch TrainingError.diverged(let epoch, let batch, let loss) {
                bar.finish()
                let kept = best.map { " \(output) is unchanged; this run's best model (epoch \($0.epoch + 1)) is in \(output).partial." } ?? ""
                throw Failure("training diverged: the loss became \(loss) in epoch \(epoch + 1), batch \(batch + 1); "
                              + "lower the learning rate (e.g. --learning-rate \(settings.sgd.learningRate / 2)).\(kept)")
            }
            bar.finish()
            // With no validation split (--validation 0) the best epoch is chosen on training accuracy.
            let validationAccuracy = validation.count > 0
                ? trainer.model.accuracy(validation.inputs, labels: validation.labels) : statistics.accuracy
            let record = EpochRecord(statistics: statistics, validationAccuracy: validationAccuracy,
                                     seconds: Date().timeIntervalSince(epochStart))
            let seconds = record.seconds ?? 0
            history.append(record)
            let improved = best == nil || validationAccuracy > best!.accuracy
            if improved {
                best = (validationAccuracy, epoch, trainer.model.linearLayers.map { ($0.weight, $0.bias) })
                try saveBest(sourceName: sourceName, testAccuracy: nil)
            }
            if let checkpointPath { try saveCheckpoint(to: checkpointPath, sourceName: sourceName) }
            if let signal = Interruption.caught {
                throw Interrupted(signal: signal, message: interruptionMessage(epoch: epoch))
            }
            if !quiet {
                print(String(format: "epoch %\(digits(settings.epochs))d/%d  loss %.4f  train %6.2f%%  validation %6.2f%%  lr %.4f  %.1fs%@",
                             epoch + 1, settings.epochs, statistics.loss, 100 * statistics.accuracy,
                             100 * validationAccuracy, rate, seconds, improved ? "  saved" : ""))
                fflush(nil)
            }
        }
        guard let best else { throw Failure("no epoch was trained") }
        var testAccuracy: Double?
        if let test {
            let bestNetwork = try MLP(architecture: settings.architecture, parameters: best.parameters)
            testAccuracy = bestNetwork.accuracy(test.inputs, labels: test.labels)
            try saveBest(sourceName: sourceName, testAccuracy: testAccuracy)
        } else if !bestSavedToOutput {
            try saveBest(sourceName: sourceName, testAccuracy: nil)
        }
        try files.finish()
        let elapsed = Date().timeIntervalSince(started)
        print(String(format: "best validation accuracy %.2f%% (epoch %d)", 100 * best.accuracy, best.epoch + 1)
              + (testAccuracy.map { String(format: "; test accuracy %.2f%% on %d images", 100 * $0, test!.count) } ?? ""))
        print(String(format: "trained in %.1f s; model saved to %@", elapsed, output))
    }

    // MARK: - Data

    private func loadData(quiet: Bool) throws -> (training: Examples, validation: Examples, test: Examples?, source: String) {
        let preprocessor = Preprocessor(settings: settings.preprocessing)
        let loadStart = Date()
        let source = try DataSource(dataset: settings.dataset, images: settings.images, labels: settings.labels,
                                    dataDirectory: settings.dataDirectory)
        let all = try source.examples(split: .train, preprocessor: preprocessor)
        guard all.count > 0 else { throw Failure("\(settings.images ?? source.name): holds no images to train on") }
        let test = try source.hasTestSplit ? source.examples(split: .test, preprocessor: preprocessor) : nil

        if let asked = settings.validationCount, asked >= all.count {
            throw UsageFailure("--validation \(asked) leaves nothing to train on: \(source.name) has \(all.count) training images")
        }
        let validationCount = min(settings.validationCount ?? (settings.dataset == "mnist" ? 5_000 : all.count / 10),
                                  all.count - 1)
        // The split is drawn from its own stream of the seed, so it does not depend on anything else.
        var splitGenerator = SeededGenerator(seed: settings.seed ^ 0x5EED_5B11_7000_0000)
        var order = Array(0..<all.count)
        order.fisherYatesShuffle(using: &splitGenerator)
        let validation = all.subset(Array(order[..<validationCount]).sorted())
        let training = all.subset(Array(order[validationCount...]).sorted())
        if !quiet {
            print(String(format: "%@: %d training, %d validation%@ images, preprocessed in %.2f s",
                         source.name, training.count, validation.count,
                         test.map { ", \($0.count) test" } ?? "", Date().timeIntervalSince(loadStart)))
            let a = settings.architecture
            print("network \(a.layerSizes.map(String.init).joined(separator: "-")), \(a.activation.rawValue), "
                  + "\(a.loss.rawValue), \(a.parameterCount) parameters; batch \(settings.batchSize), "
                  + "η \(settings.sgd.learningRate) \(settings.schedule.rawValue), \(settings.optimizerDescription), "
                  + "λ \(settings.sgd.weightDecay)\(settings.dropoutDescription), seed \(settings.seed)")
        }
        return (training, validation, test, source.name)
    }

    // MARK: - Saving

    private func saveBest(sourceName: String, testAccuracy: Double?) throws {
        guard let best else { return }
        guard let files else { return }
        try files.saveBest(bestModel(best, sourceName: sourceName, testAccuracy: testAccuracy))
        bestSavedToOutput = true
    }

    private func bestModel(_ best: (accuracy: Double, epoch: Int, parameters: [(weight: Matrix, bias: Matrix)]),
                           sourceName: String, testAccuracy: Double?) -> SavedModel {
        let provenance = Provenance(
            dataset: sourceName, epochs: settings.epochs, seed: settings.seed, batchSize: settings.batchSize,
            learningRate: settings.sgd.learningRate, validationAccuracy: best.accuracy, testAccuracy: testAccuracy,
            created: ISO8601DateFormatter().string(from: Date()), toolVersion: digitsVersion,
            other: [
                "best_epoch": String(best.epoch + 1),
                "schedule": settings.schedule.rawValue,
                "momentum": String(settings.sgd.momentum),
                "nesterov": String(settings.sgd.nesterov),
                "weight_decay": String(settings.sgd.weightDecay),
                "augment_shift": String(settings.augmentShift),
                "validation_examples": String(settings.validationCount ?? -1),
                "blas_threads": String(settings.threads),
            ].merging(settings.toolboxProvenance) { first, _ in first })
        return SavedModel(architecture: settings.architecture, preprocessing: settings.preprocessing,
                          classLabels: SavedModel.digitLabels, provenance: provenance,
                          layers: best.parameters.map { LayerParameters(weight: $0.weight, bias: $0.bias) })
    }

    /// What an interrupted run says: what was kept, and where.
    private func interruptionMessage(epoch: Int) -> String {
        var message = "interrupted after epoch \(epoch + 1) of \(settings.epochs): \(output) is unchanged"
        if let best {
            message += String(format: "; this run's best model (epoch %d, validation %.2f%%) is in %@",
                              best.epoch + 1, 100 * best.accuracy, output + ".partial")
        }
        if let checkpointPath { message += "; continue with --resume \(checkpointPath)" }
        return message
    }

    private func saveCheckpoint(to path: String, sourceName: String) throws {
        // The output is recorded relative to the checkpoint's folder, so a resume from anywhere saves
        // where this run saves.
        var recorded = settings
        recorded.output = relativePath(output, from: AtomicFile.split(path).directory)
        let options = try TrainingCheckpoint.encodeTrainingOptions(recorded)
        var checkpoint = TrainingCheckpoint(
            trainer: trainer, preprocessing: settings.preprocessing, schedule: settings.schedule,
            baseLearningRate: settings.sgd.learningRate, totalEpochs: settings.epochs, epochsCompleted: history.count,
            history: history, bestValidationAccuracy: best?.accuracy, bestEpoch: best?.epoch, trainingOptions: options)
        checkpoint.bestLayers = best?.parameters.map { LayerParameters(weight: $0.weight, bias: $0.bias) }
        try checkpoint.save(to: path)
    }
}

/// How many decimal digits `n` has, to align epoch counters.
private func digits(_ n: Int) -> Int { String(n).count }
