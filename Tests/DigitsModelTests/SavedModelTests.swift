import DigitsTestSupport
import DigitsCore
import DigitsData
import Foundation
import Testing
@testable import DigitsModel

@Suite("model file")
struct SavedModelTests {
    @Test("save → load gives bit-identical weights, the same metadata and identical predictions")
    func roundTrip() throws {
        let directory = try TemporaryDirectory()
        let model = try makeTinyModel()
        let path = directory.file("tiny.safetensors")
        try model.save(to: path)
        let loaded = try SavedModel.load(from: path)

        #expect(loaded.layers.count == model.layers.count)
        for (original, copy) in zip(model.layers, loaded.layers) {
            #expect(bitPatterns(copy.weight) == bitPatterns(original.weight))
            #expect(bitPatterns(copy.bias) == bitPatterns(original.bias))
            #expect(copy.weight.shape == original.weight.shape && copy.bias.shape == original.bias.shape)
        }
        #expect(loaded.layers[0].weight.elements[0].sign == .minus)  // -0.0 stayed negative
        #expect(loaded.layers[0].weight.elements[1] == .leastNonzeroMagnitude)  // subnormal survived
        #expect(loaded.layers[0].weight.elements[2] == .greatestFiniteMagnitude)
        #expect(loaded.architecture == model.architecture)
        #expect(loaded.preprocessing == model.preprocessing)
        #expect(loaded.classLabels == ["zero", "one", "two"])
        #expect(loaded.provenance == sampleProvenance)
        #expect(loaded == model)

        let x = tinyInputs()
        let before = try model.makeNetwork(), after = try loaded.makeNetwork()
        #expect(bitPatterns(after.forward(x)) == bitPatterns(before.forward(x)))
        #expect(bitPatterns(after.probabilities(x)) == bitPatterns(before.probabilities(x)))
        #expect(after.predictions(x) == before.predictions(x))
        #expect(Set(before.predictions(x)).count > 1)  // the check is not trivially about one class
    }

    @Test("a network trained a little round-trips through init(network:) and makeNetwork()")
    func fromNetwork() throws {
        var generator = SeededGenerator(seed: 7)
        let network = try MLP(architecture: Architecture(layerSizes: [6, 5, 4, 10], activation: .relu), generator: &generator)
        let model = SavedModel(network: network, preprocessing: .standard)
        #expect(model.classLabels == (0...9).map(String.init))
        let loaded = try SavedModel.decode(try model.encoded())
        let copy = try loaded.makeNetwork()
        for (a, b) in zip(network.linearLayers, copy.linearLayers) {
            #expect(bitPatterns(a.weight) == bitPatterns(b.weight))
            #expect(bitPatterns(a.bias) == bitPatterns(b.bias))
        }
        #expect(loaded.provenance == Provenance())
    }

