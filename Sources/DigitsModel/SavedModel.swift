import DigitsCore
import DigitsData
import DigitsJSON
import Foundation

/// Where a model came from: the run that trained it and how well it did. Every field is optional,
/// so a model written by a newer or older trainer still loads; `other` holds anything else.
public struct Provenance: Equatable, Sendable {
    public var dataset: String?
    public var epochs: Int?
    public var seed: UInt64?
    public var batchSize: Int?
    public var learningRate: Float?
    public var validationAccuracy: Double?
    public var testAccuracy: Double?
    /// When the model was saved, ISO 8601 (e.g. "2026-11-23T08:00:00Z").
    public var created: String?
    public var toolVersion: String?
    public var commit: String?
    /// Free-form extra facts, stored as metadata keys `provenance.<key>`.
    public var other: [String: String]

    public init(
        dataset: String? = nil, epochs: Int? = nil, seed: UInt64? = nil, batchSize: Int? = nil,
        learningRate: Float? = nil, validationAccuracy: Double? = nil, testAccuracy: Double? = nil,
        created: String? = nil, toolVersion: String? = nil, commit: String? = nil,
        other: [String: String] = [:]
    ) {
        self.dataset = dataset
        self.epochs = epochs
        self.seed = seed
        self.batchSize = batchSize
        self.learningRate = learningRate
        self.validationAccuracy = validationAccuracy
        self.testAccuracy = testAccuracy
        self.created = created
        self.toolVersion = toolVersion
        self.commit = commit
        self.other = other
    }
}

/// The weights and bias of one Linear layer: W (out, in), b (1, out), as `Linear` holds them.
public struct LayerParameters: Equatable, Sendable {
    public var weight: Matrix
    public var bias: Matrix

    public init(weight: Matrix, bias: Matrix) {
        self.weight = weight
        self.bias = bias
    }
}

/// Everything `digits classify` needs: what the network is, how its inputs were prepared, what its
/// classes are called, where it came from, and its weights. Stored as a safetensors file with
/// `format` = `digits-mlp` in its metadata (see README.md beside this file for the layout).
public struct SavedModel: Equatable, Sendable {
    public static let formatName = "digits-mlp"
    /// 2: JSON inside the metadata has snake_case keys (`target_box_size`); 1: Swift's property names.
    public static let formatVersion = 2
    public static let supportedVersions = [1, 2]
    public static let digitLabels = (0...9).map(String.init)
    /// The label of the class a model trained with the `nondigits` data set has after the ten digits:
    /// its output 10 is "this picture is not a digit" (`notADigitClass`).
    public static let notADigitLabel = "not-a-digit"
    /// The labels of such a model: the ten digits, then "not-a-digit".
    public static let digitAndRejectLabels = digitLabels + [notADigitLabel]

    public var architecture: Architecture
    public var preprocessing: PreprocessingSettings
    /// The name of each output class, index = class number.
    public var classLabels: [String]
    public var provenance: Provenance
    /// One entry per Linear layer, input to output.
    public var layers: [LayerParameters]

    /// The output that means "not a digit", when the model was trained with one: recorded by its
    /// class labels, the ten digits followed by `notADigitLabel` (older models: nil).
    public var notADigitClass: Int? {
        classLabels == Self.digitAndRejectLabels ? classLabels.count - 1 : nil
    }

    public init(
        architecture: Architecture, preprocessing: PreprocessingSettings,
        classLabels: [String] = SavedModel.digitLabels, provenance: Provenance = Provenance(),
        layers: [LayerParameters]
    ) {
        self.architecture = architecture
        self.preprocessing = preprocessing
        self.classLabels = classLabels
        self.provenance = provenance
        self.layers = layers
    }

    /// A snapshot of a network's current weights (copies: later training does not change it).
    public init(
        network: MLP, preprocessing: PreprocessingSettings,
        classLabels: [String] = SavedModel.digitLabels, provenance: Provenance = Provenance()
    ) {
        self.init(
            architecture: network.architecture, preprocessing: preprocessing, classLabels: classLabels,
            provenance: provenance,
            layers: network.linearLayers.map { LayerParameters(weight: $0.weight, bias: $0.bias) })
    }

    /// A network with these weights, ready to classify.
    public func makeNetwork() throws(ArchitectureError) -> MLP {
        try MLP(architecture: architecture, parameters: layers.map { ($0.weight, $0.bias) })
    }

