import DigitsTestSupport
import DigitsCore
import DigitsData
import DigitsJSON
import Foundation
import Testing
@testable import DigitsModel

/// 40 examples of 6 features in 3 classes, the class shifting the features so training learns something.
private let trainingInputs: Matrix = {
    var x = Matrix(rows: 40, columns: 6)
    for r in 0..<40 {
        for c in 0..<6 { x[r, c] = Float((r * 7 + c * 13) % 11) / 11 - 0.5 + (c % 3 == r % 3 ? 1 : 0) }
    }
    return x
}()
private let trainingLabels = (0..<40).map { $0 % 3 }

private let settings = SGDSettings(learningRate: 0.1, momentum: 0.9, nesterov: true, weightDecay: 1e-4)
private let architecture = Architecture(layerSizes: [6, 5, 3], activation: .relu, loss: .crossEntropy)
private let epochs = 4

/// An optimiser choice for the resume tests: SGD with Nesterov, Adam, AdamW, RMSProp, Adagrad.
struct OptimizerCase: Sendable, CustomTestStringConvertible {
    var kind: OptimizerKind
    var adaptive = AdaptiveSettings()
    var testDescription: String { kind.rawValue + (adaptive.decoupledWeightDecay ? " (decoupled decay)" : "") }
    static let all =
        OptimizerKind.allCases.map { OptimizerCase(kind: $0) }
        + [OptimizerCase(kind: .adam, adaptive: AdaptiveSettings(beta1: 0.8, beta2: 0.99, epsilon: 1e-7, decoupledWeightDecay: true))]
}

private func freshTrainer(_ optimizer: OptimizerCase = OptimizerCase(kind: .sgd)) throws -> Trainer {
    var generator = SeededGenerator(seed: 2026)
    let network = try MLP(architecture: architecture, generator: &generator)
    // The adaptive optimisers take steps of about η whatever the gradient: a smaller η for them.
    var settings = settings
    if optimizer.kind != .sgd { settings.learningRate = 0.01 }
    return Trainer(
        model: network,
        optimizer: makeOptimizer(
            optimizer.kind, settings: settings, adaptive: optimizer.adaptive,
            for: network.linearLayers),
        batchSize: 7, generator: generator)
}

/// Runs epochs `range` of a cosine schedule, appending to `history`.
private func train(_ trainer: Trainer, epochs range: Range<Int>, history: inout [EpochRecord]) throws {
    for epoch in range {
        let rate = LearningRateSchedule.cosine.learningRate(base: settings.learningRate, epoch: epoch, epochs: epochs)
        let statistics = try trainer.trainEpoch(inputs: trainingInputs, labels: trainingLabels, epoch: epoch, learningRate: rate)
        history.append(
            EpochRecord(
                statistics: statistics,
                validationAccuracy: trainer.model.accuracy(trainingInputs, labels: trainingLabels),
                seconds: 0.25))
    }
}

