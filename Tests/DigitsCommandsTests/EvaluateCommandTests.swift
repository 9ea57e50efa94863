import DigitsTestSupport
import Foundation
import Testing

/// `digits evaluate` on the synthetic fixture with a model trained on it: the JSON report is
/// consistent with itself and with the terminal report, and `--report` writes its four files.
@Suite struct EvaluateCommandTests {
    @Test func jsonTerminalAndPictureReportsAgree() throws {
        try withTemporaryDirectory { directory in
            let fixture = SyntheticDigits()
            let files = try fixture.write(to: directory)
            let model = directory.appendingPathComponent("m.safetensors").path
            let training = try run(
                "digits", ["train", "--quiet"] + trainingArguments(files, output: model, epochs: 3),
                in: directory)
            try #require(training.exited(0), "\(training)")
            let data = ["--images", files.images, "--labels", files.labels, "--model", model]

            // JSON: one object with the four fixed keys, all counts adding up.
            let json = try run("digits", ["evaluate", "--json"] + data, in: directory)
            #expect(json.exited(0), "\(json)")
            #expect(json.standardError.isEmpty, "\(json)")
            let object = try #require(
                try JSONSerialization.jsonObject(with: Data(json.standardOutput.utf8)) as? [String: Any],
                "\(json)")
            for key in ["accuracy", "count", "confusion", "per_class"] { #expect(object[key] != nil, "no \(key)") }
            let count = try #require(integer(object["count"]))
            #expect(count == fixture.count)
            let confusion = try #require((object["confusion"] as? [Any])?.map { ($0 as? [Any])?.compactMap(integer) })
            #expect(confusion.count == 10 && confusion.allSatisfy { $0?.count == 10 }, "\(confusion)")
            let rows = confusion.map { $0 ?? [] }
            #expect(rows.joined().reduce(0, +) == count)
            // Rows are the true classes: each holds the 30 images of its digit.
            #expect(rows.map { $0.reduce(0, +) } == Array(repeating: fixture.count / 10, count: 10))
            let trace = (0..<10).reduce(0) { $0 + rows[$1][$1] }
            let accuracy = try #require(number(object["accuracy"]))
            #expect(abs(accuracy - Double(trace) / Double(count)) < 1e-12, "accuracy \(accuracy), trace \(trace)")
            #expect(accuracy > 0.5, "the trained model should know the fixture's shapes")
            let perClass = try #require(object["per_class"] as? [[String: Any]])
            #expect(perClass.count == 10)
            #expect(perClass.compactMap { integer($0["support"]) }.reduce(0, +) == count)
            #expect(perClass.compactMap { integer($0["digit"]) } == Array(0..<10))
            #expect(object["model"] as? String == model)

            // Terminal form: the same matrix, diagonal in brackets, zeros as dots.
            let terminal = try run("digits-evaluate", data, in: directory)
            #expect(terminal.exited(0), "\(terminal)")
            #expect(terminal.standardError.isEmpty, "\(terminal)")
            let lines = terminal.standardOutputLines
            #expect(lines.first?.hasPrefix("images.idx.gz: ") == true, "\(terminal)")  // an IDX pair has no split to name
            #expect(lines.first?.contains(": \(count) images, model \(model) (") == true, "\(terminal)")
            #expect(
                lines.contains { $0.hasPrefix("Accuracy: ") && $0.hasSuffix("% (\(trace) of \(count) correct)") },
                "\(terminal)")
            let header = try #require(lines.firstIndex { $0.hasPrefix("Confusion matrix") }, "\(terminal)")
            try #require(lines.count >= header + 13, "\(terminal)")
            let printed = lines[(header + 3)...(header + 12)].map { line -> [Int] in
                let cells = line.split(separator: "│").last ?? ""
                return cells.split(separator: " ").map { cell in
                    cell == "·" ? 0 : Int(cell.trimmingCharacters(in: CharacterSet(charactersIn: "[]"))) ?? -1
                }
            }
            #expect(printed == rows, "\(terminal)")
            #expect(!terminal.standardOutput.contains("\u{1B}["), "no colour when stdout is not a terminal")

            // --report: three PNGs and the JSON, named on stderr.
            let reportDirectory = directory.appendingPathComponent("r")
            let report = try run("digits", ["evaluate", "--json", "--report", reportDirectory.path] + data, in: directory)
            #expect(report.exited(0), "\(report)")
            #expect(report.standardOutput == json.standardOutput)
            #expect(report.standardErrorLines.count == 1 && report.standardError.hasPrefix("report: "), "\(report)")
            let pngSignature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
            for name in ["confusion.png", "misclassified.png", "per-class.png"] {
                let bytes = try [UInt8](Data(contentsOf: reportDirectory.appendingPathComponent(name)))
                #expect(Array(bytes.prefix(8)) == pngSignature, "\(name)")
                #expect(bytes.count > 100, "\(name)")
                #expect(report.standardError.contains(name))
            }
            let written = try Data(contentsOf: reportDirectory.appendingPathComponent("report.json"))
            let reported = try #require(try JSONSerialization.jsonObject(with: written) as? [String: Any])
            #expect(integer(reported["count"]) == count)
            #expect(number(reported["accuracy"]) == accuracy)
        }
    }
}

/// A JSON number as an integer (JSONSerialization gives NSNumbers).
func integer(_ value: Any?) -> Int? {
    guard let number = value as? NSNumber, let exact = Int(exactly: number.doubleValue) else { return nil }
    return exact
}

func number(_ value: Any?) -> Double? { (value as? NSNumber)?.doubleValue }