    /// Saves atomically: the file at `path` is replaced whole or, on any error, left as it was.
    public func save(to path: String) throws(ModelFileError) {
        try writeContainer(makeContainer(format: Self.formatName, path: path), to: path)
    }

    /// The file's bytes (what `save` writes).
    public func encoded() throws(ModelFileError) -> [UInt8] {
        try encode(makeContainer(format: Self.formatName, path: "<memory>"), path: "<memory>")
    }

    /// Loads and validates a model file: container, format and version, metadata, tensor names and
    /// shapes against the architecture, finiteness of every weight.
    public static func load(from path: String) throws(ModelFileError) -> SavedModel {
        let container: SafeTensors
        do { container = try SafeTensors.load(from: path) } catch { throw .file(error) }
        let model = try SavedModel(container: container, path: path, format: formatName, extraTensorPrefixes: [])
        try model.checkProbes(path: path)
        return model
    }

    /// The preprocessing settings of the model file at `path`, read and checked as `load` reads them,
    /// from the header alone: `classify` prepares its pictures with them while the weights load.
    /// A file that `load` would refuse for another reason may still give settings here.
    public static func preprocessingSettings(from path: String) throws(ModelFileError) -> PreprocessingSettings {
        let metadata: [String: String]
        do { metadata = try SafeTensors.loadMetadata(from: path) } catch { throw .file(error) }
        var reader = MetadataReader(metadata: metadata, path: path)
        try reader.checkFormat(formatName, supported: supportedVersions)
        let settings = try reader.requiredJSON(ModelKey.preprocessing, as: PreprocessingSettings.self)
        do { try settings.validate() } catch {
            throw .badMetadata(
                path: path, key: ModelKey.preprocessing, value: metadata[ModelKey.preprocessing] ?? "",
                expected: "valid settings (\(error.description))")
        }
        return settings
    }

    /// Decodes a model from a whole file's bytes; `path` names it in errors.
    public static func decode(_ bytes: [UInt8], path: String = "<memory>") throws(ModelFileError) -> SavedModel {
        let container: SafeTensors
        do { container = try SafeTensors.decode(bytes, path: path) } catch { throw .file(error) }
        let model = try SavedModel(container: container, path: path, format: formatName, extraTensorPrefixes: [])
        try model.checkProbes(path: path)
        return model
    }
}

// MARK: - Layout

/// Metadata keys and tensor names of the model file.
enum ModelKey {
    static let format = "format"
    static let formatVersion = "format_version"
    static let layerSizes = "layer_sizes"
    static let activation = "activation"
    static let loss = "loss"
    /// ELU's α, written only for `activation` elu (absent: 1).
    static let eluAlpha = "elu_alpha"
    /// Pieces per maxout unit, written only for `activation` maxout (absent: 2).
    static let maxoutPieces = "maxout_pieces"
    /// Dropout rate p the network was trained with, written only when p > 0 (no effect at inference).
    static let dropout = "dropout"
    /// How classify and evaluate turn the output into probabilities (informational, written for hinge:
    /// with cross-entropy the logits' softmax is the model's own, with mse the network ends in softmax).
    static let probabilities = "probabilities"
    static let classLabels = "class_labels"
    static let preprocessing = "preprocessing"
    static let dataset = "dataset"
    static let epochs = "epochs"
    static let seed = "seed"
    static let batchSize = "batch_size"
    static let learningRate = "learning_rate"
    static let validationAccuracy = "validation_accuracy"
    static let testAccuracy = "test_accuracy"
    static let created = "created"
    static let toolVersion = "tool_version"
    static let commit = "commit"
    static let provenancePrefix = "provenance."

    static func weight(_ layer: Int, prefix: String = "layers") -> String { "\(prefix).\(layer).weight" }
    static func bias(_ layer: Int, prefix: String = "layers") -> String { "\(prefix).\(layer).bias" }
}