private func checkpoint(of trainer: Trainer, after completed: Int, history: [EpochRecord]) -> TrainingCheckpoint {
    TrainingCheckpoint(
        trainer: trainer, preprocessing: .standard, classLabels: ["a", "b", "c"],
        provenance: Provenance(dataset: "fixture", seed: 2026), schedule: .cosine,
        baseLearningRate: settings.learningRate, totalEpochs: epochs, epochsCompleted: completed,
        history: history, bestValidationAccuracy: history.compactMap(\.validationAccuracy).max(),
        bestEpoch: completed - 1, trainingOptions: #"{"hidden":[5],"dataset":"fixture"}"#)
}

/// A checkpoint after two epochs of real training (momentum buffers non-zero).
func makeTinyCheckpoint() throws -> TrainingCheckpoint {
    let trainer = try freshTrainer()
    var history: [EpochRecord] = []
    try train(trainer, epochs: 0..<2, history: &history)
    return checkpoint(of: trainer, after: 2, history: history)
}

@Suite("training checkpoint")
struct TrainingCheckpointTests {
    @Test(
        "resuming from a saved checkpoint ends bit for bit where the uninterrupted run ends, with every optimiser",
        arguments: OptimizerCase.all)
    func resumeIsBitExact(optimizer: OptimizerCase) throws {
        let uninterrupted = try freshTrainer(optimizer)
        var fullHistory: [EpochRecord] = []
        try train(uninterrupted, epochs: 0..<epochs, history: &fullHistory)

        let first = try freshTrainer(optimizer)
        var history: [EpochRecord] = []
        try train(first, epochs: 0..<2, history: &history)
        let directory = try TemporaryDirectory()
        let path = directory.file("run.checkpoint")
        try checkpoint(of: first, after: 2, history: history).save(to: path)

        let loaded = try TrainingCheckpoint.load(from: path)
        #expect(loaded.epochsCompleted == 2)
        let resumed = try loaded.makeTrainer()
        var resumedHistory = loaded.history
        try train(resumed, epochs: loaded.epochsCompleted..<loaded.totalEpochs, history: &resumedHistory)

        for (a, b) in zip(uninterrupted.model.linearLayers, resumed.model.linearLayers) {
            #expect(bitPatterns(a.weight) == bitPatterns(b.weight))
            #expect(bitPatterns(a.bias) == bitPatterns(b.bias))
        }
        #expect(resumed.optimizer.kind == optimizer.kind && resumed.optimizer.adaptive == optimizer.adaptive)
        #expect(uninterrupted.optimizer.slots.count == resumed.optimizer.slots.count)
        for (a, b) in zip(uninterrupted.optimizer.slots, resumed.optimizer.slots) {
            #expect(zip(a, b).allSatisfy { bitPatterns($0) == bitPatterns($1) })
        }
        if optimizer.kind != .sgd { #expect(resumed.optimizer.stepCount == uninterrupted.optimizer.stepCount) }
        #expect(uninterrupted.generator == resumed.generator)
        #expect(resumedHistory == fullHistory)
        // The run moved: the check above is not comparing two untouched networks.
        #expect(bitPatterns(try freshTrainer(optimizer).model.linearLayers[0].weight) != bitPatterns(resumed.model.linearLayers[0].weight))
    }

    @Test("every field round-trips exactly: velocities, settings, generator state, history, options")
    func roundTrip() throws {
        var original = try makeTinyCheckpoint()
        original.generatorState = .max - 2  // beyond Double's 53 bits: must be stored exactly
        original.sgd = SGDSettings(
            learningRate: Float(bitPattern: 0x3DCC_CCCD), momentum: Float(0.95).nextUp,
            nesterov: false, weightDecay: .leastNonzeroMagnitude)
        original.baseLearningRate = 0.3
        original.bestValidationAccuracy = 2.0 / 3.0
        // Awkward floats and doubles in the history's JSON.
        let template = try #require(original.history.first)
        original.history = awkwardFloats.enumerated().map { index, value in
            var statistics = template.statistics
            statistics.epoch = index
            statistics.learningRate = value
            statistics.loss = Double(value) / 3
            statistics.accuracy = 1.0 / Double(index + 3)
            return EpochRecord(statistics: statistics, validationAccuracy: index % 2 == 0 ? nil : 0.1 * Double(index))
        }
        #expect(original.velocities.contains { $0.elements.contains { $0 != 0 } })

        let loaded = try TrainingCheckpoint.decode(try original.encoded())
        #expect(loaded == original)
        #expect(zip(loaded.velocities, original.velocities).allSatisfy { bitPatterns($0) == bitPatterns($1) })
        #expect(loaded.history.map(\.statistics.learningRate.bitPattern) == awkwardFloats.map(\.bitPattern))
        #expect(loaded.history.map(\.statistics.loss.bitPattern) == original.history.map(\.statistics.loss.bitPattern))
        #expect(loaded.sgd.learningRate.bitPattern == 0x3DCC_CCCD)
        #expect(loaded.generatorState == UInt64.max - 2)
        #expect(loaded.trainingOptions == #"{"hidden":[5],"dataset":"fixture"}"#)
        #expect(loaded.model.provenance.dataset == "fixture")
    }

    @Test("the checkpoint's layout: format, velocity tensors, generator state as a decimal string")
    func layout() throws {
        let file = try SafeTensors.decode(try makeTinyCheckpoint().encoded())
        #expect(file.metadata["format"] == "digits-checkpoint")
        #expect(file.metadata["format_version"] == "2")
        // Format 2: snake_case keys in the history's JSON.
        let history = try #require(file.metadata["history"])
        #expect(history.contains(#""learning_rate":"#) && history.contains(#""validation_accuracy":"#), "\(history)")
        #expect(!history.contains("learningRate") && !history.contains("validationAccuracy"), "\(history)")
        #expect(file.metadata["schedule"] == "cosine")
        #expect(file.metadata["epochs_completed"] == "2")
        #expect(UInt64(try #require(file.metadata["generator_state"])) != nil)
        #expect(
            file.tensorNames == [
                "layers.0.weight", "layers.0.bias", "layers.1.weight", "layers.1.bias",
                "velocity.0.weight", "velocity.0.bias", "velocity.1.weight", "velocity.1.bias"
            ])
        #expect(file["velocity.0.weight"]?.shape == [5, 6])
        #expect(file["velocity.1.bias"]?.shape == [3])
    }

    /// What a trainer stores as its options: its own settings, the preprocessing among them.
    struct RunOptions: Codable, Equatable {
        var dataDirectory: String
        var batchSize: Int
        var preprocessing: PreprocessingSettings
    }

    @Test("format 2 stores the preprocessing settings once: dropped from the options, put back from the model")
    func preprocessingStoredOnce() throws {
        var original = try makeTinyCheckpoint()
        original.model.preprocessing.targetBoxSize = 12
        let options = RunOptions(dataDirectory: "data", batchSize: 7, preprocessing: original.model.preprocessing)
        original.trainingOptions = try TrainingCheckpoint.encodeTrainingOptions(options)
        #expect(original.trainingOptions?.contains(#""target_box_size":12"#) == true)

        let file = try SafeTensors.decode(try original.encoded())
        let stored = try #require(file.metadata["training_options"])
        #expect(stored == #"{"batch_size":7,"data_directory":"data"}"#)
        #expect(file.metadata["preprocessing"]?.contains(#""target_box_size":12"#) == true)

        let loaded = try TrainingCheckpoint.decode(try original.encoded())
        #expect(loaded.decodeTrainingOptions(RunOptions.self) == options)
        #expect(loaded.decodeTrainingOptions([Int].self) == nil)  // not what was stored: nil, no trap
    }

    @Test("a format-1 checkpoint still loads: options read with their camelCase keys and own preprocessing copy")
    func formatOneCheckpoint() throws {
        let original = try makeTinyCheckpoint()
        var file = try SafeTensors.decode(try original.encoded())
        file.metadata["format_version"] = "1"
        file.metadata["preprocessing"] = try JSONCoding.encode(PreprocessingSettings.standard, keys: .propertyNames)
        file.metadata["history"] = try JSONCoding.encode(original.history, keys: .propertyNames)
        var other = PreprocessingSettings.standard
        other.inkThreshold = 0.25
        file.metadata["training_options"] = try JSONCoding.encode(
            RunOptions(dataDirectory: "d", batchSize: 7, preprocessing: other), keys: .propertyNames)
        #expect(file.metadata["training_options"]?.contains("dataDirectory") == true)

        let loaded = try TrainingCheckpoint.decode(try file.encoded())
        #expect(loaded.history == original.history)
        #expect(loaded.model.preprocessing == .standard)
        // The options' own (differing) copy is kept for the caller to compare with the model's.
        #expect(loaded.decodeTrainingOptions(RunOptions.self) == RunOptions(dataDirectory: "d", batchSize: 7, preprocessing: other))
        // Saved again it is format 2, snake_case, the preprocessing stored once.
        let again = try SafeTensors.decode(try loaded.encoded())
        #expect(again.metadata["format_version"] == "2")
        #expect(again.metadata["training_options"] == #"{"batch_size":7,"data_directory":"d"}"#)
    }

    @Test("a checkpoint missing a velocity is refused")
    func missingVelocity() throws {
        var file = try makeTinyCheckpoint().makeContainer()
        file.remove("velocity.1.weight")
        #expect(throws: ModelFileError.missingTensor(path: "c", name: "velocity.1.weight")) {
            try TrainingCheckpoint.decode(try file.encoded(), path: "c")
        }
    }

    @Test("a model file given as a checkpoint is refused with a hint")
    func modelGivenAsCheckpoint() throws {
        let error = #expect(throws: ModelFileError.self) {
            try TrainingCheckpoint.decode(try makeTinyModel().encoded(), path: "m")
        }
        #expect(caseName(try #require(error)) == "wrongFormat")
        #expect(error?.description.contains("not a checkpoint") == true)
    }

    @Test("an unreadable generator state is refused")
    func badGeneratorState() throws {
        var file = try makeTinyCheckpoint().makeContainer()
        file.metadata["generator_state"] = "1.5e19"
        #expect(throws: ModelFileError.badMetadata(path: "c", key: "generator_state", value: "1.5e19", expected: "UInt64")) {
            try TrainingCheckpoint.decode(try file.encoded(), path: "c")
        }
    }
}

