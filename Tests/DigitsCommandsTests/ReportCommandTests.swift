import DigitsData
import DigitsModel
import DigitsTestSupport
import Foundation
import Testing

/// `digits train --report` and `digits evaluate --report` end to end on the synthetic fixture: the
/// curves are written, the model carries its history into the evaluation's HTML, and the page's
/// confusion table agrees with report.json.
@Suite struct ReportCommandTests {
    @Test func trainingCurvesFlowIntoTheEvaluationPage() throws {
        try withTemporaryDirectory { directory in
            let files = try SyntheticDigits().write(to: directory)
            let model = directory.appendingPathComponent("m.safetensors").path
            let curves = directory.appendingPathComponent("curves-report").path
            let training = try run(
                "digits", ["train", "--quiet", "--report", curves] + trainingArguments(files, output: model, epochs: 3),
                in: directory)
            try #require(training.exited(0), "\(training)")
            #expect(training.standardError.isEmpty, "\(training)")
            let png = try [UInt8](Data(contentsOf: URL(fileURLWithPath: curves + "/curves.png")))
            #expect(Array(png.prefix(8)) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
            let trainingPage = try String(contentsOfFile: curves + "/index.html", encoding: .utf8)
            #expect(trainingPage.contains("<svg"))
            // One table row per epoch (plus the header) and the test accuracy measured at the end.
            let epochTable = try #require(trainingPage.components(separatedBy: "id=\"epochs\">").last)
            #expect(epochTable.components(separatedBy: "</table>")[0].components(separatedBy: "<tr>").count - 1 == 4)
            #expect(trainingPage.contains("best epoch"))

            // The model records the three epochs, without their wall-clock seconds.
            let saved = try SavedModel.load(from: model)
            let history = try #require(saved.provenance.other["history"])
            #expect(history.components(separatedBy: "\"epoch\"").count - 1 == 3)
            #expect(!history.contains("seconds"))

            let report = directory.appendingPathComponent("evaluation").path
            let evaluation = try run(
                "digits", ["evaluate", "--images", files.images, "--labels", files.labels, "--model", model, "--report", report],
                in: directory)
            try #require(evaluation.exited(0), "\(evaluation)")
            #expect(evaluation.standardError.contains(report + "/index.html"), "\(evaluation)")
            let page = try String(contentsOfFile: report + "/index.html", encoding: .utf8)
            #expect(page.contains("Training curves") && page.contains("<svg"))
            #expect(page.contains("weighted avg") && page.contains("macro avg"))
            // Each cell of report.json's matrix is in the page: a button with its count, or a zero cell.
            let json = try #require(
                try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: report + "/report.json")))
                    as? [String: Any])
            let matrix = try #require(json["confusion"] as? [[Int]])
            #expect(json["weighted_avg"] != nil && json["macro_avg"] != nil)
            for (truth, row) in matrix.enumerated() {
                for (predicted, count) in row.enumerated() where count > 0 {
                    let button = #"data-truth="\#(truth)" data-predicted="\#(predicted)""#
                    let found = try #require(page.range(of: button), "no button for \(truth) → \(predicted)")
                    let rest = page[found.upperBound...]
                    let text = rest[try #require(rest.firstIndex(of: ">"))...].dropFirst().prefix { $0 != "<" }
                    #expect(Int(text) == count, "\(truth) → \(predicted)")
                }
            }
            let zeros = matrix.joined().filter { $0 == 0 }.count
            #expect(page.components(separatedBy: #"data-count="0""#).count - 1 == zeros)
            // Every example's name is its index in the file: #0 … #299 (the fixture has no blank image).
            #expect(page.contains(##""#299""##) && !page.contains(##""#300""##))
        }
    }

    /// Class labels from a model file and picture names from a folder are text on the page, never markup.
    @Test func hostileLabelsAndFileNamesAreEscapedOnThePage() throws {
        try withTemporaryDirectory { directory in
            var model = constantModel(favouring: 3)
            model.classLabels = (0..<10).map { "<script>alert(\($0))</script>" }
            let modelPath = directory.appendingPathComponent("m.safetensors").path
            try model.save(to: modelPath)
            let folder = directory.appendingPathComponent("pictures")
            let hostileName = "<img src=x onerror=alert(9)>.png"
            for digit in [3, 5] {
                let subfolder = folder.appendingPathComponent(String(digit))
                try FileManager.default.createDirectory(at: subfolder, withIntermediateDirectories: true)
                // A dark bar on white: something with ink.
                let pixels = (0..<(20 * 20)).map { $0 % 20 >= 8 && $0 % 20 < 12 && $0 / 20 >= 3 && $0 / 20 < 17 ? UInt8(0) : 255 }
                try PNGWriter.writeGray(pixels, width: 20, height: 20, to: subfolder.appendingPathComponent(hostileName).path)
            }
            let report = directory.appendingPathComponent("report").path
            let result = try run(
                "digits", ["evaluate", "--folder", folder.path, "--model", modelPath, "--report", report], in: directory)
            #expect(result.exited(0), "\(result)")
            let page = try String(contentsOfFile: report + "/index.html", encoding: .utf8)
            #expect(!page.contains("<script>alert") && !page.contains("<img src=x"))
            #expect(page.components(separatedBy: "<script").count - 1 == 2)  // the JSON block and the gallery script
            #expect(page.contains("&lt;script&gt;alert(3)&lt;/script&gt;"))  // the prediction, as text
            #expect(page.contains("&lt;img src=x onerror=alert(9)&gt;.png"))  // the file, under its mistake
        }
    }

    /// Ctrl-C between epochs: the report is written before the run stops, with every epoch it completed.
    @Test func anInterruptedRunStillHasItsCurves() throws {
        try withTemporaryDirectory { directory in
            let files = try SyntheticDigits().write(to: directory)
            let report = directory.appendingPathComponent("curves").path
            let training = try start(
                "digits",
                ["train", "--report", report]
                    + trainingArguments(
                        files, output: directory.appendingPathComponent("m.safetensors").path, epochs: 10_000,
                        extra: ["--learning-rate", "0.003", "--momentum", "0"]),
                in: directory)
            try #require(training.waitForStandardOutput(timeout: 30) { $0.count >= 3 })
            kill(training.processIdentifier, SIGINT)
            let result = try training.wait()
            #expect(result.status == 130, "\(result)")
            let stopped = try #require(
                result.standardError.components(separatedBy: "interrupted after epoch ").last?.prefix { $0.isNumber })
            let completed = try #require(Int(stopped), "\(result)")
            let page = try String(contentsOfFile: report + "/index.html", encoding: .utf8)
            let epochTable = try #require(page.components(separatedBy: "id=\"epochs\">").last).components(separatedBy: "</table>")[0]
            #expect(epochTable.components(separatedBy: "<tr>").count - 2 == completed, "\(result)")
            #expect(page.contains("\(completed) of 10000"))
        }
    }

    /// A report that cannot be written costs one warning line per attempt; the model is saved anyway.
    @Test func anUnwritableReportNeverCostsTheModel() throws {
        try withTemporaryDirectory { directory in
            let files = try SyntheticDigits().write(to: directory)
            let model = directory.appendingPathComponent("m.safetensors").path
            let blocker = directory.appendingPathComponent("blocker").path
            try Data("a file, not a folder".utf8).write(to: URL(fileURLWithPath: blocker))
            let training = try run(
                "digits", ["train", "--quiet", "--report", blocker + "/report"] + trainingArguments(files, output: model, epochs: 2),
                in: directory)
            #expect(training.exited(0), "\(training)")
            let warnings = training.standardErrorLines
            // At the end, and after an epoch unless the last attempt was too recent (the rewrite is throttled).
            #expect((1...3).contains(warnings.count), "\(training)")
            #expect(
                warnings.allSatisfy { $0.hasPrefix("digits train: warning: report not written: ") && $0.contains("blocker") }, "\(training)"
            )
            #expect(try SavedModel.load(from: model).layers.count == 2)
        }
    }
}