extension SavedModel {
    /// The container of the current format version; `path` names the destination in errors.
    func makeContainer(format: String, version: Int = SavedModel.formatVersion, path: String = "<memory>") throws(ModelFileError)
        -> SafeTensors
    {
        var metadata: [String: String] = [
            ModelKey.format: format,
            ModelKey.formatVersion: String(version),
            ModelKey.layerSizes: architecture.layerSizes.map(String.init).joined(separator: ","),
            ModelKey.activation: architecture.activation.rawValue,
            ModelKey.loss: architecture.loss.rawValue,
            ModelKey.classLabels: JSONWriter.write(.array(classLabels.map(JSONValue.string))),
            ModelKey.preprocessing: try MetadataJSON.encode(preprocessing, key: ModelKey.preprocessing, path: path)
        ]
        if architecture.activation == .elu { metadata[ModelKey.eluAlpha] = architecture.eluAlpha.description }
        if architecture.activation == .maxout { metadata[ModelKey.maxoutPieces] = String(architecture.maxoutPieces) }
        if architecture.dropout > 0 { metadata[ModelKey.dropout] = architecture.dropout.description }
        if architecture.loss == .hinge {
            metadata[ModelKey.probabilities] = "softmax of the hinge scores (the scores themselves are not probabilities)"
        }
        let p = provenance
        for (key, value) in p.other { metadata[ModelKey.provenancePrefix + key] = value }
        metadata[ModelKey.dataset] = p.dataset
        metadata[ModelKey.epochs] = p.epochs.map(String.init)
        metadata[ModelKey.seed] = p.seed.map(String.init)
        metadata[ModelKey.batchSize] = p.batchSize.map(String.init)
        metadata[ModelKey.learningRate] = p.learningRate?.description
        metadata[ModelKey.validationAccuracy] = p.validationAccuracy?.description
        metadata[ModelKey.testAccuracy] = p.testAccuracy?.description
        metadata[ModelKey.created] = p.created
        metadata[ModelKey.toolVersion] = p.toolVersion
        metadata[ModelKey.commit] = p.commit

        var container = SafeTensors(metadata: metadata)
        for (index, layer) in layers.enumerated() {
            container.set(ModelKey.weight(index), SafeTensors.Tensor(layer.weight))
            container.set(ModelKey.bias(index), SafeTensors.Tensor(vector: layer.bias))
        }
        return container
    }

    /// Reads the model part of a container. Tensors whose names start with `extraTensorPrefix`
    /// belong to the caller (a checkpoint's velocities); any other unknown tensor is an error.
    init(
        container: SafeTensors, path: String, format: String, supportedVersions: [Int] = SavedModel.supportedVersions,
        extraTensorPrefixes: [String]
    ) throws(ModelFileError) {
        var metadata = MetadataReader(metadata: container.metadata, path: path)
        try metadata.checkFormat(format, supported: supportedVersions)

        let sizesText = try metadata.required(ModelKey.layerSizes)
        var sizes: [Int] = []
        for part in sizesText.split(separator: ",", omittingEmptySubsequences: false) {
            guard let size = Int(trimmingSpaces(part)) else {
                throw .badMetadata(
                    path: path, key: ModelKey.layerSizes, value: sizesText,
                    expected: "comma-separated integers, e.g. 256,128,10")
            }
            sizes.append(size)
        }
        let activation = try metadata.required(ModelKey.activation, as: Activation.self)
        let loss = try metadata.required(ModelKey.loss, as: LossFunction.self)
        let architecture = Architecture(
            layerSizes: sizes, activation: activation, loss: loss,
            eluAlpha: try metadata.optionalFloat(ModelKey.eluAlpha) ?? Architecture.defaultELUAlpha,
            maxoutPieces: try metadata.optional(ModelKey.maxoutPieces, as: Int.self) ?? Architecture.defaultMaxoutPieces,
            dropout: try metadata.optionalFloat(ModelKey.dropout) ?? 0)
        do { try architecture.validate() } catch { throw .badArchitecture(path: path, error) }

        let labels = try metadata.requiredStringArray(ModelKey.classLabels)
        guard labels.count == architecture.classCount else {
            throw .classLabelCount(path: path, labels: labels.count, classes: architecture.classCount)
        }
        let preprocessing = try metadata.requiredJSON(ModelKey.preprocessing, as: PreprocessingSettings.self)
        // Checked at the door, with the one copy of the bounds: settings out of range (a target box
        // of 0, an ink threshold of NaN) refuse the model by name instead of failing image by image.
        do {
            try preprocessing.validate()
        } catch {
            throw .badMetadata(
                path: path, key: ModelKey.preprocessing, value: metadata.metadata[ModelKey.preprocessing] ?? "",
                expected: "valid settings (\(error.description))")
        }

        var other: [String: String] = [:]
        for (key, value) in container.metadata where key.hasPrefix(ModelKey.provenancePrefix) {
            other[String(key.dropFirst(ModelKey.provenancePrefix.count))] = value
        }
        let provenance = Provenance(
            dataset: metadata.optional(ModelKey.dataset),
            epochs: try metadata.optional(ModelKey.epochs, as: Int.self),
            seed: try metadata.optional(ModelKey.seed, as: UInt64.self),
            batchSize: try metadata.optional(ModelKey.batchSize, as: Int.self),
            learningRate: try metadata.optionalFloat(ModelKey.learningRate),
            validationAccuracy: try metadata.optionalDouble(ModelKey.validationAccuracy),
            testAccuracy: try metadata.optionalDouble(ModelKey.testAccuracy),
            created: metadata.optional(ModelKey.created),
            toolVersion: metadata.optional(ModelKey.toolVersion),
            commit: metadata.optional(ModelKey.commit),
            other: other)

        let tensors = TensorReader(container: container, path: path)
        var layers: [LayerParameters] = []
        for (index, shape) in architecture.weightShapes.enumerated() {
            let weight = try tensors.matrix(ModelKey.weight(index), rows: shape.rows, columns: shape.columns)
            let bias = try tensors.vector(ModelKey.bias(index), count: shape.rows)
            layers.append(LayerParameters(weight: weight, bias: bias))
        }
        let expected = Set((0..<layers.count).flatMap { [ModelKey.weight($0), ModelKey.bias($0)] })
        if let unknown = container.tensorNames.first(where: { name in
            !expected.contains(name) && !extraTensorPrefixes.contains(where: { name.hasPrefix($0) })
        }) {
            throw .unexpectedTensor(path: path, name: unknown)
        }
        self.init(
            architecture: architecture, preprocessing: preprocessing, classLabels: labels,
            provenance: provenance, layers: layers)
    }
}

