import DigitsCore
import Foundation
import Testing
@testable import DigitsEvaluation

/// The HTML reports: escaping of everything that comes from users, the confusion table against the
/// matrix cell by cell, the averages, the training curves.
@Suite struct HTMLReportTests {
    @Test func escapingCoversTheFiveCharacters() {
        #expect(escapedHTML(#"<script>alert('x')</script> & "q""#) == "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;")
        let node = h("p", ["title": #""><img src=x>"#], .text("<b>"), .trusted("<i>ok</i>"))
        #expect(node.rendered == #"<p title="&quot;&gt;&lt;img src=x&gt;">&lt;b&gt;<i>ok</i></p>"#)
        #expect(scriptSafeJSON(#"["</script><!--"]"#) == #"["\u003c/script>\u003c!--"]"#)
        #expect(base64(Array("any carnal pleas".utf8)) == "YW55IGNhcm5hbCBwbGVhcw==")
        #expect(base64(Array("any carnal pleasu".utf8)) == "YW55IGNhcm5hbCBwbGVhc3U=")
        #expect(base64([]) == "")
    }

    @Test func hostileLabelsAndFileNamesNeverBecomeMarkup() throws {
        let hostileLabel = "<script>alert(1)</script>"
        let hostileName = "</script><img src=x onerror=alert(2)>.png"
        let (evaluation, images) = try handEvaluation()
        var labels = (0..<4).map(String.init)
        labels[1] = hostileLabel
        let page = EvaluationPage(
            title: "<b>set</b>", classLabels: labels, exampleNames: Array(repeating: hostileName, count: 10),
            facts: [("model file", "\"><script>alert(3)</script>")],
            refused: [RefusedExample(row: 4, verdict: .notADigit)], refusalRule: "<rule>",
            history: TrainingHistory(epochs: [.init(epoch: 1, loss: 0.5, trainingAccuracy: 0.8, validationAccuracy: nil)]))
        let html = try page.html(evaluation: evaluation, images: images)
        // The only script elements are the report's own two: the JSON block and the gallery script.
        #expect(html.components(separatedBy: "<script").count - 1 == 2)
        #expect(!html.contains("<script>alert"))
        #expect(!html.contains("<img src=x"))
        #expect(!html.contains("<b>set</b>") && html.contains("&lt;b&gt;set&lt;/b&gt;"))
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))  // the label, shown as text
        #expect(html.contains("&lt;rule&gt;"))
        // Inside the JSON block the label is still there, with `<` written as \u003c.
        #expect(html.contains(#""\u003cscript>alert(1)\u003c/script>""#))
        #expect(html.contains(#"\u003c/script>\u003cimg src=x onerror=alert(2)>.png"#))
    }