    @Test("the metadata uses the documented keys and tensor names")
    func layout() throws {
        let file = try SafeTensors.decode(try makeTinyModel().encoded())
        #expect(file.metadata["format"] == "digits-mlp")
        #expect(file.metadata["format_version"] == "2")
        #expect(file.metadata["layer_sizes"] == "5,4,3")
        #expect(file.metadata["activation"] == "tanh")
        #expect(file.metadata["loss"] == "cross-entropy")
        #expect(file.metadata["class_labels"] == #"["zero","one","two"]"#)
        #expect(file.metadata["seed"] == "18446744073709551557")
        #expect(file.metadata["learning_rate"] == "0.1")
        #expect(file.metadata["provenance.note"] == "a \"quoted\" note\nwith a newline")
        #expect(file.tensorNames == ["layers.0.weight", "layers.0.bias", "layers.1.weight", "layers.1.bias"])
        #expect(file["layers.0.weight"]?.shape == [4, 5])
        #expect(file["layers.0.bias"]?.shape == [4])
        // Format 2: snake_case keys, sorted, compact, floats as their shortest round-trip text.
        let preprocessing = try #require(file.metadata["preprocessing"])
        #expect(preprocessing.hasPrefix(#"{"centring":"box","framing":"fit-ink","ink_threshold":0.1,"photo":{"band_fraction":0.125,"#))
        #expect(
            preprocessing.hasSuffix(
                #""polarity":"auto","renormalise_contrast":true,"stretch_contrast":true,"stroke_width":2,"target_box_size":16}"#))
        #expect(try MetadataJSON.decode(PreprocessingSettings.self, from: preprocessing, version: 2).get() == .standard)
    }

    @Test("the same model gives the same bytes, and they match the committed golden file")
    func goldenFile() throws {
        let bytes = try makeTinyModel().encoded()
        #expect(try makeTinyModel().encoded() == bytes)
        let golden = Fixtures.path("tiny-digits-mlp.safetensors")
        guard FileManager.default.fileExists(atPath: golden), ProcessInfo.processInfo.environment["DIGITS_RECORD_FIXTURES"] == nil else {
            try Data(bytes).write(to: URL(fileURLWithPath: golden))
            Issue.record("recorded \(golden); check it (tools/check-safetensors.py) and run the tests again")
            return
        }
        #expect(try readBytes(golden) == bytes, "the writer's output changed; if on purpose, re-record with DIGITS_RECORD_FIXTURES=1")
    }

    @Test("a format-1 file (the previous golden file, camelCase JSON in its metadata) still loads, every bit the same")
    func formatOneStillLoads() throws {
        let path = Fixtures.path("tiny-digits-mlp-v1.safetensors")
        #expect(try SafeTensors.load(from: path).metadata["format_version"] == "1")
        #expect(try SafeTensors.load(from: path).metadata["preprocessing"]?.contains("targetBoxSize") == true)
        let loaded = try SavedModel.load(from: path)
        // A format-1 file predates stroke and contrast normalisation: it loads with them off.
        var model = try makeTinyModel()
        model.preprocessing = .version1
        #expect(loaded == model)
        #expect(
            zip(loaded.layers, model.layers).allSatisfy {
                bitPatterns($0.weight) == bitPatterns($1.weight) && bitPatterns($0.bias) == bitPatterns($1.bias)
            })
        // Saved again, it is a format-2 file that loads to the same model.
        let rewritten = try model.encoded()
        #expect(try SafeTensors.decode(rewritten).metadata["format_version"] == "2")
        #expect(try SavedModel.decode(rewritten) == loaded)
    }

    @Test(
        "the shipped models/default.safetensors (format 2, the standard preprocessing, a not-a-digit class) loads, reads a 7 as 7, and round-trips bit for bit"
    )
    func shippedModel() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let path = root.appendingPathComponent("models/default.safetensors").path
        #expect(try SafeTensors.load(from: path).metadata["format_version"] == "2")
        let shipped = try SavedModel.load(from: path)
        #expect(shipped.preprocessing == .standard)
        // Trained with the nondigits set: the ten digits, then the "not a digit" class.
        #expect(shipped.classLabels == SavedModel.digitAndRejectLabels)
        #expect(shipped.notADigitClass == 10)

        let image = try PNGReader.read(root.appendingPathComponent("Resources/samples/7-mnist-original.png").path)
        let input = try Preprocessor(settings: shipped.preprocessing).process(image)
        let x = Matrix(rows: 1, columns: input.count, elements: input)
        let network = try shipped.makeNetwork()
        #expect(network.predictions(x) == [7])
        #expect(try #require(network.probabilities(x).elements.max()) > 0.99)

        let directory = try TemporaryDirectory()
        let copy = directory.file("default-v2.safetensors")
        try shipped.save(to: copy)
        #expect(try SafeTensors.load(from: copy).metadata["format_version"] == "2")
        let reloaded = try SavedModel.load(from: copy)
        #expect(reloaded == shipped)
        #expect(
            zip(reloaded.layers, shipped.layers).allSatisfy {
                bitPatterns($0.weight) == bitPatterns($1.weight) && bitPatterns($0.bias) == bitPatterns($1.bias)
            })
        #expect(bitPatterns(try reloaded.makeNetwork().probabilities(x)) == bitPatterns(network.probabilities(x)))
    }

    @Test("a NaN in the metadata's JSON is refused at save: JSON has no NaN")
    func nonFiniteMetadataRefused() throws {
        var model = try makeTinyModel()
        model.preprocessing.inkThreshold = .nan
        let error = #expect(throws: ModelFileError.self) { try model.encoded() }
        #expect(caseName(try #require(error)) == "badMetadata")
    }

    @Test("reads a file written by Python's safetensors (tools/check-safetensors.py --write-fixture)")
    func pythonWrittenFile() throws {
        let model = try SavedModel.load(from: Fixtures.path("python-written.safetensors"))
        #expect(model.architecture == Architecture(layerSizes: [3, 2], activation: .relu, loss: .crossEntropy))
        #expect(model.classLabels == ["0", "1"])
        // numpy.arange(6).reshape(2, 3) / 4 - 0.5, and bias [-0.0, 1e-45] (the smallest subnormal)
        #expect(model.layers[0].weight == Matrix([[-0.5, -0.25, 0], [0.25, 0.5, 0.75]]))
        #expect(model.layers[0].bias.elements.map(\.bitPattern) == [0x8000_0000, 1])
        #expect(model.provenance.dataset == "numpy")
    }
}