// MARK: - Helpers shared with the checkpoint

/// `text` without the spaces and tabs around it: what `trimmingCharacters(in: .whitespaces)` removes
/// (a tab or a scalar of category Zs), without Foundation's `NSString` round trip (1 % of a
/// `digits classify` process).
func trimmingSpaces(_ text: Substring) -> String {
    let isSpace = { (scalar: Unicode.Scalar) in scalar == "\t" || scalar.properties.generalCategory == .spaceSeparator }
    let scalars = text.unicodeScalars
    guard let first = scalars.firstIndex(where: { !isSpace($0) }), let last = scalars.lastIndex(where: { !isSpace($0) }) else {
        return ""
    }
    return String(scalars[first...last])
}

func encode(_ container: SafeTensors, path: String) throws(ModelFileError) -> [UInt8] {
    try checkFinite(container, path: path)
    do { return try container.encoded(path: path) } catch { throw .file(error) }
}

func writeContainer(_ container: SafeTensors, to path: String) throws(ModelFileError) {
    try checkFinite(container, path: path)
    do { try container.save(to: path) } catch { throw .file(error) }
}

/// A NaN or ∞ weight would make a file that loading refuses: refuse it when saving instead.
private func checkFinite(_ container: SafeTensors, path: String) throws(ModelFileError) {
    for (name, tensor) in container.tensors {
        if let index = tensor.values.firstIndex(where: { !$0.isFinite }) {
            throw .nonFiniteValue(path: path, tensor: name, index: index, value: tensor.values[index])
        }
    }
}

/// JSON strings inside the metadata, written by `JSONCoding` with snake_case keys (format 2).
enum MetadataJSON {
    /// Encodes `value` for the metadata entry `key`; a NaN or ∞ inside (JSON has neither) is refused.
    static func encode<T: Encodable>(_ value: T, key: String, path: String) throws(ModelFileError) -> String {
        do {
            return try JSONCoding.encode(value, keys: .snakeCase)
        } catch {
            throw .badMetadata(
                path: path, key: key, value: "\(value)",
                expected: "finite numbers (JSON has no NaN or infinity)")
        }
    }

    /// Reads the JSON of a file of format `version`: 1 has Swift's property names as keys and may
    /// hold "nan"/"inf" strings; 2 has snake_case keys and finite numbers only.
    static func decode<T: Decodable>(_ type: T.Type, from text: String, version: Int) -> Result<T, Error> {
        Result {
            version == 1
                ? try JSONCoding.decode(type, from: text, keys: .propertyNames, acceptingNonFiniteStrings: true)
                : try JSONCoding.decode(type, from: text, keys: .snakeCase)
        }
    }
}

struct MetadataReader {
    let metadata: [String: String]
    let path: String
    /// The file's format version, known once `checkFormat` has passed.
    private(set) var version = SavedModel.formatVersion

