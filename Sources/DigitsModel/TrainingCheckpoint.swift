import DigitsCore
import DigitsData
import DigitsJSON

/// One epoch of a training run as the history records it: the trainer's statistics plus the
/// validation accuracy measured after the epoch (nil when there was no validation split).
public struct EpochRecord: Codable, Equatable, Sendable {
    public var statistics: EpochStatistics
    public var validationAccuracy: Double?
    /// Wall-clock seconds the epoch took (informational; not part of the bit-exact state).
    public var seconds: Double?

    public init(statistics: EpochStatistics, validationAccuracy: Double? = nil, seconds: Double? = nil) {
        self.statistics = statistics
        self.validationAccuracy = validationAccuracy
        self.seconds = seconds
    }

    private enum CodingKeys: String, CodingKey { case validationAccuracy, seconds }

    /// Flat JSON: the statistics' own keys beside `validationAccuracy` and `seconds`.
    public init(from decoder: Decoder) throws {
        statistics = try EpochStatistics(from: decoder)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        validationAccuracy = try container.decodeIfPresent(Double.self, forKey: .validationAccuracy)
        seconds = try container.decodeIfPresent(Double.self, forKey: .seconds)
    }

    public func encode(to encoder: Encoder) throws {
        try statistics.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeIfPresent(validationAccuracy, forKey: .validationAccuracy)
        try container.encodeIfPresent(seconds, forKey: .seconds)
    }
}

/// The whole state of a training run after some epochs, so that resuming from it continues exactly
/// as the uninterrupted run would have: weights, momentum buffers, optimiser and schedule settings,
/// batch size, the generator's state, the history. Same container as the model, `format` =
/// `digits-checkpoint`, with the velocities as tensors `velocity.<layer>.weight` / `.bias`.
public struct TrainingCheckpoint: Equatable, Sendable {
    public static let formatName = "digits-checkpoint"
    /// As the model's: 2 writes the JSON in the metadata with snake_case keys and stores the
    /// preprocessing settings once (the model's), not again inside `training_options`.
    public static let formatVersion = 2
    public static let supportedVersions = [1, 2]

    /// The network and its description, as a model file would hold them.
    public var model: SavedModel
    /// SGD's velocities in the order of `SGD.velocities`: W₁ (out, in), b₁ (1, out), W₂, b₂, …
    /// (empty with another optimiser, whose state is `optimizerSlots`).
    public var velocities: [Matrix]
    /// η and λ for every optimiser; momentum and Nesterov for SGD.
    public var sgd: SGDSettings
    /// Which optimiser the run uses (metadata `optimizer`; absent, in files from before: SGD).
    public var optimizer: OptimizerKind = .sgd
    /// Adam's β₁, β₂, RMSProp's ρ, ε, AdamW's decoupled decay (stored only for an adaptive optimiser).
    public var adaptive = AdaptiveSettings()
    /// The adaptive optimiser's state, one array per `optimizer.slotNames` entry, each ordered like
    /// `velocities`; tensors `<slot>.<layer>.weight` / `.bias` (e.g. `adam_m.0.weight`). Empty for SGD.
    public var optimizerSlots: [[Matrix]] = []
    /// Steps the adaptive optimiser has taken (Adam's t); 0 and not stored for SGD, which does not use it.
    public var optimizerSteps = 0
    public var schedule: LearningRateSchedule
    public var baseLearningRate: Float
    public var totalEpochs: Int
    public var batchSize: Int
    /// `SeededGenerator.state` at the end of the last completed epoch.
    public var generatorState: UInt64
    public var epochsCompleted: Int
    public var history: [EpochRecord]
    public var bestValidationAccuracy: Double?
    /// The epoch (0-based) whose weights are the best on validation so far.
    public var bestEpoch: Int?
    /// Whatever else the trainer needs to rebuild itself: its options as JSON, made with
    /// `encodeTrainingOptions` and read back with `decodeTrainingOptions`. Saving drops a
    /// `preprocessing` member from it: the model's settings are the run's, stored once.
    /// Options read from a format-1 file have their keys converted to snake_case when loaded.
    public var trainingOptions: String?
    /// The weights of the best epoch on validation so far (the run's result if no later epoch beats it),
    /// so a resumed run ends with the same model as an uninterrupted one. Tensors `best.<i>.weight`/`bias`.
    public var bestLayers: [LayerParameters]?

