import DigitsModel
import DigitsTestSupport
import Foundation
import Testing

/// `digits train` and `digits-train` on the synthetic fixture: what they print, what they save,
/// and that a seed fixes the model bit for bit.
@Suite struct TrainCommandTests {
    /// `epoch 1/2  loss 2.1234  train  45.20%  validation  60.00%  lr 0.0500  0.3s  saved`
    static var epochLine: Regex<(Substring, Substring, Substring, Substring?)> {
        #/epoch (\d+)/(\d+)  loss \d+\.\d{4}  train +\d+\.\d\d%  validation +\d+\.\d\d%  lr \d+\.\d{4}  \d+\.\ds(  saved)?/#
    }

    @Test func trainPrintsOneLinePerEpochAndSavesTheRequestedNetwork() throws {
        try withTemporaryDirectory { directory in
            let files = try SyntheticDigits().write(to: directory)
            let output = directory.appendingPathComponent("m.safetensors").path
            let result = try run(
                "digits", ["train"] + trainingArguments(files, output: output, epochs: 3, seed: 5),
                in: directory)
            #expect(result.exited(0), "\(result)")
            // stderr is not a terminal: no progress bar, nothing at all.
            #expect(result.standardError.isEmpty, "\(result)")
            try expectTrainingOutput(result, epochs: 3, output: output)

            let model = try SavedModel.load(from: output)
            #expect(model.architecture.layerSizes == [256, 16, 10])
            #expect(model.architecture.activation == .relu)
            #expect(model.architecture.loss == .crossEntropy)
            #expect(model.layers.map(\.weight.rows) == [16, 10])
            #expect(model.layers.map(\.weight.columns) == [256, 16])
            #expect(model.provenance.dataset == "images.idx.gz")
            #expect(model.provenance.epochs == 3)
            #expect(model.provenance.seed == 5)
            #expect(model.provenance.batchSize == 16)
            #expect(model.provenance.toolVersion != nil)
            // The shapes are easy to tell apart: even three short epochs learn them (chance is 10 %).
            #expect((model.provenance.validationAccuracy ?? 0) > 0.5, "\(model.provenance)")
            // Nothing but the model (and the fixture) was written: no temporary files left behind.
            #expect(try strayFiles(in: directory, besides: SyntheticDigits.fileNames.union(["m.safetensors"])) == ([], []))
        }
    }

    /// The standalone trainer is the same command: same output shape, and on the raw IDX files it
    /// trains exactly the model the front trains on the gzipped ones.
    @Test func standaloneTrainerOnRawFilesMatchesTheFrontOnGzippedFiles() throws {
        try withTemporaryDirectory { directory in
            let files = try SyntheticDigits().write(to: directory)
            var raw = files
            raw.images = files.rawImages
            raw.labels = files.rawLabels
            let frontOutput = directory.appendingPathComponent("front.safetensors").path
            let aloneOutput = directory.appendingPathComponent("alone.safetensors").path
            let front = try run("digits", ["train"] + trainingArguments(files, output: frontOutput), in: directory)
            let alone = try run("digits-train", trainingArguments(raw, output: aloneOutput), in: directory)
            #expect(front.exited(0), "\(front)")
            #expect(alone.exited(0), "\(alone)")
            #expect(alone.standardError.isEmpty, "\(alone)")
            try expectTrainingOutput(alone, epochs: 2, output: aloneOutput)
            #expect(try firstWeightDifference(SavedModel.load(from: aloneOutput), SavedModel.load(from: frontOutput)) == nil)
        }
    }

    /// Same seed ⇒ the same weights bit for bit (the files also hold a creation time, so the weights
    /// are compared, not the bytes); another seed ⇒ other weights.
    @Test func seedFixesTheWeights() throws {
        try withTemporaryDirectory { directory in
            let files = try SyntheticDigits().write(to: directory)
            func train(seed: Int, _ name: String) throws -> SavedModel {
                let output = directory.appendingPathComponent(name).path
                let result = try run(
                    "digits", ["train", "--quiet"] + trainingArguments(files, output: output, seed: seed),
                    in: directory)
                #expect(result.exited(0), "\(result)")
                // --quiet: the two summary lines only.
                #expect(result.standardOutputLines.count == 2, "\(result)")
                return try SavedModel.load(from: output)
            }
            let first = try train(seed: 11, "a.safetensors")
            let again = try train(seed: 11, "b.safetensors")
            let other = try train(seed: 12, "c.safetensors")
            let sameSeed = first.layers == again.layers  // Float ==, as a reader of the file would compare
            #expect(sameSeed)
            #expect(firstWeightDifference(first, again) == nil)
            let otherSeed = first.layers == other.layers
            #expect(!otherSeed)
            #expect(firstWeightDifference(first, other) != nil)
            #expect(first.architecture == other.architecture)
        }
    }

    /// `--validation 0`: the best epoch is chosen on training accuracy, and the lines say so instead
    /// of showing that accuracy as "validation" (they showed "validation 100.00%" with no validation image).
    @Test func withoutAValidationSplitNoLineCallsTrainingAccuracyValidation() throws {
        try withTemporaryDirectory { directory in
            let files = try SyntheticDigits().write(to: directory)
            let output = directory.appendingPathComponent("m.safetensors").path
            var arguments = trainingArguments(files, output: output, epochs: 2)
            arguments[arguments.firstIndex(of: "--validation")! + 1] = "0"
            let result = try run("digits", ["train"] + arguments, in: directory)
            #expect(result.exited(0), "\(result)")
            let lines = result.standardOutputLines
            #expect(lines.first?.contains("300 training, 0 validation images") == true, "\(result)")
            let epochs = lines.filter { $0.hasPrefix("epoch ") }
            #expect(epochs.count == 2 && epochs.allSatisfy { $0.contains("  validation   none  lr ") }, "\(result)")
            #expect(
                lines.contains { $0.wholeMatch(of: #/best training accuracy \d+\.\d\d% \(epoch \d\), no validation split/#) != nil },
                "\(result)")
            #expect(!result.standardOutput.contains("best validation"), "\(result)")
        }
    }

    /// Setup lines, one line per epoch (the first always saves), then the two summary lines.
    private func expectTrainingOutput(
        _ result: ProcessResult, epochs: Int, output: String,
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        let lines = result.standardOutputLines
        try #require(lines.count == 2 + epochs + 2, "\(result)", sourceLocation: sourceLocation)
        #expect(lines[0].hasPrefix("images.idx"), sourceLocation: sourceLocation)
        #expect(lines[0].contains("250 training, 50 validation images"), sourceLocation: sourceLocation)
        #expect(lines[1].hasPrefix("network 256-16-10, relu"), sourceLocation: sourceLocation)
        for epoch in 1...epochs {
            let line = lines[1 + epoch]
            let match = try #require(line.wholeMatch(of: Self.epochLine), "\(line)", sourceLocation: sourceLocation)
            #expect(Int(match.1) == epoch && Int(match.2) == epochs, sourceLocation: sourceLocation)
            if epoch == 1 { #expect(match.3 != nil, "the first epoch always saves", sourceLocation: sourceLocation) }
        }
        #expect(
            lines[2 + epochs].wholeMatch(of: #/best validation accuracy \d+\.\d\d% \(epoch \d+\)/#) != nil,
            "\(result)", sourceLocation: sourceLocation)
        #expect(
            lines[3 + epochs].wholeMatch(of: #/trained in \d+\.\d s; model saved to (.*)/#)?.1 == Substring(output),
            "\(result)", sourceLocation: sourceLocation)
    }
}
