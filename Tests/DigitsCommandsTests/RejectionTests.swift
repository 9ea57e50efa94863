import DigitsData
import DigitsTestSupport
import Foundation
import Testing

/// "Not a digit" and "several digits" from `digits classify`, on pictures drawn here (a fixture set
/// of non-digits that are unmistakable by shape), with the shipped model (which records no
/// confidence threshold, so only the ink-shape checks apply) and with a threshold given.
@Suite struct RejectionTests {
    static let side = 40

    /// Dark ink on white, 40 × 40.
    static func picture(_ isInk: (Int, Int) -> Bool) -> [UInt8] {
        (0..<(side * side)).map { isInk($0 % side, $0 / side) ? 0 : 255 }
    }

    static let pictures: [(name: String, pixels: [UInt8], verdict: String)] = [
        // Salt-and-pepper noise: dozens of pieces.
        ("noise", picture { x, y in (x &* 7919 &+ y &* 104_729 &+ x &* y &* 31) % 7 < 2 }, "not-a-digit"),
        // A filled disc: a box almost all ink, and square.
        ("blob", picture { x, y in (x - 20) * (x - 20) + (y - 20) * (y - 20) < 15 * 15 }, "not-a-digit"),
        // Two upright bars side by side, like "11".
        (
            "two-bars",
            picture { x, y in (6...8).contains(y) == false && (5...34).contains(y) && ((10...13).contains(x) || (26...29).contains(x)) },
            "several-digits"
        ),
        // A smiley: a ring, two eyes and a mouth — four pieces.
        (
            "smiley",
            picture { x, y in
                let r = ((x - 20) * (x - 20) + (y - 20) * (y - 20))
                let ring = (15 * 15...17 * 17).contains(r)
                let eyes = ((x - 14) * (x - 14) + (y - 15) * (y - 15) <= 4) || ((x - 26) * (x - 26) + (y - 15) * (y - 15) <= 4)
                let mouth = (13...27).contains(x) && (25...26).contains(y)
                return ring || eyes || mouth
            }, "not-a-digit"
        )
    ]

    func writePictures(to directory: URL) throws -> [String] {
        try Self.pictures.map { picture in
            let path = directory.appendingPathComponent("\(picture.name).png").path
            try PNGWriter.writeGray(picture.pixels, width: Self.side, height: Self.side, to: path)
            return path
        }
    }

    @Test func nonDigitsAreRefusedDigitsAreNot() throws {
        try withTemporaryDirectory { directory in
            let files = try writePictures(to: directory)
            let digit = try #require(ClassifyCommandTests.samples.first, "samples missing")
            let result = try run(
                "digits", ["classify", "--json", "--model", ClassifyCommandTests.shippedModel] + files + [digit],
                in: directory)
            #expect(result.exited(0), "\(result)")
            let objects = try result.standardOutputLines.map { line in
                try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], "\(line)")
            }
            try #require(objects.count == files.count + 1, "\(result)")
            for (object, picture) in zip(objects, Self.pictures) {
                #expect(object["verdict"] as? String == picture.verdict, "\(picture.name): \(object)")
                #expect(object["digit"] is NSNull, "\(picture.name): \(object)")
                #expect((object["probabilities"] as? [Any])?.count == 10, "\(picture.name): still with the probabilities")
            }
            #expect(objects.last?["verdict"] as? String == "digit")
            #expect(integer(objects.last?["digit"]) == ClassifyCommandTests.digitInName(digit))

            let text = try run("digits", ["classify", "--model", ClassifyCommandTests.shippedModel] + files, in: directory)
            #expect(
                text.standardOutputLines
                    == zip(files, Self.pictures).map { file, picture in
                        "\(file): " + (picture.verdict == "several-digits" ? "several digits" : "not a digit")
                    }, "\(text)")

            // --no-reject names a digit for every picture.
            let forced = try run(
                "digits", ["classify", "--json", "--no-reject", "--model", ClassifyCommandTests.shippedModel] + files,
                in: directory)
            #expect(forced.standardOutputLines.allSatisfy { $0.contains("\"verdict\": \"digit\"") && !$0.contains("null") }, "\(forced)")
        }
    }

    @Test func confidenceThresholdRefusesWhatTheNetworkIsUnsureOf() throws {
        try withTemporaryDirectory { directory in
            let digit = try #require(ClassifyCommandTests.samples.first, "samples missing")
            // A threshold of 1 refuses everything short of certainty; 0 refuses nothing on this ground.
            let strict = try run(
                "digits", ["classify", "--reject-confidence", "1", "--model", ClassifyCommandTests.shippedModel, digit],
                in: directory)
            #expect(strict.standardOutputLines == ["\(digit): not a digit"], "\(strict)")
            let lenient = try run(
                "digits", ["classify", "--reject-confidence", "0", "--model", ClassifyCommandTests.shippedModel, digit],
                in: directory)
            #expect(
                lenient.standardOutputLines.first?.hasPrefix("\(digit): \(ClassifyCommandTests.digitInName(digit)!) (") == true,
                "\(lenient)")
        }
    }

    @Test func trainingRecordsACalibratedThresholdAndEvaluateCountsRefusals() throws {
        try withTemporaryDirectory { directory in
            let files = try SyntheticDigits().write(to: directory)
            let model = directory.appendingPathComponent("m.safetensors").path
            let training = try run("digits", ["train", "--quiet"] + trainingArguments(files, output: model, epochs: 2), in: directory)
            try #require(training.exited(0), "\(training)")
            let data = try Data(contentsOf: URL(fileURLWithPath: model))
            #expect(String(decoding: data.prefix(4096), as: UTF8.self).contains("\"provenance.reject_confidence\""))
            let json = try run(
                "digits", ["evaluate", "--json", "--images", files.images, "--labels", files.labels, "--model", model],
                in: directory)
            let object = try #require(try JSONSerialization.jsonObject(with: Data(json.standardOutput.utf8)) as? [String: Any], "\(json)")
            let rejected = try #require(integer(object["rejected"]), "\(json)")
            #expect(rejected == (integer(object["rejected_not_a_digit"]) ?? -1) + (integer(object["rejected_several_digits"]) ?? -1))
            #expect(number(object["reject_confidence"]) != nil, "\(json)")
            // A ten-class model has no trained "not a digit" class, so no bar for it.
            #expect(object["reject_not_a_digit_ratio"] is NSNull, "\(json)")
            let off = try run(
                "digits",
                [
                    "evaluate", "--json", "--no-reject", "--images", files.images, "--labels", files.labels,
                    "--model", model
                ], in: directory)
            #expect(
                off.standardOutput.contains("\"rejected\": 0") && off.standardOutput.contains("\"reject_confidence\": \"off\""), "\(off)")
        }
    }
}
