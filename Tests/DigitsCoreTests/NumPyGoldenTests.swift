import DigitsCore
import DigitsTestSupport
import Testing

/// One small network's state as computed by an independent NumPy implementation in float64
/// (`tools/golden/core_golden.py`, which writes `NumPyGoldenData.swift`), llm.c-style: the
/// forward output, the loss, every parameter gradient, the loss before each of three optimiser
/// steps (SGD, Adam, AdamW, RMSProp or Adagrad) on the same batch, and the parameters after them.
struct NumPyGoldenCase: Sendable, CustomTestStringConvertible {
    var architecture: Architecture
    var settings: SGDSettings
    var optimizer: OptimizerKind = .sgd
    var adaptive = AdaptiveSettings()
    var input: Matrix
    var labels: [Int]
    var parameters: [(weight: Matrix, bias: Matrix)]
    var output: Matrix
    var loss: Double
    var gradients: [(weight: Matrix, bias: Matrix)]
    var lossesBeforeSteps: [Double]
    var parametersAfterSteps: [(weight: Matrix, bias: Matrix)]

    var testDescription: String {
        architecture.layerSizes.map(String.init).joined(separator: "-")
            + " \(architecture.activation.rawValue), \(architecture.loss.rawValue), "
            + optimizer.rawValue + (adaptive.decoupledWeightDecay ? " (decoupled decay)" : "")
    }

    static let all: [NumPyGoldenCase] = [
        .reluCrossEntropy, .sigmoidSquaredError, .tanhCrossEntropy,
        .adamReLU, .adamWTanh, .rmspropSigmoidSquaredError, .adagradELUHinge
    ]
}

/// Float32 against float64: every quantity here is a short sum of products of numbers of order 1,
/// so its error is a few ε = 6·10⁻⁸ times a small condition number — the largest difference seen
/// is 2.4·10⁻⁷. 2e-6 absolute plus 1e-5 relative leaves a margin of ten and is far below any real
/// mistake.
@Suite("Golden values from NumPy")
struct NumPyGoldenTests {
    static func close(_ a: Matrix, _ b: Matrix) -> Bool {
        isClose(a, b, absoluteTolerance: 2e-6, relativeTolerance: 1e-5)
    }

    @Test("Forward, loss and gradients match NumPy", arguments: NumPyGoldenCase.all)
    func gradients(golden: NumPyGoldenCase) throws {
        let mlp = try MLP(architecture: golden.architecture, parameters: golden.parameters)
        let targets = Matrix.oneHot(golden.labels, classes: golden.architecture.classCount)
        let (loss, output) = mlp.computeGradients(input: golden.input, targets: targets)
        #expect(Self.close(output, golden.output), "output differs by \(maximumDifference(output, golden.output))")
        #expect(isClose(Double(loss), golden.loss, absoluteTolerance: 1e-6, relativeTolerance: 1e-5))
        for (index, (linear, expected)) in zip(mlp.linearLayers, golden.gradients).enumerated() {
            #expect(
                Self.close(linear.weightGradient, expected.weight),
                "dW\(index + 1) differs by \(maximumDifference(linear.weightGradient, expected.weight))")
            #expect(
                Self.close(linear.biasGradient, expected.bias),
                "db\(index + 1) differs by \(maximumDifference(linear.biasGradient, expected.bias))")
        }
    }

    @Test("Three optimiser steps match NumPy: losses on the way and the parameters at the end", arguments: NumPyGoldenCase.all)
    func steps(golden: NumPyGoldenCase) throws {
        let mlp = try MLP(architecture: golden.architecture, parameters: golden.parameters)
        let sgd = makeOptimizer(golden.optimizer, settings: golden.settings, adaptive: golden.adaptive, for: mlp.linearLayers)
        let targets = Matrix.oneHot(golden.labels, classes: golden.architecture.classCount)
        var losses: [Double] = []
        for _ in 0..<3 {
            losses.append(Double(mlp.computeGradients(input: golden.input, targets: targets).loss))
            sgd.step(mlp.linearLayers)
        }
        for (mine, theirs) in zip(losses, golden.lossesBeforeSteps) {
            #expect(
                isClose(mine, theirs, absoluteTolerance: 1e-6, relativeTolerance: 1e-5), "losses \(losses) vs \(golden.lossesBeforeSteps)")
        }
        #expect(losses.last! < losses.first!, "the steps lower the loss on their batch")
        for (index, (linear, expected)) in zip(mlp.linearLayers, golden.parametersAfterSteps).enumerated() {
            #expect(
                Self.close(linear.weight, expected.weight), "W\(index + 1) differs by \(maximumDifference(linear.weight, expected.weight))")
            #expect(Self.close(linear.bias, expected.bias), "b\(index + 1) differs by \(maximumDifference(linear.bias, expected.bias))")
        }
    }
}
