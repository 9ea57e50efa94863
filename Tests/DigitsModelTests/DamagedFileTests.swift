import DigitsTestSupport
import DigitsCore
import Foundation
import Testing
@testable import DigitsModel

/// One test per kind of damage: each fixture is made in a temporary directory from a valid model
/// file and must give its own error case, with a one-line message naming the file.
@Suite("damaged model files")
struct DamagedFileTests {
    let directory: TemporaryDirectory
    let valid: [UInt8]

    init() throws {
        directory = try TemporaryDirectory()
        valid = try makeTinyModel().encoded()
    }

    /// Writes `bytes` as a file, loads it as a model and returns the error's case name,
    /// after checking the message is one line that starts with the path.
    func loadError(_ bytes: [UInt8], sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        let path = try directory.write(bytes, to: "damaged.safetensors")
        return loadError(path: path, sourceLocation: sourceLocation)
    }

    func loadError(path: String, sourceLocation: SourceLocation = #_sourceLocation) -> String {
        do {
            _ = try SavedModel.load(from: path)
            Issue.record("loaded a damaged file", sourceLocation: sourceLocation)
            return "no error"
        } catch {
            let message = error.description
            #expect(message.hasPrefix(path + ": "), "\(message)", sourceLocation: sourceLocation)
            #expect(!message.contains("\n"), "\(message)", sourceLocation: sourceLocation)
            return caseName(error)
        }
    }

    /// The valid model's container, to be damaged at the level of metadata and tensors.
    func container() throws -> SafeTensors {
        try makeTinyModel().makeContainer(format: SavedModel.formatName)
    }

    func encode(_ container: SafeTensors) throws -> [UInt8] { try container.encoded() }

    /// The valid file with a same-length replacement inside its header.
    func replacingInHeader(_ old: String, with new: String) throws -> [UInt8] {
        precondition(old.utf8.count == new.utf8.count)
        let headerEnd = 8 + Int(valid[0]) + Int(valid[1]) << 8
        let header = String(decoding: valid[8..<headerEnd], as: UTF8.self)
        let range = try #require(header.range(of: old))
        return Array(valid[0..<8]) + Array(header.replacingCharacters(in: range, with: new).utf8) + Array(valid[headerEnd...])
    }

    // MARK: The container

    @Test func missingFile() {
        #expect(loadError(path: directory.file("nowhere.safetensors")) == "file.missingFile")
    }

    @Test func directoryInsteadOfFile() {
        #expect(loadError(path: directory.path) == "file.unreadable")
    }

    @Test func emptyFile() throws {
        #expect(try loadError([]) == "file.empty")
    }

    @Test func shorterThanTheHeaderLength() throws {
        #expect(try loadError(Array(valid.prefix(5))) == "file.tooShort")
    }

    @Test func truncatedInTheHeader() throws {
        #expect(try loadError(Array(valid.prefix(40))) == "file.headerLengthOutOfBounds")
    }

