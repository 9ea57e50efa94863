import DigitsCore
import DigitsTestSupport
import Testing
@testable import DigitsModel

/// The toolbox's architecture pieces in the model file: ELU's α, maxout's pieces (and its k × wider
/// hidden weights), the hinge loss with the note that probabilities are a softmax of its scores.
@Suite("model file: ELU, maxout, hinge")
struct ToolboxModelFileTests {
    static let architectures: [Architecture] = [
        Architecture(layerSizes: [5, 4, 3], activation: .elu, loss: .crossEntropy, eluAlpha: 0.5),
        Architecture(layerSizes: [5, 4, 3, 3], activation: .maxout, loss: .crossEntropy, maxoutPieces: 3),
        Architecture(layerSizes: [5, 4, 3], activation: .relu, loss: .hinge),
        Architecture(layerSizes: [5, 6, 3], activation: .maxout, loss: .hinge),
        Architecture(layerSizes: [5, 6, 4, 3], activation: .elu, loss: .hinge, eluAlpha: 2, dropout: 0.3)
    ]

    @Test(
        "save → load: same architecture, bit-identical weights, identical outputs and probabilities",
        arguments: architectures)
    func roundTrip(architecture: Architecture) throws {
        var generator = SeededGenerator(seed: 11)
        let network = try MLP(architecture: architecture, generator: &generator)
        let model = SavedModel(network: network, preprocessing: .standard, classLabels: ["a", "b", "c"])
        let loaded = try SavedModel.decode(try model.encoded())
        #expect(loaded.architecture == architecture)
        #expect(loaded == model)
        let copy = try loaded.makeNetwork()
        for (a, b) in zip(network.linearLayers, copy.linearLayers) {
            #expect(a.weight.shape == b.weight.shape)
            #expect(bitPatterns(a.weight) == bitPatterns(b.weight))
            #expect(bitPatterns(a.bias) == bitPatterns(b.bias))
        }
        let x = Matrix.sinePattern(rows: 7, columns: 5, phase: 0.2, scale: 2)
        #expect(bitPatterns(copy.forward(x)) == bitPatterns(network.forward(x)))
        #expect(bitPatterns(copy.probabilities(x)) == bitPatterns(network.probabilities(x)))
        #expect(copy.probabilities(x).rowSums.allSatisfy { abs($0 - 1) < 1e-5 })
    }

    @Test("metadata: elu_alpha and maxout_pieces only where they apply; hinge says where probabilities come from")
    func metadata() throws {
        func metadata(_ architecture: Architecture) throws -> [String: String] {
            var generator = SeededGenerator(seed: 1)
            let model = SavedModel(
                network: try MLP(architecture: architecture, generator: &generator), preprocessing: .standard,
                classLabels: ["a", "b", "c"])
            return try SafeTensors.decode(try model.encoded()).metadata
        }
        let elu = try metadata(Self.architectures[0])
        #expect(elu["activation"] == "elu" && elu["elu_alpha"] == "0.5" && elu["maxout_pieces"] == nil)
        let maxout = try metadata(Self.architectures[1])
        #expect(maxout["activation"] == "maxout" && maxout["maxout_pieces"] == "3" && maxout["elu_alpha"] == nil)
        let hinge = try metadata(Self.architectures[2])
        #expect(hinge["loss"] == "hinge")
        #expect(hinge["probabilities"]?.hasPrefix("softmax of the hinge scores") == true)
        let plain = try metadata(Architecture(layerSizes: [5, 4, 3]))
        #expect(plain["probabilities"] == nil && plain["elu_alpha"] == nil && plain["maxout_pieces"] == nil)
        #expect(plain["dropout"] == nil)
        #expect(try metadata(Self.architectures[4])["dropout"] == "0.3")
    }

    @Test("a maxout file whose pieces disagree with its weights, or with a bad α, is refused")
    func damaged() throws {
        var generator = SeededGenerator(seed: 1)
        let model = SavedModel(
            network: try MLP(architecture: Self.architectures[1], generator: &generator), preprocessing: .standard,
            classLabels: ["a", "b", "c"])
        var file = try SafeTensors.decode(try model.encoded())
        file.metadata["maxout_pieces"] = "2"
        #expect(throws: ModelFileError.self) { try SavedModel.decode(try file.encoded(path: "x")) }
        file.metadata["maxout_pieces"] = "0"
        #expect(throws: ModelFileError.self) { try SavedModel.decode(try file.encoded(path: "x")) }

        let eluModel = SavedModel(
            network: try MLP(architecture: Self.architectures[0], generator: &generator), preprocessing: .standard,
            classLabels: ["a", "b", "c"])
        var eluFile = try SafeTensors.decode(try eluModel.encoded())
        eluFile.metadata["elu_alpha"] = "-1"
        #expect(throws: ModelFileError.self) { try SavedModel.decode(try eluFile.encoded(path: "x")) }
        eluFile.metadata["elu_alpha"] = "nan"
        #expect(throws: ModelFileError.self) { try SavedModel.decode(try eluFile.encoded(path: "x")) }
    }
}
