import DigitsData
import DigitsModel
import DigitsTestSupport
import Foundation
import Testing

/// `digits train`'s augmentation as a user meets it: on by default and recorded, off with
/// `--no-augment`, and images without ink left out with one warning rather than stopping the run.
/// (That a seed fixes an augmented model bit for bit, and that resuming reproduces an uninterrupted
/// augmented run, are `TrainCommandTests.seedFixesTheWeights` and
/// `InterruptionTests.resumedRunEqualsUninterruptedRun`: both train with the default augmentation.)
@Suite struct AugmentationCommandTests {
    @Test func augmentationIsOnByDefaultRecordedAndOffWithNoAugment() throws {
        try withTemporaryDirectory { directory in
            let files = try SyntheticDigits().write(to: directory)
            func train(_ name: String, _ extra: [String]) throws -> (SavedModel, TrainingCheckpoint) {
                let output = directory.appendingPathComponent("\(name).safetensors").path
                let checkpoint = directory.appendingPathComponent("\(name).ckpt").path
                let result = try run(
                    "digits",
                    ["train", "--quiet"]
                        + trainingArguments(files, output: output, extra: ["--checkpoint", checkpoint] + extra),
                    in: directory)
                #expect(result.exited(0), "\(result)")
                return (try SavedModel.load(from: output), try TrainingCheckpoint.load(from: checkpoint))
            }
            let (augmented, augmentedCheckpoint) = try train("augmented", [])
            let (plain, plainCheckpoint) = try train("plain", ["--no-augment"])
            let (shiftOnly, _) = try train("shift", ["--no-augment", "--augment-shift", "1"])
            #expect(augmented.provenance.other["augmentation"] == AugmentationSettings.standard.summary)
            #expect(plain.provenance.other["augmentation"] == "none")
            let recorded = try #require(augmented.provenance.other["augmentation_settings"])
            #expect(try JSONDecoder().decode(AugmentationSettings.self, from: Data(recorded.utf8)) == .standard)
            #expect(shiftOnly.provenance.other["augmentation"] == "shift ±1")
            #expect(firstWeightDifference(augmented, plain) != nil)
            #expect(firstWeightDifference(plain, shiftOnly) != nil)
            // The checkpoint's settings carry the augmentation, so a resumed run augments alike.
            let options = try #require(augmentedCheckpoint.trainingOptions)
            #expect(options.contains("\"augmentation\""), "\(options)")
            #expect(options.contains("\"elastic_alpha\":34"), "\(options)")
            #expect(try #require(plainCheckpoint.trainingOptions).contains("\"elastic_probability\":0"))
        }
    }

    @Test func augmentationKnobsAreChecked() throws {
        try withTemporaryDirectory { directory in
            let files = try SyntheticDigits().write(to: directory)
            let output = directory.appendingPathComponent("m.safetensors").path
            for (flag, value, fragment) in [
                ("--augment-elastic", "2", "elastic probability"),
                ("--augment-shift", "9", "shift"),
                ("--augment-rotation", "nan", "rotation")
            ] {
                let result = try run(
                    "digits", ["train"] + trainingArguments(files, output: output, extra: [flag, value]),
                    in: directory)
                expectUsageError(result, mentioning: fragment)
            }
        }
    }

    @Test func imagesWithoutInkAreLeftOutWithOneWarning() throws {
        try withTemporaryDirectory { directory in
            let made = SyntheticDigits().make()
            var pixels = made.pixels
            for index in [7, 123] {
                for i in index * 256..<(index + 1) * 256 { pixels[i] = 0 }
            }
            let images = directory.appendingPathComponent("blank.idx").path
            let labelsPath = directory.appendingPathComponent("blank-labels.idx").path
            try IDXWriter.write(IDXArray(dimensions: [300, 16, 16], elements: .uint8(pixels)), to: images)
            try IDXWriter.write(IDXArray(dimensions: [300], elements: .uint8(made.labels)), to: labelsPath)
            let output = directory.appendingPathComponent("m.safetensors").path
            let result = try run(
                "digits",
                [
                    "train", "--images", images, "--labels", labelsPath, "--hidden", "16",
                    "--epochs", "1", "--batch-size", "16", "--validation", "50",
                    "--output", output
                ], in: directory)
            #expect(result.exited(0), "\(result)")
            #expect(
                result.standardErrorLines == ["digits train: warning: \(images): 2 images without ink (index 7, 123) left out"],
                "\(result)")
            #expect(result.standardOutputLines.first?.contains("248 training, 50 validation") == true, "\(result)")
        }
    }
}