    public init(
        model: SavedModel, velocities: [Matrix], sgd: SGDSettings, schedule: LearningRateSchedule,
        baseLearningRate: Float, totalEpochs: Int, batchSize: Int, generatorState: UInt64,
        epochsCompleted: Int, history: [EpochRecord] = [], bestValidationAccuracy: Double? = nil,
        bestEpoch: Int? = nil, trainingOptions: String? = nil
    ) {
        self.model = model
        self.velocities = velocities
        self.sgd = sgd
        self.schedule = schedule
        self.baseLearningRate = baseLearningRate
        self.totalEpochs = totalEpochs
        self.batchSize = batchSize
        self.generatorState = generatorState
        self.epochsCompleted = epochsCompleted
        self.history = history
        self.bestValidationAccuracy = bestValidationAccuracy
        self.bestEpoch = bestEpoch
        self.trainingOptions = trainingOptions
    }

    /// A snapshot of a trainer between epochs (weights and velocities are copied).
    public init(
        trainer: Trainer, preprocessing: PreprocessingSettings, classLabels: [String] = SavedModel.digitLabels,
        provenance: Provenance = Provenance(), schedule: LearningRateSchedule, baseLearningRate: Float,
        totalEpochs: Int, epochsCompleted: Int, history: [EpochRecord] = [],
        bestValidationAccuracy: Double? = nil, bestEpoch: Int? = nil, trainingOptions: String? = nil
    ) {
        let optimizer = trainer.optimizer
        self.init(
            model: SavedModel(
                network: trainer.model, preprocessing: preprocessing, classLabels: classLabels,
                provenance: provenance),
            velocities: optimizer.kind == .sgd ? optimizer.slots[0] : [], sgd: optimizer.settings, schedule: schedule,
            baseLearningRate: baseLearningRate, totalEpochs: totalEpochs, batchSize: trainer.batchSize,
            generatorState: trainer.generator.state, epochsCompleted: epochsCompleted, history: history,
            bestValidationAccuracy: bestValidationAccuracy, bestEpoch: bestEpoch,
            trainingOptions: trainingOptions)
        if optimizer.kind != .sgd {
            self.optimizer = optimizer.kind
            adaptive = optimizer.adaptive
            optimizerSlots = optimizer.slots
            optimizerSteps = optimizer.stepCount
        }
    }

    /// A trainer in exactly the saved state: network, optimiser with its state, generator, batch size.
    public func makeTrainer() throws(ArchitectureError) -> Trainer {
        let network = try model.makeNetwork()
        let optimizer = makeOptimizer(self.optimizer, settings: sgd, adaptive: adaptive, for: network.linearLayers)
        let saved = self.optimizer == .sgd ? [velocities] : optimizerSlots
        guard saved.count == optimizer.slots.count else {
            throw .parameterShape(
                layer: 0, expected: "\(optimizer.slots.count) optimiser state slots",
                found: "\(saved.count)")
        }
        for (slot, fresh) in zip(saved, optimizer.slots) {
            guard slot.count == fresh.count else {
                throw .parameterShape(
                    layer: slot.count / 2, expected: "\(fresh.count) velocities",
                    found: "\(slot.count) velocities")
            }
            for (index, (saved, fresh)) in zip(slot, fresh).enumerated() {
                guard saved.rows == fresh.rows, saved.columns == fresh.columns else {
                    throw .parameterShape(
                        layer: index / 2, expected: "velocity \(fresh.rows)×\(fresh.columns)",
                        found: "velocity \(saved.rows)×\(saved.columns)")
                }
            }
        }
        optimizer.slots = saved
        optimizer.stepCount = optimizerSteps
        guard batchSize > 0 else {
            throw .parameterShape(layer: 0, expected: "a positive batch size", found: "batch size \(batchSize)")
        }
        var generator = SeededGenerator(seed: 0)
        generator.state = generatorState
        return Trainer(model: network, optimizer: optimizer, batchSize: batchSize, generator: generator)
    }

    /// Saves atomically, like `SavedModel.save(to:)`.
    public func save(to path: String) throws(ModelFileError) {
        try writeContainer(makeContainer(path: path), to: path)
    }

    public func encoded() throws(ModelFileError) -> [UInt8] {
        try encode(makeContainer(path: "<memory>"), path: "<memory>")
    }