@Suite("checkpoint fuzz regressions")
struct CheckpointFuzzRegressionTests {
    /// Found reading the code while fuzzing, reproduced through tools/fuzz FuzzModelFile: `makeTrainer()` on a
    /// checkpoint whose `training_batch_size` is 2^62 trapped on overflow sizing the batch buffers (a smaller
    /// lie, ~10^9, asked for gigabytes).
    /// A batch larger than the data is legal, one full batch per epoch, so this loads and trains.
    @Test("a checkpoint claiming batch size 2^62 resumes as full-batch training, no trap")
    func hugeBatchSize() throws {
        let loaded = try TrainingCheckpoint.load(from: Fixtures.path("checkpoint-huge-batch.safetensors"))
        #expect(loaded.batchSize == 1 << 62)
        var fullBatch = loaded
        fullBatch.batchSize = trainingInputs.rows
        let huge = try loaded.makeTrainer(), reference = try fullBatch.makeTrainer()
        #expect(huge.batchCount(examples: trainingInputs.rows) == 1)
        var hugeHistory: [EpochRecord] = [], referenceHistory: [EpochRecord] = []
        try train(huge, epochs: 2..<4, history: &hugeHistory)
        try train(reference, epochs: 2..<4, history: &referenceHistory)
        for (a, b) in zip(huge.model.linearLayers, reference.model.linearLayers) {
            #expect(bitPatterns(a.weight) == bitPatterns(b.weight))
            #expect(bitPatterns(a.bias) == bitPatterns(b.bias))
        }
        #expect(hugeHistory == referenceHistory)
    }