    @Test func everyCellOfTheMatrixIsInTheTableWithItsCount() throws {
        let (evaluation, images) = try handEvaluation()
        let html = try EvaluationPage(title: "hand", classLabels: (0..<4).map(String.init), exampleNames: [])
            .html(evaluation: evaluation, images: images)
        let matrix = evaluation.confusion
        var zeroCells = 0
        for truth in 0..<4 {
            for predicted in 0..<4 {
                let count = matrix[truth: truth, predicted: predicted]
                if count == 0 {
                    zeroCells += 1
                    continue
                }
                let button = #"data-truth="\#(truth)" data-predicted="\#(predicted)""#
                let found = try #require(html.range(of: button), "no button for \(truth) → \(predicted)")
                // The button's text is the cell's count.
                let rest = html[found.upperBound...]
                let text = rest[try #require(rest.firstIndex(of: ">"))...].dropFirst().prefix { $0 != "<" }
                #expect(Int(text) == count, "cell \(truth) → \(predicted): \(text) vs \(count)")
            }
        }
        #expect(html.components(separatedBy: #"data-count="0""#).count - 1 == zeroCells)
        #expect(html.components(separatedBy: "<button").count - 1 == 16 - zeroCells)
        // The per-class table's averages, as in the terminal report (see ConfusionMatrixTests).
        #expect(html.contains("<th scope=\"row\">weighted avg</th><td>0.6167</td><td>0.6000</td><td>0.6000</td><td>10</td>"))
        #expect(html.contains("<th scope=\"row\">macro avg</th><td>0.6667</td><td>0.6667</td><td>0.6607</td><td>10</td>"))
        // The script's prefix once, then the static gallery of the 4 mistakes (10 examples, 6 correct).
        #expect(html.components(separatedBy: "data:image/png;base64,").count - 1 == 1 + 4)
    }

    @Test func confidencesRoundDownToATenthOfAPercent() {
        #expect(confidenceText(0.99996) == "99.9%")
        #expect(confidenceText(1) == "100.0%")
        #expect(confidenceText(0.4374) == "43.7%")
        #expect(confidenceText(.nan) == "0.0%")
    }

    @Test func historyCurvesHaveOnePointPerEpoch() throws {
        let history = TrainingHistory(
            epochs: (1...5).map {
                .init(epoch: $0, loss: 1 / Double($0), trainingAccuracy: 0.8 + 0.03 * Double($0), validationAccuracy: 0.85)
            })
        let svg = history.curvesSVG().rendered
        #expect(svg.components(separatedBy: "<circle").count - 1 == 15)  // loss, training, validation × 5
        #expect(svg.contains("epoch 5: validation 85.00%"))
        #expect(!svg.contains("class=\"best\""))
        var marked = history
        marked.bestEpoch = 3
        // One marker per panel, at epoch 3 of 1…5: half-way along the 392-wide plot that starts at x = 56.
        #expect(marked.curvesSVG().rendered.components(separatedBy: #"<line x1="252" x2="252""#).count - 1 == 2)
        let picture = history.curvesPicture()
        #expect(picture.width > 400 && picture.height > 200)
        // Each curve's colour is drawn somewhere.
        for colour in [CurveColour.loss, .training, .validation] {
            var seen = false
            for y in 0..<picture.height where !seen {
                for x in 0..<picture.width where picture.pixel(x: x, y: y) == colour.rgb { seen = true }
            }
            #expect(seen, "\(colour)")
        }
    }

    @Test func axesGetRoundTicksCoveringTheData() {
        #expect(niceStep(0.13) == 0.2)
        #expect(niceStep(3) == 5)
        #expect(niceStep(0.04) == 0.05)
        let axis = ValueAxis.from(0.843, to: 1, percent: true)
        #expect(axis.low <= 0.843 && axis.high >= 1)
        #expect(axis.ticks.map { axis.label($0) } == ["80%", "85%", "90%", "95%", "100%"])
        let loss = ValueAxis.from(0, to: 0.5052, percent: false)
        #expect(loss.ticks.map { loss.label($0) } == ["0.0", "0.2", "0.4", "0.6"])
    }

    @Test func trainingReportWritesPictureAndPage() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("digits-html-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let history = TrainingHistory(epochs: [.init(epoch: 1, loss: 0.3, trainingAccuracy: 0.9, validationAccuracy: 0.91)])
        let written = try writeTrainingReport(to: directory, history: history, title: "<m>", facts: [("seed", "1")])
        #expect(written == [directory + "/curves.png", directory + "/index.html"])
        let page = try String(contentsOfFile: directory + "/index.html", encoding: .utf8)
        #expect(page.contains("Training: &lt;m&gt;") && page.contains("<td>91.00%</td>") && page.contains("<svg"))
        let png = try [UInt8](Data(contentsOf: URL(fileURLWithPath: directory + "/curves.png")))
        #expect(Array(png.prefix(4)) == [0x89, 0x50, 0x4E, 0x47])
    }
}

/// The hand-checked four-class example of ConfusionMatrixTests, as an evaluation with 4-pixel images.
private func handEvaluation() throws -> (Evaluation, Matrix) {
    var probabilities = Matrix(rows: handLabels.count, columns: 4)
    for (row, predicted) in handPredictions.enumerated() {
        for column in 0..<4 { probabilities[row, column] = column == predicted ? 0.7 : 0.1 }
    }
    let evaluation = try Evaluation(labels: handLabels, probabilities: probabilities)
    let images = Matrix(rows: handLabels.count, columns: 4, elements: (0..<40).map { Float($0 % 5) / 4 })
    return (evaluation, images)
}