    @Test func truncatedInTheData() throws {
        let truncated = Array(valid.dropLast(3))
        #expect(try loadError(truncated) == "file.offsetsPastEnd")
        let error = #expect(throws: ModelFileError.self) { try SavedModel.decode(truncated, path: "x.safetensors") }
        // Layers 5→4→3: the data is 4·(20 + 4 + 12 + 3) = 156 bytes, the last tensor the 3 output biases.
        #expect(
            error?.description
                == #"x.safetensors: tensor "layers.1.bias" data_offsets [144, 156] run past the end of the data (153 bytes); the file is truncated"#
        )
    }

    @Test func headerLengthFlippedHuge() throws {
        var bytes = valid
        bytes[7] = 0x80
        #expect(try loadError(bytes) == "file.headerLengthOutOfBounds")
    }

    @Test func headerLengthAboveTheLimit() throws {
        // The real limit is 100 MB; a lower one shows the check without writing such a file.
        let headerLength = Int(valid[0]) + Int(valid[1]) << 8
        let error = #expect(throws: SafeTensorsError.self) {
            try SafeTensors.decode(valid, path: "big", maximumHeaderLength: headerLength - 1)
        }
        #expect(
            error
                == .headerLengthOutOfBounds(
                    path: "big", headerLength: UInt64(headerLength),
                    available: valid.count - 8, maximum: headerLength - 1))
        #expect(error?.description == "big: header length \(headerLength) exceeds the limit of \(headerLength - 1) bytes")
    }

    @Test func headerLengthTooSmallCutsTheJSON() throws {
        var bytes = valid
        bytes[0] = 16
        bytes[1] = 0
        #expect(try loadError(bytes) == "file.headerNotJSON")
    }

    @Test func corruptJSON() throws {
        #expect(try loadError(try replacingInHeader(#""dtype":"#, with: #""dtype";"#)) == "file.headerNotJSON")
    }

    @Test func headerNotUTF8() throws {
        var bytes = valid
        let headerEnd = 8 + Int(valid[0]) + Int(valid[1]) << 8
        bytes[headerEnd - 1] = 0xFF  // the last padding space (or closing brace) becomes an invalid UTF-8 byte
        #expect(try loadError(bytes) == "file.headerNotUTF8")
    }

    @Test func headerNotAnObject() throws {
        #expect(try loadError(safetensorsBytes(header: "[1, 2]", data: [])) == "file.headerNotObject")
    }

    @Test func metadataValueNotAString() throws {
        #expect(try loadError(safetensorsBytes(header: #"{"__metadata__":{"format":1}}"#, data: [])) == "file.badMetadata")
    }

    @Test func negativeDimension() throws {
        let header = #"{"t":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}}"#
        #expect(try loadError(safetensorsBytes(header: header, data: [0, 0, 0, 0])) == "file.badTensorEntry")
    }

    @Test func entryMissingItsOffsets() throws {
        let header = #"{"t":{"dtype":"F32","shape":[1]}}"#
        #expect(try loadError(safetensorsBytes(header: header, data: [0, 0, 0, 0])) == "file.badTensorEntry")
    }

    @Test func wrongDType() throws {
        #expect(try loadError(try replacingInHeader(#""F32""#, with: #""F16""#)) == "file.unsupportedDType")
    }

    @Test func offsetsEndBeforeTheyBegin() throws {
        let header = #"{"t":{"dtype":"F32","shape":[0],"data_offsets":[4,0]}}"#
        #expect(try loadError(safetensorsBytes(header: header, data: [0, 0, 0, 0])) == "file.reversedOffsets")
    }

    @Test func shapeDisagreesWithOffsets() throws {
        let header = #"{"t":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}"#
        #expect(
            try loadError(safetensorsBytes(header: header, data: [UInt8](repeating: 0, count: 8)))
                == "file.shapeDoesNotMatchOffsets")
    }

    @Test func overlappingOffsets() throws {
        let header = #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}"#
        #expect(
            try loadError(safetensorsBytes(header: header, data: [UInt8](repeating: 0, count: 12)))
                == "file.overlappingTensors")
    }

    @Test func holeBetweenTensors() throws {
        let header = #"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"b":{"dtype":"F32","shape":[1],"data_offsets":[8,12]}}"#
        #expect(try loadError(safetensorsBytes(header: header, data: [UInt8](repeating: 0, count: 12))) == "file.gapInData")
    }

    @Test func bytesAfterTheLastTensor() throws {
        #expect(try loadError(valid + [0, 0, 0, 0]) == "file.trailingData")
    }

    // MARK: The model inside

    @Test func notADigitsFile() throws {
        var file = try container()
        file.metadata = [:]
        #expect(try loadError(encode(file)) == "wrongFormat")
    }

    @Test func checkpointGivenAsModel() throws {
        let checkpoint = try makeTinyCheckpoint()
        let path = try directory.write(try checkpoint.encoded(), to: "checkpoint.safetensors")
        #expect(loadError(path: path) == "wrongFormat")
        let error = #expect(throws: ModelFileError.self) { try SavedModel.load(from: path) }
        #expect(error?.description.contains("training checkpoint") == true)
    }

    @Test func unknownFormatVersion() throws {
        var file = try container()
        file.metadata["format_version"] = "3"
        #expect(try loadError(encode(file)) == "unsupportedVersion")
        let error = #expect(throws: ModelFileError.self) { try SavedModel.decode(try encode(file), path: "m") }
        #expect(
            error?.description
                == #"m: digits-mlp format version "3" is not supported; this build reads version 1, 2 (a newer digits wrote it? update, or re-train)"#
        )
    }

    @Test func missingArchitectureKey() throws {
        var file = try container()
        file.metadata["layer_sizes"] = nil
        #expect(try loadError(encode(file)) == "missingMetadata")
    }

    @Test func unknownActivation() throws {
        var file = try container()
        file.metadata["activation"] = "swish"
        #expect(try loadError(encode(file)) == "badMetadata")
    }

    @Test func impossibleArchitecture() throws {
        var file = try container()
        file.metadata["layer_sizes"] = "5"
        #expect(try loadError(encode(file)) == "badArchitecture")
    }

    @Test func unreadablePreprocessing() throws {
        var file = try container()
        file.metadata["preprocessing"] = "{not json"
        #expect(try loadError(encode(file)) == "badMetadata")
    }

    /// Two values for one setting: which one holds would be Foundation's choice; the strict reader refuses.
    @Test func duplicateKeyInPreprocessing() throws {
        var file = try container()
        let preprocessing = try #require(file.metadata["preprocessing"])
        file.metadata["preprocessing"] = String(preprocessing.dropLast()) + #","target_box_size":3}"#
        #expect(try loadError(encode(file)) == "badMetadata")
    }

    @Test func wrongNumberOfClassLabels() throws {
        var file = try container()
        file.metadata["class_labels"] = #"["a","b"]"#
        #expect(try loadError(encode(file)) == "classLabelCount")
    }

    @Test func missingTensor() throws {
        var file = try container()
        file.remove("layers.1.bias")
        #expect(try loadError(encode(file)) == "missingTensor")
    }

    @Test func tensorNotInTheArchitecture() throws {
        var file = try container()
        file.set("layers.2.weight", SafeTensors.Tensor(shape: [1, 3], values: [1, 2, 3]))
        #expect(try loadError(encode(file)) == "unexpectedTensor")
    }

    @Test func shapeMismatchAgainstArchitecture() throws {
        var file = try container()
        let weight = try #require(file["layers.0.weight"])
        file.set("layers.0.weight", SafeTensors.Tensor(shape: [5, 4], values: weight.values))  // stored transposed
        #expect(try loadError(encode(file)) == "tensorShape")
    }

    @Test func nanWeight() throws {
        var file = try container()
        var weight = try #require(file["layers.1.weight"])
        weight.values[7] = .nan
        file.set("layers.1.weight", weight)
        #expect(try loadError(encode(file)) == "nonFiniteValue")
    }

    @Test func savingANaNWeightIsRefused() throws {
        var model = try makeTinyModel()
        model.layers[0].bias.elements[1] = -.infinity
        let path = directory.file("never.safetensors")
        #expect(throws: ModelFileError.nonFiniteValue(path: path, tensor: "layers.0.bias", index: 1, value: -.infinity)) {
            try model.save(to: path)
        }
        #expect(try directory.contents().isEmpty)
    }
}