    /// A run's options as `trainingOptions` holds them: JSON with snake_case keys, like the rest of
    /// the metadata. A `preprocessing` member is dropped when saving and put back, from the model, by
    /// `decodeTrainingOptions`.
    public static func encodeTrainingOptions<T: Encodable>(_ options: T) throws(ModelFileError) -> String {
        try MetadataJSON.encode(options, key: CheckpointKey.trainingOptions, path: "<memory>")
    }

    /// The run's options read back, with the model's preprocessing settings as their `preprocessing`
    /// member — unless they have their own (a format-1 file stored the settings twice), which the
    /// caller should compare with the model's. Nil when there are none or they do not decode as `T`.
    public func decodeTrainingOptions<T: Decodable>(_ type: T.Type) -> T? {
        guard let trainingOptions, var options = try? JSONParser.parse(trainingOptions),
            case .object = options
        else { return nil }
        if options[ModelKey.preprocessing] == nil {
            guard let preprocessing = try? JSONCoding.value(model.preprocessing) else { return nil }
            options = options.setting(ModelKey.preprocessing, to: preprocessing)
        }
        return try? JSONCoding.decode(type, from: options, keys: .snakeCase)
    }

    public static func load(from path: String) throws(ModelFileError) -> TrainingCheckpoint {
        let container: SafeTensors
        do { container = try SafeTensors.load(from: path) } catch { throw .file(error) }
        return try TrainingCheckpoint(container: container, path: path)
    }

    public static func decode(_ bytes: [UInt8], path: String = "<memory>") throws(ModelFileError) -> TrainingCheckpoint {
        let container: SafeTensors
        do { container = try SafeTensors.decode(bytes, path: path) } catch { throw .file(error) }
        return try TrainingCheckpoint(container: container, path: path)
    }
}

// MARK: - Layout

enum CheckpointKey {
    static let velocityPrefix = "velocity"
    static let optimizer = "optimizer"
    static let optimizerSteps = "optimizer.steps"
    static let adamBeta1 = "adam.beta1"
    static let adamBeta2 = "adam.beta2"
    static let rmspropRho = "rmsprop.rho"
    static let adaptiveEpsilon = "optimizer.epsilon"
    static let decoupledWeightDecay = "optimizer.decoupled_weight_decay"
    /// Tensor-name prefixes of every optimiser's state except SGD's (`velocity`).
    static let adaptiveSlotPrefixes = OptimizerKind.allCases.filter { $0 != .sgd }.flatMap(\.slotNames).map { $0 + "." }
    static let sgdLearningRate = "sgd.learning_rate"
    static let sgdMomentum = "sgd.momentum"
    static let sgdNesterov = "sgd.nesterov"
    static let sgdWeightDecay = "sgd.weight_decay"
    static let schedule = "schedule"
    static let baseLearningRate = "base_learning_rate"
    static let totalEpochs = "total_epochs"
    static let batchSize = "training_batch_size"
    static let generatorState = "generator_state"
    static let epochsCompleted = "epochs_completed"
    static let history = "history"
    static let bestValidationAccuracy = "best_validation_accuracy"
    static let bestEpoch = "best_epoch"
    static let trainingOptions = "training_options"
    static let bestPrefix = "best"
}

