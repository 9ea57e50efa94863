import DigitsCore
import DigitsData
import DigitsJSON
import DigitsModel
import Foundation
import Testing
@testable import DigitsCommands

/// A checkpoint's `training_options` is file content: damaged, it must give one line, not a trap in training.
@Suite("resuming from a checkpoint with damaged training_options")
struct ResumeSettingsTests {
    static let architecture = Architecture(layerSizes: [256, 4, 10], activation: .relu, loss: .crossEntropy)
    static let settings = TrainingSettings(
        dataset: "usps", images: nil, labels: nil, dataDirectory: nil, validationCount: nil,
        preprocessing: .standard, architecture: architecture,
        sgd: SGDSettings(learningRate: 0.1, momentum: 0.9), schedule: .cosine, epochs: 3, batchSize: 8,
        augmentation: .standard, seed: 7, threads: 1)

    /// A fresh checkpoint (no epochs done) whose options are `settings` as JSON, written to a temporary file.
    static func resume(
        _ settings: TrainingSettings, batchSize: Int = 8, architecture: Architecture = architecture,
        asFormatOne: Bool = false
    ) throws -> Result<Void, Failure> {
        var generator = SeededGenerator(seed: 1)
        let network = try MLP(architecture: architecture, generator: &generator)
        let trainer = Trainer(
            model: network, optimizer: SGD(settings: settings.sgd, for: network.linearLayers),
            batchSize: batchSize, generator: generator)
        let options = try TrainingCheckpoint.encodeTrainingOptions(settings)
        let checkpoint = TrainingCheckpoint(
            trainer: trainer, preprocessing: .standard, schedule: .cosine,
            baseLearningRate: 0.1, totalEpochs: 3, epochsCompleted: 0,
            trainingOptions: options)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("digits-resume-\(UUID()).ckpt").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        if asFormatOne {
            // As format 1 wrote it: Swift's property names, the preprocessing settings inside the options too.
            var file = try SafeTensors.decode(try checkpoint.encoded())
            file.metadata["format_version"] = "1"
            file.metadata["training_options"] = String(decoding: try JSONEncoder().encode(settings), as: UTF8.self)
            let preprocessing = try #require(file.metadata["preprocessing"])
            let camelCase = try JSONCoding.encode(
                try JSONCoding.decode(PreprocessingSettings.self, from: preprocessing),
                keys: .propertyNames)
            file.metadata["preprocessing"] = camelCase
            file.metadata["history"] = "[]"
            try Data(try file.encoded()).write(to: URL(fileURLWithPath: path))
        } else {
            try checkpoint.save(to: path)
            // Format 2 stores the preprocessing settings once, in the model's metadata.
            let stored = try #require(try SafeTensors.load(from: path).metadata["training_options"])
            #expect(!stored.contains("preprocessing") && stored.contains(#""batch_size":"#), "\(stored)")
        }
        do {
            _ = try TrainingSession(resumingFrom: path, output: path + ".model", checkpointPath: path)
            return .success(())
        } catch let failure as Failure {
            #expect(failure.description.hasPrefix(path + ": "))
            return .failure(failure)
        }
    }

    @Test("consistent settings resume")
    func consistent() throws {
        #expect(throws: Never.self) { try Self.resume(Self.settings).get() }
    }

    @Test(
        "each damaged setting is refused with its own message",
        arguments: [
            "epochs", "batch size", "augmentation", "threads", "validation examples", "learning rate",
            "layer sizes", "output with control characters"
        ])
    func damaged(phrase: String) throws {
        var settings = Self.settings
        switch phrase {
        case "epochs": settings.epochs = 0
        case "batch size": settings.batchSize = 1 << 62
        case "augmentation": settings.augmentation.shift = Int.max
        case "threads": settings.threads = 0
        case "validation examples": settings.validationCount = -5
        case "learning rate": settings.sgd.learningRate = -1
        case "output with control characters": settings.output = "model\u{1B}]0;pwned\u{7}.safetensors"
        default: settings.architecture.layerSizes = [256, 5, 10]
        }
        guard case .failure(let failure) = try Self.resume(settings) else {
            Issue.record("resumed despite bad \(phrase)")
            return
        }
        #expect(failure.description.contains(phrase), "\(failure)")
    }

    @Test("a format-1 checkpoint (camelCase options holding their own preprocessing settings) still resumes")
    func formatOne() throws {
        #expect(throws: Never.self) { try Self.resume(Self.settings, asFormatOne: true).get() }
    }

    @Test("a format-1 checkpoint whose two copies of the preprocessing settings differ is refused")
    func formatOnePreprocessingMismatch() throws {
        var settings = Self.settings
        settings.preprocessing.targetBoxSize = 12
        guard case .failure(let failure) = try Self.resume(settings, asFormatOne: true) else {
            Issue.record("resumed despite two different preprocessing settings")
            return
        }
        #expect(failure.description.contains("preprocessing"), "\(failure)")
    }

    @Test("a network that does not take 16 × 16 inputs is refused before training traps on it")
    func wrongInputSize() throws {
        var settings = Self.settings
        settings.architecture = Architecture(layerSizes: [6, 4, 10], activation: .relu, loss: .crossEntropy)
        guard case .failure(let failure) = try Self.resume(settings, architecture: settings.architecture) else {
            Issue.record("resumed a 6-input network")
            return
        }
        #expect(failure.description.contains("takes 6 inputs"), "\(failure)")
    }
}

@Suite("loading a model for classify and evaluate")
struct ModelOptionsTests {
    /// Repository path of a committed DigitsModelTests fixture.
    static func modelFixture(_ name: String) -> String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("DigitsModelFixtures").appendingPathComponent(name).path
    }

    /// A valid model file for a 5-input, 3-class network trapped `digits classify` in Linear's precondition
    /// ("Linear expects 5 inputs, got 256"); it is now one line naming the file.
    @Test("a well-formed model of the wrong shape is refused, not run")
    func wrongShape() throws {
        let path = Self.modelFixture("tiny-digits-mlp-v1.safetensors")
        let options = try ModelOptions.parse(["--model", path])
        #expect(throws: Failure.self) { try options.load() }
        do {
            _ = try options.load()
        } catch let failure as Failure {
            #expect(
                failure.description
                    == "\(path): the network maps 5 inputs to 3 classes; digits needs 256 inputs (16 × 16) and 10 classes (or 11, the last labelled not-a-digit)"
            )
        }
    }
}