    init(metadata: [String: String], path: String) {
        self.metadata = metadata
        self.path = path
    }

    mutating func checkFormat(_ expected: String, supported: [Int]) throws(ModelFileError) {
        let found = metadata[ModelKey.format]
        guard found == expected else { throw .wrongFormat(path: path, found: found, expected: expected) }
        guard let versionText = metadata[ModelKey.formatVersion] else {
            throw .missingMetadata(path: path, key: ModelKey.formatVersion)
        }
        guard let version = Int(versionText), supported.contains(version) else {
            throw .unsupportedVersion(path: path, format: expected, found: versionText, supported: supported)
        }
        self.version = version
    }

    func required(_ key: String) throws(ModelFileError) -> String {
        guard let value = metadata[key] else { throw .missingMetadata(path: path, key: key) }
        return value
    }

    func optional(_ key: String) -> String? { metadata[key] }

    func required<T: RawRepresentable & CaseIterable>(_ key: String, as type: T.Type) throws(ModelFileError) -> T
    where T.RawValue == String {
        let text = try required(key)
        guard let value = T(rawValue: text) else {
            throw .badMetadata(
                path: path, key: key, value: text,
                expected: "one of " + T.allCases.map(\.rawValue).joined(separator: ", "))
        }
        return value
    }

    func required<T: LosslessStringConvertible>(_ key: String, as type: T.Type) throws(ModelFileError) -> T {
        let text = try required(key)
        guard let value = T(text) else { throw .badMetadata(path: path, key: key, value: text, expected: "\(T.self)") }
        return value
    }

    func optional<T: LosslessStringConvertible>(_ key: String, as type: T.Type) throws(ModelFileError) -> T? {
        guard metadata[key] != nil else { return nil }
        return try required(key, as: type)
    }

    func requiredFloat(_ key: String) throws(ModelFileError) -> Float {
        let value = try required(key, as: Float.self)
        guard value.isFinite else { throw .badMetadata(path: path, key: key, value: try required(key), expected: "a finite number") }
        return value
    }

    func optionalFloat(_ key: String) throws(ModelFileError) -> Float? {
        guard metadata[key] != nil else { return nil }
        return try requiredFloat(key)
    }

    func requiredDouble(_ key: String) throws(ModelFileError) -> Double {
        let value = try required(key, as: Double.self)
        guard value.isFinite else { throw .badMetadata(path: path, key: key, value: try required(key), expected: "a finite number") }
        return value
    }

    func optionalDouble(_ key: String) throws(ModelFileError) -> Double? {
        guard metadata[key] != nil else { return nil }
        return try requiredDouble(key)
    }

    /// A JSON array of strings (the class labels), read by `JSONParser` alone: the same strict reading
    /// as `requiredJSON`, without starting Foundation's `JSONDecoder` for it.
    func requiredStringArray(_ key: String) throws(ModelFileError) -> [String] {
        let text = try required(key)
        guard case .array(let items)? = try? JSONParser.parse(text) else {
            throw .badMetadata(path: path, key: key, value: text, expected: "JSON for \([String].self)")
        }
        var strings: [String] = []
        for item in items {
            guard case .string(let string) = item else {
                throw .badMetadata(path: path, key: key, value: text, expected: "JSON for \([String].self)")
            }
            strings.append(string)
        }
        return strings
    }

    func requiredJSON<T: Decodable>(_ key: String, as type: T.Type) throws(ModelFileError) -> T {
        let text = try required(key)
        switch MetadataJSON.decode(type, from: text, version: version) {
        case .success(let value): return value
        case .failure: throw .badMetadata(path: path, key: key, value: text, expected: "JSON for \(T.self)")
        }
    }
}

struct TensorReader {
    let container: SafeTensors
    let path: String

    func tensor(_ name: String, shape: [Int]) throws(ModelFileError) -> [Float] {
        guard let tensor = container[name] else { throw .missingTensor(path: path, name: name) }
        guard tensor.shape == shape else {
            throw .tensorShape(path: path, name: name, expected: shape, found: tensor.shape)
        }
        if !allFinite(tensor.values), let index = tensor.values.firstIndex(where: { !$0.isFinite }) {
            throw .nonFiniteValue(path: path, tensor: name, index: index, value: tensor.values[index])
        }
        return tensor.values
    }

