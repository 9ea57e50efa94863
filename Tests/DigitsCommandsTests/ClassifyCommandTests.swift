import DigitsData
import DigitsModel
import DigitsTestSupport
import Foundation
import Testing

/// `digits classify` on the committed sample PNGs (`Resources/samples/D-*.png`, D the digit drawn)
/// with the shipped model, and how it chooses its model.
@Suite struct ClassifyCommandTests {
    static let shippedModel = repositoryRoot.appendingPathComponent("models/default.safetensors").path
    static let samples: [String] = {
        let folder = repositoryRoot.appendingPathComponent("Resources/samples")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { $0.hasSuffix(".png") }.sorted().map { folder.appendingPathComponent($0).path }
    }()

    static func digitInName(_ path: String) -> Int? {
        (path as NSString).lastPathComponent.first?.wholeNumberValue
    }

    @Test func jsonLinesForEverySample() throws {
        try #require(Self.samples.count >= 10, "samples missing from Resources/samples")
        try withTemporaryDirectory { directory in
            let result = try run("digits", ["classify", "--json", "--model", Self.shippedModel] + Self.samples, in: directory)
            #expect(result.exited(0), "\(result)")
            #expect(result.standardError.isEmpty, "\(result)")
            let lines = result.standardOutputLines
            try #require(lines.count == Self.samples.count, "\(result)")
            for (line, file) in zip(lines, Self.samples) {
                let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], "\(line)")
                #expect(object["file"] as? String == file)
                let probabilities = try #require((object["probabilities"] as? [Any])?.compactMap(number), "\(line)")
                #expect(probabilities.count == 10, "\(line)")
                // With a trained "not a digit" output, its probability is the rest of the 1.
                let notADigit = number(object["not_a_digit"]) ?? 0
                #expect(abs(probabilities.reduce(0, +) + notADigit - 1) <= 1e-4, "\(line)")
                #expect(probabilities.allSatisfy { (0...1).contains($0) }, "\(line)")
                let digit = try #require(integer(object["digit"]), "\(line)")
                #expect(probabilities.indices.max { probabilities[$0] < probabilities[$1] } == digit, "\(line)")
                #expect(number(object["confidence"]) == probabilities[digit], "\(line)")
                #expect(digit == Self.digitInName(file), "\(line)")
            }
        }
    }

    /// `FILE: D (P%)`, the same answers as the JSON form, from the standalone executable.
    @Test func plainTextLinesAgreeWithJSON() throws {
        try withTemporaryDirectory { directory in
            let text = try run("digits-classify", ["--model", Self.shippedModel] + Self.samples, in: directory)
            let json = try run("digits-classify", ["--json", "--model", Self.shippedModel] + Self.samples, in: directory)
            #expect(text.exited(0) && json.exited(0), "\(text)\n\(json)")
            #expect(text.standardError.isEmpty, "\(text)")
            try #require(text.standardOutputLines.count == Self.samples.count && json.standardOutputLines.count == Self.samples.count)
            for (index, line) in text.standardOutputLines.enumerated() {
                let match = try #require(line.wholeMatch(of: #/(.+): (\d) \((\d{1,3}\.\d)%\)/#), "\(line)")
                let object = try #require(
                    try JSONSerialization.jsonObject(with: Data(json.standardOutputLines[index].utf8))
                        as? [String: Any])
                #expect(String(match.1) == Self.samples[index])
                #expect(Int(match.2) == integer(object["digit"]), "\(line)")
                let percent = try #require(Double(match.3))
                let confidence = try #require(number(object["confidence"]))
                #expect(abs(percent - 100 * confidence) <= 0.05 + 1e-9, "\(line)")
            }
        }
    }

    /// With no `--model`, from the repository root, the shipped model is used: the same answers
    /// as naming it.
    @Test func shippedModelIsFoundFromTheRepositoryRoot() throws {
        let relativeSamples = Self.samples.map { "Resources/samples/" + ($0 as NSString).lastPathComponent }
        let implicit = try run("digits", ["classify", "--json"] + relativeSamples, in: repositoryRoot)
        let explicit = try run(
            "digits", ["classify", "--json", "--model", "models/default.safetensors"] + relativeSamples,
            in: repositoryRoot)
        #expect(implicit.exited(0), "\(implicit)")
        #expect(implicit.standardError.isEmpty, "\(implicit)")
        #expect(implicit.standardOutputLines.count == Self.samples.count)
        #expect(implicit.standardOutput == explicit.standardOutput)
    }

    /// `DIGITS_MODEL` is used when there is no `--model`, and `--model` beats it. The stand-in model
    /// has zero weights and answers 3 with e⁵/(e⁵+9) = 94.3 % for every image, so its answers cannot
    /// be mistaken for the shipped model's.
    @Test func environmentModelIsUsedUnlessModelIsGiven() throws {
        try withTemporaryDirectory { directory in
            let threes = directory.appendingPathComponent("threes.safetensors").path
            try constantModel(favouring: 3).save(to: threes)
            let sample = try #require(Self.samples.first { Self.digitInName($0) == 7 })

            let fromEnvironment = try run("digits", ["classify", sample], in: directory, environment: ["DIGITS_MODEL": threes])
            #expect(fromEnvironment.exited(0), "\(fromEnvironment)")
            #expect(fromEnvironment.standardOutput == "\(sample): 3 (94.3%)\n", "\(fromEnvironment)")

            let json = try run("digits", ["classify", "--json", sample], in: directory, environment: ["DIGITS_MODEL": threes])
            let object = try #require(try JSONSerialization.jsonObject(with: Data(json.standardOutput.utf8)) as? [String: Any])
            let expected = exp(5.0) / (exp(5.0) + 9)
            #expect(abs((number(object["confidence"]) ?? 0) - expected) < 1e-6, "\(json)")

            let overridden = try run(
                "digits", ["classify", "--model", Self.shippedModel, sample], in: directory,
                environment: ["DIGITS_MODEL": threes])
            #expect(overridden.exited(0), "\(overridden)")
            #expect(overridden.standardOutput.hasPrefix("\(sample): 7 ("), "\(overridden)")

            let missing = directory.appendingPathComponent("absent.safetensors").path
            let broken = try run("digits", ["classify", sample], in: directory, environment: ["DIGITS_MODEL": missing])
            expectOneErrorLine(broken, tool: "digits classify", mentioning: [missing])
            #expect(broken.standardOutput.isEmpty)
        }
    }

    /// A file that cannot be read and a blank image: each gives an error object line in its place on
    /// stdout and one stderr line naming the file; the good file is still classified; exit status 1.
    @Test func jsonErrorLinesForAMissingFileAndABlankImage() throws {
        let sample = try #require(Self.samples.first { Self.digitInName($0) == 7 })
        try withTemporaryDirectory { directory in
            let missing = directory.appendingPathComponent("absent.png").path
            let blank = directory.appendingPathComponent("blank.png").path
            try PNGWriter.writeGray([UInt8](repeating: 255, count: 20 * 20), width: 20, height: 20, to: blank)

            let json = try run(
                "digits", ["classify", "--json", "--model", Self.shippedModel, missing, sample, blank],
                in: directory)
            #expect(json.exited(1), "\(json)")
            let lines = json.standardOutputLines
            try #require(lines.count == 3, "\(json)")
            let objects = try lines.map { try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any], "\($0)") }
            #expect(Set(objects[0].keys) == ["file", "error"], "\(lines[0])")
            #expect(objects[0]["file"] as? String == missing)
            #expect((objects[0]["error"] as? String)?.contains("cannot read") == true, "\(lines[0])")
            #expect((objects[0]["error"] as? String)?.contains(missing) == false, "the file is named once: \(lines[0])")
            #expect(integer(objects[1]["digit"]) == 7, "\(lines[1])")
            #expect(Set(objects[2].keys) == ["file", "error"], "\(lines[2])")
            #expect(objects[2]["file"] as? String == blank)
            #expect((objects[2]["error"] as? String)?.hasPrefix("blank image: ") == true, "\(lines[2])")
            #expect(
                json.standardErrorLines == [
                    "digits classify: error: \(missing): " + (objects[0]["error"] as? String ?? ""),
                    "digits classify: error: \(blank): " + (objects[2]["error"] as? String ?? "")
                ], "\(json)")

            // Text mode: the same stderr lines, so a blank image is named (`FILE: blank image: …`).
            let text = try run("digits", ["classify", "--model", Self.shippedModel, blank, sample], in: directory)
            #expect(text.exited(1), "\(text)")
            #expect(text.standardOutputLines.count == 1 && text.standardOutput.hasPrefix("\(sample): 7 ("), "\(text)")
            #expect(text.standardErrorLines.count == 1, "\(text)")
            #expect(text.standardErrorLines.first?.hasPrefix("digits classify: error: \(blank): blank image: ") == true, "\(text)")
        }
    }

    /// With the trained "not a digit" class, `--top` shows its share after the digits', so the shares
    /// shown account for the whole (a printed A: 4 at 66.5 % with "not a digit" at 32 % under the bar).
    @Test func topShowsTheNotADigitShare() throws {
        let sample = try #require(Self.samples.first { Self.digitInName($0) == 7 })
        try withTemporaryDirectory { directory in
            let result = try run("digits", ["classify", "--top", "10", "--model", Self.shippedModel, sample], in: directory)
            #expect(result.exited(0), "\(result)")
            let line = result.standardOutput.trimmingCharacters(in: .newlines)
            let shares = line.split(separator: "; not a digit ")
            try #require(shares.count == 2, "\(result)")
            // Ten digits and the class: the shares shown (each rounded to 0.1) sum to 100 %.
            let percents = line.matches(of: /(\d+\.\d)%/).compactMap { Double($0.1) }
            #expect(percents.count == 11, "\(result)")
            #expect(abs(percents.reduce(0, +) - 100) < 0.6, "\(result)")
        }
    }

    /// Class labels are text from the model file: an escape sequence or a newline in one is shown
    /// escaped, never sent raw to the terminal.
    @Test func classLabelsFromTheModelAreShownEscaped() throws {
        let sample = try #require(Self.samples.first { Self.digitInName($0) == 7 })
        try withTemporaryDirectory { directory in
            var model = constantModel(favouring: 3)
            model.classLabels[3] = "three\u{1B}[2J\nfake line\u{9B}1m"
            let path = directory.appendingPathComponent("labels.safetensors").path
            try model.save(to: path)
            let result = try run("digits", ["classify", "--top", "2", "--model", path, sample], in: directory)
            #expect(result.exited(0), "\(result)")
            #expect(
                result.standardOutput == #"\#(sample): three\u001b[2J\nfake line\u009b1m (94.3%)  then 0 0.6%"# + "\n",
                "\(result)")
            #expect(!result.standardOutput.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x9B })
        }
    }
}