extension TrainingCheckpoint {
    func makeContainer(path: String = "<memory>") throws(ModelFileError) -> SafeTensors {
        var container = try model.makeContainer(format: Self.formatName, version: Self.formatVersion, path: path)
        // Floats as their `description`, the shortest text that reads back to the same value.
        container.metadata[CheckpointKey.sgdLearningRate] = sgd.learningRate.description
        container.metadata[CheckpointKey.sgdMomentum] = sgd.momentum.description
        container.metadata[CheckpointKey.sgdNesterov] = String(sgd.nesterov)
        container.metadata[CheckpointKey.sgdWeightDecay] = sgd.weightDecay.description
        container.metadata[CheckpointKey.schedule] = schedule.rawValue
        container.metadata[CheckpointKey.baseLearningRate] = baseLearningRate.description
        container.metadata[CheckpointKey.totalEpochs] = String(totalEpochs)
        container.metadata[CheckpointKey.batchSize] = String(batchSize)
        container.metadata[CheckpointKey.generatorState] = String(generatorState)
        container.metadata[CheckpointKey.epochsCompleted] = String(epochsCompleted)
        container.metadata[CheckpointKey.history] = try MetadataJSON.encode(history, key: CheckpointKey.history, path: path)
        container.metadata[CheckpointKey.bestValidationAccuracy] = bestValidationAccuracy?.description
        container.metadata[CheckpointKey.bestEpoch] = bestEpoch.map(String.init)
        container.metadata[CheckpointKey.trainingOptions] = trainingOptions.map(Self.storedOnce)
        for (index, layer) in (bestLayers ?? []).enumerated() {
            container.set(ModelKey.weight(index, prefix: CheckpointKey.bestPrefix), SafeTensors.Tensor(layer.weight))
            container.set(ModelKey.bias(index, prefix: CheckpointKey.bestPrefix), SafeTensors.Tensor(vector: layer.bias))
        }
        // SGD checkpoints are written exactly as before the other optimisers existed.
        let slots = optimizer == .sgd ? [velocities] : optimizerSlots
        for (name, slot) in zip(optimizer.slotNames, slots) {
            for (index, state) in slot.enumerated() {
                let layer = index / 2
                if index % 2 == 0 {
                    container.set(ModelKey.weight(layer, prefix: name), SafeTensors.Tensor(state))
                } else {
                    container.set(ModelKey.bias(layer, prefix: name), SafeTensors.Tensor(vector: state))
                }
            }
        }
        if optimizer != .sgd {
            container.metadata[CheckpointKey.optimizer] = optimizer.rawValue
            container.metadata[CheckpointKey.optimizerSteps] = String(optimizerSteps)
            container.metadata[CheckpointKey.adamBeta1] = adaptive.beta1.description
            container.metadata[CheckpointKey.adamBeta2] = adaptive.beta2.description
            container.metadata[CheckpointKey.rmspropRho] = adaptive.rho.description
            container.metadata[CheckpointKey.adaptiveEpsilon] = adaptive.epsilon.description
            container.metadata[CheckpointKey.decoupledWeightDecay] = String(adaptive.decoupledWeightDecay)
        }
        return container
    }

    /// `text` without its `preprocessing` member, when it is a JSON object that has one.
    private static func storedOnce(_ text: String) -> String {
        guard let value = try? JSONParser.parse(text), value[ModelKey.preprocessing] != nil else { return text }
        return JSONWriter.write(value.removing(ModelKey.preprocessing))
    }