    @Test("batch size Int.max: one batch, no overflow counting batches")
    func maximalBatchSize() throws {
        var checkpoint = try makeTinyCheckpoint()
        checkpoint.batchSize = .max
        let trainer = try TrainingCheckpoint.decode(try checkpoint.encoded()).makeTrainer()
        #expect(trainer.batchCount(examples: trainingInputs.rows) == 1)
        #expect(trainer.batchCount(examples: 0) == 0)
        var history: [EpochRecord] = []
        try train(trainer, epochs: 2..<3, history: &history)
        #expect(history.count == 1)
    }
}

@Suite("training checkpoint: adaptive optimisers")
struct AdaptiveCheckpointTests {
    /// Two epochs with `optimizer`, then the checkpoint.
    static func checkpoint(_ optimizer: OptimizerCase) throws -> TrainingCheckpoint {
        let trainer = try freshTrainer(optimizer)
        var history: [EpochRecord] = []
        try train(trainer, epochs: 0..<2, history: &history)
        return TrainingCheckpoint(
            trainer: trainer, preprocessing: .standard, classLabels: ["a", "b", "c"],
            schedule: .cosine, baseLearningRate: 0.01, totalEpochs: epochs, epochsCompleted: 2,
            history: history)
    }

    @Test(
        "the state is stored under the optimiser's slot names, with its settings and step count, and read back exactly",
        arguments: OptimizerCase.all.filter { $0.kind != .sgd })
    func layout(optimizer: OptimizerCase) throws {
        let original = try Self.checkpoint(optimizer)
        let file = try SafeTensors.decode(try original.encoded())
        #expect(file.metadata["optimizer"] == optimizer.kind.rawValue)
        #expect(file.metadata["optimizer.steps"] == "12")  // 2 epochs × ⌈40/7⌉ = 6 batches
        #expect(file.metadata["optimizer.decoupled_weight_decay"] == String(optimizer.adaptive.decoupledWeightDecay))
        #expect(!file.tensorNames.contains { $0.hasPrefix("velocity.") })
        for name in optimizer.kind.slotNames {
            #expect(file.tensorNames.contains("\(name).0.weight") && file.tensorNames.contains("\(name).1.bias"))
        }
        let loaded = try TrainingCheckpoint.decode(try original.encoded())
        #expect(loaded == original)
        #expect(loaded.optimizerSlots.flatMap { $0 }.contains { $0.maximumMagnitude > 0 }, "the state is not all zero")
    }