@Suite("models whose outputs overflow")
struct OverflowingModelTests {
    /// Every weight 3e38 is finite, so the file is well formed; the first product is ∞ and the
    /// softmax NaN. Such a model used to classify everything as "0 (-nan%)" with exit 0.
    @Test("finite but huge weights are refused at load, naming the file and the probe")
    func hugeWeights() throws {
        let directory = try TemporaryDirectory()
        var model = try makeTinyModel()
        for index in model.layers.indices {
            for i in model.layers[index].weight.elements.indices { model.layers[index].weight.elements[i] = 3e38 }
        }
        let path = directory.file("huge.safetensors")
        try model.save(to: path)
        let error = #expect(throws: ModelFileError.self) { try SavedModel.load(from: path) }
        #expect(error == .nonFiniteOutput(path: path, probe: "an all-background input"))
        #expect(
            error?.description
                == "\(path): the network's output is not finite on an all-background input; the weights are damaged or diverged")
    }
}

@Suite("preprocessing settings checked at load")
struct PreprocessingAtLoadTests {
    /// Settings out of range used to load fine and then fail every image with a line that never named
    /// the model; they are now refused when the model loads, naming the file and the setting.
    @Test("a target box of 0 refuses the model at load, naming it")
    func targetBoxZero() throws {
        let directory = try TemporaryDirectory()
        var model = try makeTinyModel()
        model.preprocessing.targetBoxSize = 0
        let path = directory.file("bad-settings.safetensors")
        try model.save(to: path)
        let error = #expect(throws: ModelFileError.self) { try SavedModel.load(from: path) }
        guard case .badMetadata(let errorPath, let key, _, let expected)? = error else {
            Issue.record("expected bad preprocessing metadata, got \(String(describing: error))")
            return
        }
        #expect(errorPath == path && key == "preprocessing")
        #expect(expected.contains("target box size 0"), "\(expected)")
    }
}