/// Committed files beside the test target (not inside it, so SwiftPM does not treat them as resources).
enum Fixtures {
    static func path(_ name: String) -> String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("DigitsModelFixtures").appendingPathComponent(name).path
    }
}

/// Whether `python3` can import safetensors and NumPy (tools/test.sh installs them when it can).
private let pythonSafeTensorsAvailable: Bool = {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", "-c", "import numpy, safetensors"]
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    guard (try? process.run()) != nil else { return false }
    process.waitUntilExit()
    return process.terminationStatus == 0
}()

@Suite(
    "Python reads what we write",
    .enabled(if: pythonSafeTensorsAvailable, "python3 with safetensors and numpy not found: the Python check is skipped"))
struct PythonCheckTests {
    /// A model and a checkpoint written here load in Python's own safetensors and agree with a by-hand
    /// parse of the layout (tools/check-safetensors.py exits 1 on any disagreement).
    @Test func pythonSafeTensorsReadsModelAndCheckpoint() throws {
        let directory = try TemporaryDirectory()
        try makeTinyModel().save(to: directory.file("tiny-model.safetensors"))
        try makeTinyCheckpoint().save(to: directory.file("tiny-checkpoint.safetensors"))
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            "python3", root.appendingPathComponent("tools/check-safetensors.py").path,
            directory.file("tiny-model.safetensors"), directory.file("tiny-checkpoint.safetensors")
        ]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(text)")
    }
}

/// A model trained with the `nondigits` data set: its class labels record the "not a digit" output.
@Suite("model file: the trained not-a-digit class")
struct NotADigitClassTests {
    /// A 256 → 11 network whose labels are `labels`.
    func model(labels: [String]) -> SavedModel {
        let architecture = Architecture(layerSizes: [256, labels.count], activation: .relu, loss: .crossEntropy)
        var weight = Matrix(rows: labels.count, columns: 256)
        for i in weight.elements.indices { weight.elements[i] = Float(i % 13) * 0.01 - 0.06 }
        return SavedModel(
            architecture: architecture, preprocessing: .standard, classLabels: labels, provenance: sampleProvenance,
            layers: [LayerParameters(weight: weight, bias: Matrix(rows: 1, columns: labels.count))])
    }

    @Test func theClassSurvivesARoundTrip() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("eleven.safetensors")
        try model(labels: SavedModel.digitAndRejectLabels).save(to: path)
        let loaded = try SavedModel.load(from: path)
        #expect(loaded.classLabels == (0...9).map(String.init) + ["not-a-digit"])
        #expect(loaded.notADigitClass == 10)
        #expect(loaded.architecture.classCount == 11)
    }

    @Test func onlyTheDigitsThenNotADigitMeanIt() {
        #expect(model(labels: SavedModel.digitLabels).notADigitClass == nil)
        #expect(model(labels: ["not-a-digit"] + SavedModel.digitLabels).notADigitClass == nil)
        #expect(model(labels: SavedModel.digitLabels + ["other"]).notADigitClass == nil)
    }

    @Test func olderModelFilesStillLoadWithoutTheClass() throws {
        // The committed golden files of format 1 and 2, written before the class existed.
        for name in ["tiny-digits-mlp-v1.safetensors", "tiny-digits-mlp.safetensors"] {
            let loaded = try SavedModel.load(from: Fixtures.path(name))
            #expect(loaded.notADigitClass == nil, "\(name)")
            #expect(loaded.classLabels == ["zero", "one", "two"], "\(name)")
        }
    }
}
