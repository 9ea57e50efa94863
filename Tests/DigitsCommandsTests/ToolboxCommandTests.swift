import DigitsCore
import DigitsModel
import DigitsTestSupport
import Foundation
import Testing

/// `digits train` with the toolbox options: maxout, hinge, Adam, dropout end to end on the synthetic
/// fixture; reproducible from the seed; bad values refused as usage errors.
@Suite struct ToolboxCommandTests {
    static let toolbox = [
        "--activation", "maxout", "--maxout-pieces", "3", "--loss", "hinge", "--optimizer", "adam",
        "--learning-rate", "0.003", "--dropout", "0.2", "--decoupled-weight-decay"
    ]

    @Test func maxoutHingeAdamDropoutTrainsSavesAndIsReproducible() throws {
        try withTemporaryDirectory { directory in
            let files = try SyntheticDigits().write(to: directory)
            let first = directory.appendingPathComponent("a.safetensors").path
            let second = directory.appendingPathComponent("b.safetensors").path
            let checkpoint = directory.appendingPathComponent("a.ckpt").path
            let a = try run(
                "digits",
                ["train"]
                    + trainingArguments(
                        files, output: first, epochs: 3, seed: 4,
                        extra: Self.toolbox + ["--checkpoint", checkpoint]),
                in: directory)
            #expect(a.exited(0), "\(a)")
            #expect(a.standardOutput.contains("maxout, hinge"), "\(a)")
            #expect(a.standardOutput.contains("adam (decoupled decay)") && a.standardOutput.contains("dropout 0.2"), "\(a)")
            let model = try SavedModel.load(from: first)
            #expect(
                model.architecture
                    == Architecture(
                        layerSizes: [256, 16, 10], activation: .maxout, loss: .hinge,
                        maxoutPieces: 3, dropout: 0.2))
            #expect(model.layers.map(\.weight.rows) == [48, 10], "maxout's hidden weight has k × the units")
            #expect(model.provenance.other["optimizer"] == "adam")
            #expect((model.provenance.validationAccuracy ?? 0) > 0.3, "\(model.provenance)")

            let saved = try TrainingCheckpoint.load(from: checkpoint)
            #expect(saved.optimizer == .adam && saved.adaptive.decoupledWeightDecay && saved.optimizerSteps > 0)

            let b = try run(
                "digits", ["train"] + trainingArguments(files, output: second, epochs: 3, seed: 4, extra: Self.toolbox),
                in: directory)
            #expect(b.exited(0), "\(b)")
            #expect(try firstWeightDifference(SavedModel.load(from: first), SavedModel.load(from: second)) == nil)
        }
    }

    @Test(arguments: [
        (["--dropout", "1"], "--dropout"),
        (["--dropout", "-0.5"], "--dropout"),
        (["--maxout-pieces", "0"], "--maxout-pieces"),
        (["--elu-alpha", "0"], "--elu-alpha"),
        (["--decoupled-weight-decay"], "--decoupled-weight-decay"),
        (["--optimizer", "lbfgs"], "--optimizer")
    ])
    func badToolboxValuesAreUsageErrors(arguments: [String], fragment: String) throws {
        try withTemporaryDirectory { directory in
            let result = try run("digits", ["train", "--dataset", "usps"] + arguments, in: directory)
            expectUsageError(result, mentioning: fragment)
        }
    }
}
