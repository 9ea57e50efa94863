import DigitsData
import DigitsModel
import DigitsTestSupport
import Foundation
import Testing

/// `digits read` on the committed sample numbers (`Fixtures/numbers`, made by
/// `tools/make-number-strings.py --n 8 --seed 2026`: MNIST and USPS test digits; the number is in
/// each file's name and in labels.tsv) with the shipped model, and `--save-input` on read and classify.
@Suite struct ReadCommandTests {
    static let shippedModel = ClassifyCommandTests.shippedModel
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/numbers")
    /// (path, number) for every sample, in labels.tsv's order.
    static let samples: [(path: String, number: String)] = {
        let labels = (try? String(contentsOf: folder.appendingPathComponent("labels.tsv"), encoding: .utf8)) ?? ""
        return labels.split(separator: "\n").dropFirst().compactMap { line in
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
            guard fields.count >= 2 else { return nil }
            return (folder.appendingPathComponent(String(fields[0])).path, String(fields[1]))
        }
    }()

    static func objects(_ result: ProcessResult) throws -> [[String: Any]] {
        try result.standardOutputLines.map { line in
            try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], "\(line)")
        }
    }

    /// A model's calibrated bar for its "not a digit" class is classify's: a mark of a number is
    /// refused only when the class is its most probable. With the bar at 0.01, classify refuses the
    /// 16-bit scan of a 1 (its "not a digit" is 0.038 against 0.96), while read still reads "1".
    @Test func aNumbersMarksAreRefusedOnlyWhenTheClassWins() throws {
        try withTemporaryDirectory { directory in
            var model = try SavedModel.load(from: Self.shippedModel)
            try #require(model.notADigitClass == 10)
            model.provenance.other["reject_not_a_digit_ratio"] = "0.01"
            let lowBar = directory.appendingPathComponent("low-bar.safetensors").path
            try model.save(to: lowBar)
            let picture = repositoryRoot.appendingPathComponent("Resources/samples/1-scan-16bit.png").path
            let classified = try run("digits", ["classify", "--json", "--model", lowBar, picture], in: directory)
            #expect(try Self.objects(classified).first?["verdict"] as? String == "not-a-digit", "\(classified)")
            let read = try run("digits", ["read", "--json", "--model", lowBar, picture], in: directory)
            #expect(read.exited(0), "\(read)")
            #expect(try Self.objects(read).first?["number"] as? String == "1", "\(read)")
        }
    }

    /// The bar: at least 87 % of the 32 sample numbers exactly right (measured: 28, one mixed and
    /// three photo strings wrong; the generated set of 1,000 is measured by tools/read-accuracy.py
    /// and README quotes it), every line well formed.
    @Test func readsTheSampleNumbers() throws {
        try #require(Self.samples.count >= 24, "samples missing from \(Self.folder.path)")
        try withTemporaryDirectory { directory in
            let result = try run(
                "digits", ["read", "--json", "--model", Self.shippedModel] + Self.samples.map(\.path), in: directory,
                timeout: 300)
            #expect(result.exited(0) || result.exited(2), "\(result)")
            #expect(result.standardError.isEmpty, "\(result)")
            let objects = try Self.objects(result)
            try #require(objects.count == Self.samples.count, "\(result)")
            var right = 0
            var wrong: [String] = []
            for (object, sample) in zip(objects, Self.samples) {
                #expect(object["file"] as? String == sample.path)
                let said = object["number"] as? String ?? ""
                if said == sample.number { right += 1 } else { wrong.append("\(sample.number) read \(said)") }
                let digits = try #require(object["digits"] as? [[String: Any]], "\(object)")
                #expect(digits.count == said.count)
                for digit in digits {
                    let probabilities = try #require((digit["probabilities"] as? [Any])?.compactMap(number))
                    // With a trained "not a digit" output, its probability is the rest of the 1.
                    let notADigit = number(digit["not_a_digit"]) ?? 0
                    #expect(probabilities.count == 10 && abs(probabilities.reduce(0, +) + notADigit - 1) < 1e-4)
                    let box = try #require(digit["box"] as? [String: Any])
                    #expect((integer(box["width"]) ?? 0) > 0 && (integer(box["height"]) ?? 0) > 0)
                }
                #expect((object["complete"] as? Bool) == !said.contains("?"))
            }
            // 28 of 32 with the model trained with a "not a digit" class since whole marks are judged by
            // its own rule (17949's thick 1 no longer refused by the ink-density check; 0926232's
            // photographed 0 still refused by the class; three misreadings). 27 before that, 28 with
            // the ten-class model this test was written for.
            #expect(100 * right >= 87 * Self.samples.count, "\(right) of \(Self.samples.count) right; wrong: \(wrong)")
        }
    }

    /// Two touching pairs the reader before neck cuts misread (`Fixtures/touching`, from
    /// `tools/make-number-strings.py --seed 5`, the seed the reader is tuned on): 60872, whose 8's
    /// lower stroke runs into the 0's side, read "60?72" (the 0 with a piece of the 8, and an 8
    /// without it: every seam slices one of them; a neck cut parts them whole); 41119, whose last two 1s touch in a mark narrower than a digit, read "41?9"
    /// (it was never tried as two: a mark the rule refuses now is).
    @Test func touchingPairsCutAtANeckOrRefusedWhole() throws {
        let folder = Self.folder.deletingLastPathComponent().appendingPathComponent("touching")
        let samples = [("touching-5-0010-60872.png", "60872"), ("touching-5-0009-41119.png", "41119")]
        try withTemporaryDirectory { directory in
            let paths = samples.map { folder.appendingPathComponent($0.0).path }
            let result = try run("digits", ["read", "--json", "--model", Self.shippedModel] + paths, in: directory)
            #expect(result.exited(0), "\(result)")
            let objects = try Self.objects(result)
            try #require(objects.count == samples.count, "\(result)")
            for (object, sample) in zip(objects, samples) {
                #expect(object["number"] as? String == sample.1, "\(object)")
                #expect(object["complete"] as? Bool == true)
            }
        }
    }

    /// Two clean five-digit numbers, exactly, in the text form, from the standalone executable.
    @Test func cleanNumbersExactly() throws {
        let clean = Self.samples.filter { $0.path.contains("/separated-5-") }.prefix(2)
        try #require(clean.count == 2)
        try withTemporaryDirectory { directory in
            let result = try run("digits-read", ["--model", Self.shippedModel] + clean.map(\.path), in: directory)
            #expect(result.exited(0), "\(result)")
            let lines = result.standardOutputLines
            try #require(lines.count == 2, "\(result)")
            for (line, sample) in zip(lines, clean) {
                // FILE: 12345  (1 99.9%, 2 98.0%, …)
                let match = try #require(line.wholeMatch(of: #/(.+): (\d+)  \((.+)\)/#), "\(line)")
                #expect(String(match.1) == sample.path)
                #expect(String(match.2) == sample.number, "\(line)")
                #expect(match.3.split(separator: ",").count == sample.number.count, "\(line)")
            }
        }
    }

    /// `--save-input`: one 128 × 128 grey PNG per digit, named after the file and the digit, light
    /// ink on black; the JSON says where each went. classify writes one per picture.
    @Test func saveInputWritesWhatTheNetworkSaw() throws {
        let sample = try #require(Self.samples.first { $0.path.contains("/separated-5-") })
        let single = try #require(ClassifyCommandTests.samples.first { ClassifyCommandTests.digitInName($0) == 7 })
        try withTemporaryDirectory { directory in
            let seen = directory.appendingPathComponent("seen").path
            let read = try run("digits", ["read", "--json", "--save-input", seen, "--model", Self.shippedModel, sample.path], in: directory)
            #expect(read.exited(0), "\(read)")
            let digits = try #require(try Self.objects(read).first?["digits"] as? [[String: Any]])
            let stem = ((sample.path as NSString).lastPathComponent as NSString).deletingPathExtension
            #expect(digits.map { $0["input"] as? String } == (1...5).map { "\(seen)/\(stem).\($0).input.png" })
            for digit in digits {
                let picture = try PNGReader.read(try #require(digit["input"] as? String))
                #expect(picture.width == 128 && picture.height == 128)
                // Nearest-neighbour ×8: every 8 × 8 cell is one value; the border cells are background.
                #expect(picture[0, 0] == 0 && picture[3, 5] == picture[7, 7])
                #expect(picture.pixels.contains { $0 > 0.99 }, "the strongest input pixel is 1 (renormalised)")
            }

            let classify = try run(
                "digits", ["classify", "--save-input", seen, "--model", Self.shippedModel, single], in: directory)
            #expect(classify.exited(0), "\(classify)")
            let name = ((single as NSString).lastPathComponent as NSString).deletingPathExtension
            #expect(classify.standardOutput.hasSuffix("  input: \(seen)/\(name).input.png\n"), "\(classify)")
            #expect(try PNGReader.read("\(seen)/\(name).input.png").width == 128)
        }
    }

    /// A missing file and a blank picture: one error line each, the good file still read, exit 1;
    /// a picture of a blob, refused: `?` and exit 2.
    @Test func errorsAndIncompleteReads() throws {
        let sample = try #require(Self.samples.first { $0.path.contains("/separated-5-") })
        try withTemporaryDirectory { directory in
            let missing = directory.appendingPathComponent("absent.png").path
            let blank = directory.appendingPathComponent("blank.png").path
            try PNGWriter.writeGray([UInt8](repeating: 255, count: 40 * 40), width: 40, height: 40, to: blank)
            let result = try run("digits", ["read", "--model", Self.shippedModel, missing, sample.path, blank], in: directory)
            #expect(result.exited(1), "\(result)")
            #expect(result.standardOutputLines.count == 1, "\(result)")
            #expect(result.standardOutput.hasPrefix("\(sample.path): \(sample.number)  ("), "\(result)")
            #expect(result.standardErrorLines.count == 2, "\(result)")
            #expect(result.standardErrorLines.first?.hasPrefix("digits read: error: \(missing): cannot read") == true, "\(result)")
            #expect(result.standardErrorLines.last?.hasPrefix("digits read: error: \(blank): blank image") == true, "\(result)")

            // A filled square: ink shaped like a blob, refused by classify's rule.
            let blob = directory.appendingPathComponent("blob.png").path
            try PNGWriter.writeGray(
                (0..<(60 * 60)).map { i in (15..<45).contains(i % 60) && (15..<45).contains(i / 60) ? 0 : 255 },
                width: 60, height: 60, to: blob)
            let refused = try run("digits", ["read", "--model", Self.shippedModel, blob], in: directory)
            #expect(refused.exited(2), "\(refused)")
            // However it is cut, no part of it is read as a digit.
            #expect(refused.standardOutput.wholeMatch(of: #/.+: \?+  \(\?: not a digit.*\)\n/#) != nil, "\(refused)")
            #expect(refused.standardOutput.hasPrefix("\(blob): ?"), "\(refused)")
        }
    }
}