    init(container: SafeTensors, path: String) throws(ModelFileError) {
        let model = try SavedModel(
            container: container, path: path, format: Self.formatName,
            supportedVersions: Self.supportedVersions,
            extraTensorPrefixes: [CheckpointKey.velocityPrefix + ".", CheckpointKey.bestPrefix + "."]
                + CheckpointKey.adaptiveSlotPrefixes)
        var metadata = MetadataReader(metadata: container.metadata, path: path)
        try metadata.checkFormat(Self.formatName, supported: Self.supportedVersions)
        let tensors = TensorReader(container: container, path: path)
        let optimizer =
            container.metadata[CheckpointKey.optimizer] == nil
            ? OptimizerKind.sgd : try metadata.required(CheckpointKey.optimizer, as: OptimizerKind.self)
        var slots: [[Matrix]] = []
        for name in optimizer.slotNames {
            var slot: [Matrix] = []
            for (index, shape) in model.architecture.weightShapes.enumerated() {
                slot.append(try tensors.matrix(ModelKey.weight(index, prefix: name), rows: shape.rows, columns: shape.columns))
                slot.append(try tensors.vector(ModelKey.bias(index, prefix: name), count: shape.rows))
            }
            slots.append(slot)
        }
        let velocities = optimizer == .sgd ? slots[0] : []
        var bestLayers: [LayerParameters]?
        if container.tensorNames.contains(where: { $0.hasPrefix(CheckpointKey.bestPrefix + ".") }) {
            bestLayers = []
            for (index, shape) in model.architecture.weightShapes.enumerated() {
                bestLayers?.append(
                    LayerParameters(
                        weight: try tensors.matrix(
                            ModelKey.weight(index, prefix: CheckpointKey.bestPrefix),
                            rows: shape.rows, columns: shape.columns),
                        bias: try tensors.vector(ModelKey.bias(index, prefix: CheckpointKey.bestPrefix), count: shape.rows)))
            }
        }
        let layerCount = model.architecture.weightShapes.count
        let expected = Set(
            optimizer.slotNames.flatMap { name in
                (0..<layerCount).flatMap { [ModelKey.weight($0, prefix: name), ModelKey.bias($0, prefix: name)] }
            })
        let statePrefixes = [CheckpointKey.velocityPrefix + "."] + CheckpointKey.adaptiveSlotPrefixes
        let expectedBest = Set(
            (0..<(bestLayers?.count ?? 0)).flatMap {
                [ModelKey.weight($0, prefix: CheckpointKey.bestPrefix), ModelKey.bias($0, prefix: CheckpointKey.bestPrefix)]
            })
        if let unknown = container.tensorNames.first(where: {
            (statePrefixes.contains(where: $0.hasPrefix) && !expected.contains($0))
                || ($0.hasPrefix(CheckpointKey.bestPrefix + ".") && !expectedBest.contains($0))
        }) {
            throw .unexpectedTensor(path: path, name: unknown)
        }

        let sgd = SGDSettings(
            learningRate: try metadata.requiredFloat(CheckpointKey.sgdLearningRate),
            momentum: try metadata.requiredFloat(CheckpointKey.sgdMomentum),
            nesterov: try metadata.required(CheckpointKey.sgdNesterov, as: Bool.self),
            weightDecay: try metadata.requiredFloat(CheckpointKey.sgdWeightDecay))
        let batchSize = try metadata.required(CheckpointKey.batchSize, as: Int.self)
        guard batchSize > 0 else {
            throw .badMetadata(path: path, key: CheckpointKey.batchSize, value: String(batchSize), expected: "a positive integer")
        }
        let totalEpochs = try metadata.required(CheckpointKey.totalEpochs, as: Int.self)
        let epochsCompleted = try metadata.required(CheckpointKey.epochsCompleted, as: Int.self)
        guard epochsCompleted >= 0 else {
            throw .badMetadata(
                path: path, key: CheckpointKey.epochsCompleted, value: String(epochsCompleted),
                expected: "a non-negative integer")
        }
        let history = try metadata.requiredJSON(CheckpointKey.history, as: [EpochRecord].self)
        self.init(
            model: model, velocities: velocities, sgd: sgd,
            schedule: try metadata.required(CheckpointKey.schedule, as: LearningRateSchedule.self),
            baseLearningRate: try metadata.requiredFloat(CheckpointKey.baseLearningRate),
            totalEpochs: totalEpochs, batchSize: batchSize,
            generatorState: try metadata.required(CheckpointKey.generatorState, as: UInt64.self),
            epochsCompleted: epochsCompleted, history: history,
            bestValidationAccuracy: try metadata.optionalDouble(CheckpointKey.bestValidationAccuracy),
            bestEpoch: try metadata.optional(CheckpointKey.bestEpoch, as: Int.self),
            trainingOptions: metadata.optional(CheckpointKey.trainingOptions))
        self.bestLayers = bestLayers
        if optimizer != .sgd {
            self.optimizer = optimizer
            optimizerSlots = slots
            optimizerSteps = try metadata.required(CheckpointKey.optimizerSteps, as: Int.self)
            guard optimizerSteps >= 0 else {
                throw .badMetadata(
                    path: path, key: CheckpointKey.optimizerSteps, value: String(optimizerSteps),
                    expected: "a non-negative integer")
            }
            adaptive = AdaptiveSettings(
                beta1: try metadata.requiredFloat(CheckpointKey.adamBeta1),
                beta2: try metadata.requiredFloat(CheckpointKey.adamBeta2),
                rho: try metadata.requiredFloat(CheckpointKey.rmspropRho),
                epsilon: try metadata.requiredFloat(CheckpointKey.adaptiveEpsilon),
                decoupledWeightDecay: try metadata.required(CheckpointKey.decoupledWeightDecay, as: Bool.self))
        }
        if metadata.version == 1, let options = trainingOptions, let value = try? JSONParser.parse(options) {
            // Format 1 wrote Swift's property names: hold the options as format 2 has them.
            trainingOptions = JSONWriter.write(value.mappingKeys(JSONCoding.snakeCase))
        }
    }
}
