import DigitsCore
import DigitsTestSupport
import Foundation
import Testing

/// Architecture validation, parameter-shape errors, and the initialisation of a fresh network.
@Suite("Architecture and initialisation")
struct ArchitectureTests {
    @Test("Shapes and parameter count of 256-128-10")
    func shapes() {
        let architecture = Architecture(layerSizes: [256, 128, 10])
        #expect(architecture.inputSize == 256 && architecture.classCount == 10)
        #expect(architecture.weightShapes.map(\.rows) == [128, 10])
        #expect(architecture.weightShapes.map(\.columns) == [256, 128])
        #expect(architecture.parameterCount == 128 * 256 + 128 + 10 * 128 + 10)  // 34,186
        #expect(architecture.activation == .relu && architecture.loss == .crossEntropy, "defaults")
    }

    @Test("validate rejects too few layers and sizes outside 1…65536")
    func validation() throws {
        #expect(throws: ArchitectureError.tooFewLayers(0)) { try Architecture(layerSizes: []).validate() }
        #expect(throws: ArchitectureError.tooFewLayers(1)) { try Architecture(layerSizes: [10]).validate() }
        #expect(throws: ArchitectureError.badLayerSize(0)) { try Architecture(layerSizes: [4, 0, 2]).validate() }
        #expect(throws: ArchitectureError.badLayerSize(-3)) { try Architecture(layerSizes: [-3, 2]).validate() }
        #expect(throws: ArchitectureError.badLayerSize(65537)) { try Architecture(layerSizes: [65537, 2]).validate() }
        try Architecture(layerSizes: [1, 1]).validate()
        try Architecture(layerSizes: [65536, 2]).validate()
        var generator = SeededGenerator(seed: 0)
        #expect(throws: ArchitectureError.tooFewLayers(1)) { try MLP(architecture: Architecture(layerSizes: [3]), generator: &generator) }
        #expect(ArchitectureError.badLayerSize(0).description.contains("1…65536"))
    }

    @Test("MLP(parameters:) names the layer whose parameters do not fit")
    func parameterShapeErrors() throws {
        let architecture = Architecture(layerSizes: [3, 2, 4])
        let good: [(weight: Matrix, bias: Matrix)] = [
            (Matrix(rows: 2, columns: 3), Matrix(rows: 1, columns: 2)),
            (Matrix(rows: 4, columns: 2), Matrix(rows: 1, columns: 4))
        ]
        _ = try MLP(architecture: architecture, parameters: good)

        let tooFew = try #require(throws: ArchitectureError.self) { try MLP(architecture: architecture, parameters: [good[0]]) }
        guard case .parameterShape = tooFew else {
            Issue.record("expected parameterShape, got \(tooFew)")
            return
        }

        var wrongWeight = good
        wrongWeight[1].weight = Matrix(rows: 2, columns: 4)  // transposed
        let weightError = try #require(throws: ArchitectureError.self) { try MLP(architecture: architecture, parameters: wrongWeight) }
        guard case .parameterShape(layer: 1, _, _) = weightError else {
            Issue.record("got \(weightError)")
            return
        }

        var wrongBias = good
        wrongBias[0].bias = Matrix(rows: 2, columns: 1)  // a column instead of a row
        let biasError = try #require(throws: ArchitectureError.self) { try MLP(architecture: architecture, parameters: wrongBias) }
        guard case .parameterShape(layer: 0, _, _) = biasError else {
            Issue.record("got \(biasError)")
            return
        }
        #expect(biasError.description.hasPrefix("layer 0"))
    }

    /// He for the ReLU family, U(±√(6/fan_in)); Glorot for tanh, U(±√(6/(fan_in + fan_out)));
    /// four times Glorot for sigmoid; Glorot for the output layer whatever the activation.
    /// 64 → 48 → 10: relu limit √(6/64) = 0.306186, tanh √(6/112) = 0.231455, sigmoid 0.925820;
    /// output √(6/58) = 0.321634.
    @Test(
        "Fresh weights lie within the activation's limit, fill it, and biases start at zero",
        arguments: Activation.allCases)
    func initialisation(activation: Activation) throws {
        var generator = SeededGenerator(seed: 17)
        let mlp = try MLP(architecture: Architecture(layerSizes: [64, 48, 10], activation: activation), generator: &generator)
        let hiddenLimit: Float =
            switch activation {
            case .relu, .leakyReLU, .elu, .maxout: 0.306186
            case .tanh: 0.231455
            case .sigmoid: 0.925820
            }
        #expect(isClose(activation.initialisationLimit(fanIn: 64, fanOut: 48), hiddenLimit, absoluteTolerance: 1e-6))
        for (layer, limit) in zip(mlp.linearLayers, [hiddenLimit, 0.321634]) {
            let largest = layer.weight.maximumMagnitude
            #expect(largest <= limit && largest > 0.95 * limit, "largest |w| \(largest), limit \(limit)")
            #expect(layer.bias == Matrix(rows: 1, columns: layer.outputSize))
        }
        // Same seed, same network.
        var again = SeededGenerator(seed: 17)
        let twin = try MLP(architecture: mlp.architecture, generator: &again)
        #expect(zip(mlp.linearLayers, twin.linearLayers).allSatisfy { $0.weight == $1.weight })
    }

    @Test("Activation and loss names as written in model files and on the command line")
    func rawNames() throws {
        #expect(Activation.allCases.map(\.rawValue) == ["relu", "leaky-relu", "sigmoid", "tanh", "elu", "maxout"])
        #expect(LossFunction.allCases.map(\.rawValue) == ["cross-entropy", "mse", "hinge"])
        let architecture = Architecture(layerSizes: [256, 64, 10], activation: .leakyReLU, loss: .meanSquaredError)
        let decoded = try JSONDecoder().decode(Architecture.self, from: JSONEncoder().encode(architecture))
        #expect(decoded == architecture)
        let toolbox = Architecture(
            layerSizes: [256, 64, 10], activation: .maxout, loss: .hinge, eluAlpha: 0.5,
            maxoutPieces: 3, dropout: 0.2)
        #expect(try JSONDecoder().decode(Architecture.self, from: JSONEncoder().encode(toolbox)) == toolbox)
        // JSON from before ELU, maxout and dropout: the new fields take their defaults.
        let old = try JSONDecoder().decode(Architecture.self, from: Data(#"{"layerSizes":[4,3],"activation":"tanh","loss":"mse"}"#.utf8))
        #expect(old == Architecture(layerSizes: [4, 3], activation: .tanh, loss: .meanSquaredError))
        // … and such an architecture writes none of them; another activation's parameter is not kept.
        let plain = String(
            decoding: try JSONEncoder().encode(Architecture(layerSizes: [4, 3], eluAlpha: 0.5, maxoutPieces: 3)), as: UTF8.self)
        #expect(!plain.contains("eluAlpha") && !plain.contains("maxoutPieces") && !plain.contains("dropout"))
        #expect(Architecture(layerSizes: [4, 3], activation: .relu, eluAlpha: 0.5) == Architecture(layerSizes: [4, 3]))
    }
}
