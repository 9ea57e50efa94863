import DigitsCore
import DigitsData
import DigitsEvaluation
import DigitsIO
import DigitsModel
import Foundation

/// Everything that fixes a training run. Stored in checkpoints, so a resumed run continues with
/// exactly the settings it started with.
struct TrainingSettings: Codable, Equatable {
    /// One named dataset or several, comma-separated (`mnist,usps`).
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
    /// Training-time augmentation (`AugmentationSettings.none` for none); the whole-pixel shift that
    /// `--augment-shift` sets is its `shift`.
    var augmentation: AugmentationSettings
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
    /// Indices, in the source file, of the images left out because they hold no ink at all.
    var unreadable: [Int] = []
    /// The images' file, to name it in messages.
    var path = ""
    /// The shape of each example's ink, when asked for.
    var marks: [InkMarks]?
    var count: Int { labels.count }

    /// The rows of each, one after another.
    static func concatenating(_ parts: [Examples]) -> Examples {
        guard parts.count != 1 else { return parts[0] }
        return Examples(
            inputs: Matrix(
                rows: parts.reduce(0) { $0 + $1.count }, columns: Preprocessor.outputCount,
                elements: parts.flatMap(\.inputs.elements)),
            labels: parts.flatMap(\.labels))
    }

    /// The rows at `indices`, in that order.
    func subset(_ indices: [Int]) -> Examples {
        Examples(inputs: inputs.gatheringRows(indices), labels: indices.map { labels[$0] })
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
    /// The validation digits (no pictures of the `nondigits` set), to calibrate the saved model's
    /// "not a digit" threshold.
    private var validationDigits: Matrix?
    /// What the accuracy the best epoch is chosen by is called: "validation", or "training" with
    /// `--validation 0` (no validation split; the lines must not call training accuracy validation).
    private var selectionAccuracyName = "validation"

    /// The checkpoint this run continues, if it is a resumed one (a file it reads, and may overwrite).
    private var resumedFrom: String?
    private var files: TrainingOutput?
    /// Test accuracy of the best model per data set, once measured (provenance `test_accuracy.<name>`).
    private var testAccuracies: [String: Double] = [:]
    /// `--report DIR`: the training curves are written there as epochs end (throttled) and at the end.
    var reportDirectory: String?
    /// When the report was last written and how long that took (its files are fsynced, so tens of
    /// milliseconds on a busy disk), to keep the per-epoch rewrite cheap.
    private var lastReport: (at: Date, seconds: TimeInterval)?

    /// A new run.
    init(settings: TrainingSettings, output: String, checkpointPath: String?) throws {
        var settings = settings
        settings.output = output
        self.settings = settings
        self.checkpointPath = checkpointPath
        var generator = SeededGenerator(seed: settings.seed)
        let model = try MLP(architecture: settings.architecture, generator: &generator)
        trainer = Trainer(
            model: model,
            optimizer: makeOptimizer(
                settings.optimizer ?? .sgd, settings: settings.sgd,
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
            let epoch = checkpoint.bestEpoch
        {
            best = (accuracy, epoch, layers.map { ($0.weight, $0.bias) })
        }
        guard history.count == checkpoint.epochsCompleted else {
            throw Failure(
                "\(path): the checkpoint's history has \(history.count) epochs, it says \(checkpoint.epochsCompleted) were completed")
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
                throw Failure(
                    "\(checkpoint): the checkpoint says its run saves to \(path), which holds no digits model "
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
        let data = try loadData(quiet: quiet)
        let (training, validation, sourceName) = (data.training, data.validation, data.sourceName)
        // Epoch e + 1's augmented inputs are built on a background thread while epoch e trains.
        let prefetcher = data.augmented.map { EpochPrefetcher($0) }
        let digitRows = validation.labels.indices.filter { validation.labels[$0] != LabeledImages.notADigitLabel }
        validationDigits = digitRows.isEmpty ? nil : validation.subset(digitRows).inputs
        if validation.count == 0 { selectionAccuracyName = "training" }
        let firstEpoch = history.count
        if firstEpoch >= settings.epochs, !quiet {
            print("the checkpoint has already completed all \(settings.epochs) epochs")
        }
        for epoch in firstEpoch..<settings.epochs {
            let epochStart = Date()
            let rate = settings.schedule.learningRate(base: settings.sgd.learningRate, epoch: epoch, epochs: settings.epochs)
            var bar = ProgressBar(
                label: String(format: "epoch %\(digits(settings.epochs))d/%d", epoch + 1, settings.epochs),
                total: trainer.batchCount(examples: training.count),
                examplesPerStep: min(settings.batchSize, training.count),
                enabled: !quiet && standardErrorIsTerminal)
            let statistics: EpochStatistics
            let inputs = prefetcher?.inputs(epoch: epoch, threads: 2) ?? training.inputs
            if epoch + 1 < settings.epochs { prefetcher?.prefetch(epoch: epoch + 1) }
            do {
                statistics = try trainer.trainEpoch(
                    inputs: inputs, labels: training.labels, epoch: epoch,
                    learningRate: rate
                ) { done, _, loss in bar.update(done: done, loss: loss) }
            } catch TrainingError.diverged(let epoch, let batch, let loss) {
                bar.finish()
                let kept =
                    best.map { " \(output) is unchanged; this run's best model (epoch \($0.epoch + 1)) is in \(output).partial." } ?? ""
                throw Failure(
                    "training diverged: the loss became \(loss) in epoch \(epoch + 1), batch \(batch + 1); "
                        + "lower the learning rate (e.g. --learning-rate \(settings.sgd.learningRate / 2)).\(kept)")
            }
            bar.finish()
            // With no validation split (--validation 0) the best epoch is chosen on training accuracy.
            let validationAccuracy =
                validation.count > 0
                ? trainer.model.accuracy(validation.inputs, labels: validation.labels) : statistics.accuracy
            let record = EpochRecord(
                statistics: statistics, validationAccuracy: validationAccuracy,
                seconds: Date().timeIntervalSince(epochStart))
            let seconds = record.seconds ?? 0
            history.append(record)
            let improved = best == nil || validationAccuracy > best!.accuracy
            if improved {
                best = (validationAccuracy, epoch, trainer.model.linearLayers.map { ($0.weight, $0.bias) })
                try saveBest(sourceName: sourceName, testAccuracy: nil)
            }
            if let checkpointPath { try saveCheckpoint(to: checkpointPath, sourceName: sourceName) }
            writeReport(sourceName: sourceName, always: Interruption.caught != nil)
            if !quiet {
                print(
                    String(
                        format: "epoch %\(digits(settings.epochs))d/%d  loss %.4f  train %6.2f%%  %@  lr %.4f  %.1fs%@",
                        epoch + 1, settings.epochs, statistics.loss, 100 * statistics.accuracy,
                        validation.count > 0 ? String(format: "validation %6.2f%%", 100 * validationAccuracy) : "validation   none",
                        rate, seconds, improved ? "  saved" : ""))
                fflush(nil)
            }
            // After the epoch's line: "interrupted after epoch N" then follows the line of epoch N
            // (it used to come before it, so the last epoch shown was N − 1, its "saved" unseen).
            if let signal = Interruption.caught {
                throw Interrupted(signal: signal, message: interruptionMessage(epoch: epoch))
            }
        }
        guard let best else { throw Failure("no epoch was trained") }
        var testAccuracy: Double?
        var testSummary = ""
        if !data.tests.isEmpty {
            let bestNetwork = try MLP(architecture: settings.architecture, parameters: best.parameters)
            let accuracies = data.tests.map { bestNetwork.accuracy($0.examples.inputs, labels: $0.examples.labels) }
            let counts = data.tests.map(\.examples.count)
            // Over all test images pooled (one data set: its accuracy).
            testAccuracy = zip(accuracies, counts).reduce(0) { $0 + $1.0 * Double($1.1) } / Double(max(counts.reduce(0, +), 1))
            testAccuracies = Dictionary(uniqueKeysWithValues: zip(data.tests.map(\.name), accuracies))
            try saveBest(sourceName: sourceName, testAccuracy: testAccuracy)
            testSummary =
                data.tests.count == 1
                ? String(format: "; test accuracy %.2f%% on %d images", 100 * accuracies[0], counts[0])
                : "; test accuracy "
                    + zip(data.tests, accuracies).map {
                        String(format: "%@ %.2f%% on %d images", $0.0.name, 100 * $0.1, $0.0.examples.count)
                    }.joined(separator: ", ")
        } else {
            // Saved again even when nothing changed, so the model records the whole run's history.
            try saveBest(sourceName: sourceName, testAccuracy: nil)
        }
        try files.finish()
        writeReport(sourceName: sourceName, always: true)
        let elapsed = Date().timeIntervalSince(started)
        print(
            String(
                format: "best %@ accuracy %.2f%% (epoch %d)%@", selectionAccuracyName, 100 * best.accuracy, best.epoch + 1,
                validation.count > 0 ? "" : ", no validation split") + testSummary)
        print(String(format: "trained in %.1f s; model saved to %@", elapsed, output))
    }

    // MARK: - Data

    /// What a run trains on: the training examples (preprocessed, unaugmented), the validation set,
    /// each data set's test split, and the augmented epochs when augmentation is on.
    private struct LoadedData {
        var training: Examples
        var validation: Examples
        var tests: [(name: String, examples: Examples)]
        var sourceName: String
        var augmented: AugmentedEpochs?
    }

    /// Loads each data set (`--dataset mnist,usps`: several), holds out a validation split from each
    /// (`--validation N` per data set, default 5,000 for MNIST, else 10 %), and concatenates the rest.
    /// Images without ink are left out with one warning line, never a stop.
    private func loadData(quiet: Bool) throws -> LoadedData {
        let preprocessor = Preprocessor(settings: settings.preprocessing)
        let loadStart = Date()
        let names: [String?] = settings.dataset.map { $0.split(separator: ",").map { String($0) } } ?? [nil]
        var parts: [AugmentedEpochs.Part] = []
        var trainingRows: [Examples] = []
        var validationRows: [Examples] = []
        var tests: [(name: String, examples: Examples)] = []
        var counts: [String] = []
        var sourceNames: [String] = []
        for (partIndex, name) in names.enumerated() {
            let source = try DataSource(
                dataset: name, images: settings.images, labels: settings.labels,
                dataDirectory: settings.dataDirectory)
            let (images, imagesPath) = try source.imagesAndPath(split: .train)
            sourceNames.append(source.name)
            let (inputs, kept, blank) = try preprocessor.inputsSkippingBlank(for: images)
            warnAboutBlank(blank, in: imagesPath)
            guard kept.count > 0 else { throw Failure("\(settings.images ?? source.name): holds no images to train on") }
            let all = Examples(inputs: inputs, labels: kept.map { images.labels[$0] })
            if let asked = settings.validationCount, asked >= all.count {
                throw UsageFailure("--validation \(asked) leaves nothing to train on: \(source.name) has \(all.count) training images")
            }
            let validationCount = min(settings.validationCount ?? source.defaultValidationCount(of: all.count), all.count - 1)
            // Each data set's split is drawn from its own stream of the seed (the first one's is the
            // stream a single data set always used), so it depends on nothing else.
            var splitGenerator = SeededGenerator(seed: settings.seed ^ 0x5EED_5B11_7000_0000 ^ UInt64(partIndex))
            var order = Array(0..<all.count)
            order.fisherYatesShuffle(using: &splitGenerator)
            let validationRowsOfPart = Array(order[..<validationCount]).sorted()
            let trainingRowsOfPart = Array(order[validationCount...]).sorted()
            validationRows.append(all.subset(validationRowsOfPart))
            trainingRows.append(all.subset(trainingRowsOfPart))
            parts.append(AugmentedEpochs.Part(images: images, indices: trainingRowsOfPart.map { kept[$0] }))
            if source.hasTestSplit {
                let (testImages, testPath) = try source.imagesAndPath(split: .test)
                let (testInputs, testKept, testBlank) = try preprocessor.inputsSkippingBlank(for: testImages)
                warnAboutBlank(testBlank, in: testPath)
                tests.append((source.name, Examples(inputs: testInputs, labels: testKept.map { testImages.labels[$0] })))
            }
            counts.append(
                String(
                    format: "%@: %d training, %d validation%@", source.name, trainingRowsOfPart.count,
                    validationCount, tests.last.map { $0.name == source.name ? ", \($0.examples.count) test" : "" } ?? ""))
        }
        let training = Examples.concatenating(trainingRows)
        let validation = Examples.concatenating(validationRows)
        let sourceName = sourceNames.joined(separator: ",")
        let augmented =
            settings.augmentation.isIdentity
            ? nil
            : AugmentedEpochs(
                parts: parts, clean: training.inputs, preprocessing: settings.preprocessing,
                augmentation: settings.augmentation, seed: settings.seed)
        if !quiet {
            print(
                counts.joined(separator: "; ") + " images, "
                    + String(format: "preprocessed in %.2f s", Date().timeIntervalSince(loadStart)))
            let a = settings.architecture
            print(
                "network \(a.layerSizes.map(String.init).joined(separator: "-")), \(a.activation.rawValue), "
                    + "\(a.loss.rawValue), \(a.parameterCount) parameters; batch \(settings.batchSize), "
                    + "η \(settings.sgd.learningRate) \(settings.schedule.rawValue), \(settings.optimizerDescription), "
                    + "λ \(settings.sgd.weightDecay)\(settings.dropoutDescription), seed \(settings.seed); "
                    + "augmentation \(settings.augmentation.summary)")
            fflush(nil)  // seen now, not after the first (augmented) epoch, when stdout is a pipe
        }
        return LoadedData(
            training: training, validation: validation, tests: tests, sourceName: sourceName,
            augmented: augmented)
    }

    /// One line on stderr naming the file and the indices of the images left out for having no ink.
    private func warnAboutBlank(_ blank: [Int], in setName: String) {
        guard let first = blank.first else { return }
        let shown = blank.prefix(10).map(String.init).joined(separator: ", ") + (blank.count > 10 ? ", …" : "")
        let message =
            "digits train: warning: \(setName): \(blank.count) image\(blank.count == 1 ? "" : "s") without ink "
            + "(index \(blank.count == 1 ? String(first) : shown)) left out\n"
        FileHandle.standardError.write(Data(message.utf8))
    }

    // MARK: - Saving

    private func saveBest(sourceName: String, testAccuracy: Double?) throws {
        guard let best else { return }
        guard let files else { return }
        try files.saveBest(bestModel(best, sourceName: sourceName, testAccuracy: testAccuracy))
        bestSavedToOutput = true
    }

    private func bestModel(
        _ best: (accuracy: Double, epoch: Int, parameters: [(weight: Matrix, bias: Matrix)]),
        sourceName: String, testAccuracy: Double?
    ) -> SavedModel {
        // Every knob, exactly (the summary rounds), so the recipe can be rerun from the file alone.
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let augmentationJSON = (try? encoder.encode(settings.augmentation)).map { String(decoding: $0, as: UTF8.self) } ?? "?"
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
                "augmentation": settings.augmentation.summary,
                "augmentation_settings": augmentationJSON,
                "validation_examples": String(settings.validationCount ?? -1),
                "blas_threads": String(settings.threads),
                "blas_kernels": BLASKernels.current
            ].merging(ModelHistory.provenanceValue(history).map { [ModelHistory.provenanceKey: $0] } ?? [:]) { $1 }
                .merging(rejectionMetadata(best.parameters)) { $1 }
                .merging(testAccuracies.map { ("test_accuracy.\($0.key)", String($0.value)) }) { $1 }
                .merging(settings.toolboxProvenance) { first, _ in first })
        return SavedModel(
            architecture: settings.architecture, preprocessing: settings.preprocessing,
            classLabels: classLabels, provenance: provenance,
            layers: best.parameters.map { LayerParameters(weight: $0.weight, bias: $0.bias) })
    }

    /// The ten digits, and "not-a-digit" after them when the network has that 11th output.
    private var classLabels: [String] {
        settings.architecture.classCount == 11 ? SavedModel.digitAndRejectLabels : SavedModel.digitLabels
    }

    /// The training curves so far into `--report DIR`. A failure to write them is one warning line,
    /// never the end of the run: the model matters more than its pictures. Between epochs the report
    /// is rewritten only when at least 20 times its last writing time has passed since, so it costs at
    /// most about 5 % of a run of short epochs (30 epochs of 0.2 s went from 7.6 s to 12.9 s when it
    /// was written after each one); at the end and on an interruption it is always written.
    private func writeReport(sourceName: String, always: Bool) {
        guard let reportDirectory else { return }
        if !always, let lastReport, Date().timeIntervalSince(lastReport.at) < 20 * lastReport.seconds { return }
        let started = Date()
        defer { lastReport = (Date(), Date().timeIntervalSince(started)) }
        let a = settings.architecture
        var facts: [(String, String)] = [
            ("model", output), ("trained on", sourceName),
            ("network", "\(a.layerSizes.map(String.init).joined(separator: "-")), \(a.activation.rawValue), \(a.loss.rawValue)"),
            (
                "optimiser",
                "η \(settings.sgd.learningRate) \(settings.schedule.rawValue), \(settings.optimizerDescription), λ \(settings.sgd.weightDecay)"
            ),
            ("epochs", "\(history.count) of \(settings.epochs)"), ("batch size", String(settings.batchSize)),
            ("seed", String(settings.seed)), ("augmentation", settings.augmentation.summary)
        ]
        if let best { facts.append(("best epoch", String(format: "%d (validation %.2f%%)", best.epoch + 1, 100 * best.accuracy))) }
        for (name, accuracy) in testAccuracies.sorted(by: { $0.key < $1.key }) {
            facts.append(("test accuracy, \(name)", String(format: "%.2f%%", 100 * accuracy)))
        }
        do {
            try writeTrainingReport(
                to: reportDirectory, history: ModelHistory.trainingHistory(history, bestEpoch: best.map { $0.epoch + 1 }), title: output,
                facts: facts)
        } catch {
            FileHandle.standardError.write(Data("digits train: warning: report not written: \(error)\n".utf8))
        }
    }

    /// For `classify`'s "not a digit" (`RejectionRule`): with a trained "not a digit" class, the bar
    /// it must clear (its probability over the likeliest digit's, lowered until 0.4 % of the validation
    /// digits are refused by it); then the confidence below which 0.2 % of the validation digits fall
    /// (digits the class refuses count as below); nothing without a validation split.
    private func rejectionMetadata(_ parameters: [(weight: Matrix, bias: Matrix)]) -> [String: String] {
        guard let validationDigits, let network = try? MLP(architecture: settings.architecture, parameters: parameters)
        else { return [:] }
        let probabilities = network.probabilities(validationDigits)
        let classes = probabilities.columns
        let rows = (0..<probabilities.rows).map { row in Array(probabilities.elements[row * classes..<(row + 1) * classes]) }
        var rule = RejectionRule(minimumConfidence: nil, notADigitClass: classes == 11 ? 10 : nil)
        var metadata: [String: String] = [:]
        if let ratio = rule.calibrateNotADigitRatio(validationDigitProbabilities: rows) {
            rule.notADigitRatio = ratio
            metadata[RejectionRule.ratioMetadataKey] = String(ratio)
        }
        guard let threshold = rule.calibrate(validationDigitProbabilities: rows) else { return metadata }
        metadata[RejectionRule.metadataKey] = String(threshold)
        return metadata
    }

    /// What an interrupted run says: what was kept, and where.
    private func interruptionMessage(epoch: Int) -> String {
        var message = "interrupted after epoch \(epoch + 1) of \(settings.epochs): \(output) is unchanged"
        if let best {
            message += String(
                format: "; this run's best model (epoch %d, %@ %.2f%%) is in %@",
                best.epoch + 1, selectionAccuracyName, 100 * best.accuracy, output + ".partial")
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