    /// Whether no value is NaN or ±∞ (exponent bits all ones), in one pass the compiler vectorises:
    /// the shipped model's 265,739 weights, checked at every load.
    private func allFinite(_ values: [Float]) -> Bool {
        values.withUnsafeBufferPointer { values in
            var nonFinite: UInt32 = 0
            for value in values { nonFinite |= (value.bitPattern & 0x7F80_0000) == 0x7F80_0000 ? 1 : 0 }
            return nonFinite == 0
        }
    }

    func matrix(_ name: String, rows: Int, columns: Int) throws(ModelFileError) -> Matrix {
        Matrix(rows: rows, columns: columns, elements: try tensor(name, shape: [rows, columns]))
    }

    /// A 1-D tensor as a 1 × count matrix (how `Linear` holds a bias).
    func vector(_ name: String, count: Int) throws(ModelFileError) -> Matrix {
        Matrix(rows: 1, columns: count, elements: try tensor(name, shape: [count]))
    }
}

// MARK: - Errors

/// Why a model or checkpoint file could not be loaded or saved. `description` is one line naming the file.
public enum ModelFileError: Error, Equatable, CustomStringConvertible {
    /// The safetensors container itself is damaged, missing or could not be written.
    case file(SafeTensorsError)
    case wrongFormat(path: String, found: String?, expected: String)
    case unsupportedVersion(path: String, format: String, found: String, supported: [Int])
    case missingMetadata(path: String, key: String)
    case badMetadata(path: String, key: String, value: String, expected: String)
    case badArchitecture(path: String, ArchitectureError)
    case classLabelCount(path: String, labels: Int, classes: Int)
    case missingTensor(path: String, name: String)
    case unexpectedTensor(path: String, name: String)
    case tensorShape(path: String, name: String, expected: [Int], found: [Int])
    case nonFiniteValue(path: String, tensor: String, index: Int, value: Float)
    /// Finite weights whose outputs are not: huge weights overflow to ∞ and NaN on an ordinary input.
    case nonFiniteOutput(path: String, probe: String)

    public var description: String {
        switch self {
        case .file(let error):
            return error.description
        case .wrongFormat(let path, let found, let expected):
            guard let found else {
                return "\(path): no \"format\" in the metadata: not a \(expected) file (a safetensors file from elsewhere?)"
            }
            let hint =
                switch (found, expected) {
                case (TrainingCheckpoint.formatName, SavedModel.formatName):
                    "; this is a training checkpoint: resume from it with --resume, or use the model saved with --output"
                case (SavedModel.formatName, TrainingCheckpoint.formatName):
                    "; this is a model file, not a checkpoint written with --checkpoint"
                default:
                    ""
                }
            return "\(path): format is \(JSONWriter.quoted(found)), expected \(JSONWriter.quoted(expected))\(hint)"
        case .unsupportedVersion(let path, let format, let found, let supported):
            return "\(path): \(format) format version \(JSONWriter.quoted(found)) is not supported; this build reads version "
                + supported.map(String.init).joined(separator: ", ") + " (a newer digits wrote it? update, or re-train)"
        case .missingMetadata(let path, let key):
            return "\(path): metadata has no \(JSONWriter.quoted(key))"
        case .badMetadata(let path, let key, let value, let expected):
            let shown = value.count > 60 ? String(value.prefix(60)) + "…" : value
            return "\(path): metadata \(JSONWriter.quoted(key)) is \(JSONWriter.quoted(shown)), expected \(expected)"
        case .badArchitecture(let path, let error):
            return "\(path): bad architecture: \(error)"
        case .classLabelCount(let path, let labels, let classes):
            return "\(path): \(labels) class labels for a network with \(classes) outputs"
        case .missingTensor(let path, let name):
            return "\(path): tensor \(JSONWriter.quoted(name)) is missing"
        case .unexpectedTensor(let path, let name):
            return "\(path): unexpected tensor \(JSONWriter.quoted(name)) (not part of the architecture)"
        case .tensorShape(let path, let name, let expected, let found):
            return "\(path): tensor \(JSONWriter.quoted(name)) has shape \(found), the architecture needs \(expected)"
        case .nonFiniteValue(let path, let tensor, let index, let value):
            return "\(path): tensor \(JSONWriter.quoted(tensor)) element \(index) is \(value); weights must be finite"
        case .nonFiniteOutput(let path, let probe):
            return "\(path): the network's output is not finite on \(probe); the weights are damaged or diverged"
        }
    }
}