    /// Dropout draws its masks from the run's generator, whose state the checkpoint stores, and its
    /// rate is part of the architecture the checkpoint's model holds: resuming is bit-exact with it too.
    @Test("resuming a run with dropout and Adam is bit-exact")
    func resumeWithDropout() throws {
        let withDropout = Architecture(layerSizes: [6, 8, 5, 3], activation: .elu, loss: .hinge, dropout: 0.3)
        func fresh() throws -> Trainer {
            var generator = SeededGenerator(seed: 99)
            let network = try MLP(architecture: withDropout, generator: &generator)
            return Trainer(
                model: network, optimizer: Adam(settings: SGDSettings(learningRate: 0.01), for: network.linearLayers),
                batchSize: 7, generator: generator)
        }
        let uninterrupted = try fresh()
        var ignored: [EpochRecord] = []
        try train(uninterrupted, epochs: 0..<epochs, history: &ignored)
        let first = try fresh()
        var history: [EpochRecord] = []
        try train(first, epochs: 0..<2, history: &history)
        let saved = TrainingCheckpoint(
            trainer: first, preprocessing: .standard, classLabels: ["a", "b", "c"],
            schedule: .cosine, baseLearningRate: settings.learningRate, totalEpochs: epochs,
            epochsCompleted: 2, history: history)
        let resumed = try TrainingCheckpoint.decode(try saved.encoded()).makeTrainer()
        #expect(resumed.model.architecture.dropout == 0.3 && resumed.model.dropoutLayers.count == 2)
        try train(resumed, epochs: 2..<epochs, history: &history)
        for (a, b) in zip(uninterrupted.model.linearLayers, resumed.model.linearLayers) {
            #expect(bitPatterns(a.weight) == bitPatterns(b.weight))
            #expect(bitPatterns(a.bias) == bitPatterns(b.bias))
        }
        #expect(uninterrupted.generator == resumed.generator)
    }

    @Test("an SGD checkpoint has no optimizer keys (files stay as before); one missing a state tensor is refused")
    func sgdUnchangedAndMissingState() throws {
        let sgd = try SafeTensors.decode(try makeTinyCheckpoint().encoded())
        #expect(sgd.metadata["optimizer"] == nil && sgd.metadata["optimizer.steps"] == nil)
        #expect(sgd.tensorNames.contains("velocity.0.weight"))

        var adam = try SafeTensors.decode(try Self.checkpoint(OptimizerCase(kind: .adam)).encoded())
        adam.remove("adam_v.1.bias")
        #expect(throws: ModelFileError.self) { try TrainingCheckpoint.decode(try adam.encoded()) }
        var wrongKind = try SafeTensors.decode(try Self.checkpoint(OptimizerCase(kind: .adam)).encoded())
        wrongKind.metadata["optimizer"] = "rmsprop"
        #expect(throws: ModelFileError.self) { try TrainingCheckpoint.decode(try wrongKind.encoded()) }
    }
}
