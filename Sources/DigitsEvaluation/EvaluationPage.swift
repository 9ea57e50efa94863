import DigitsCore
import DigitsData
import DigitsJSON

/// An example `classify` would refuse, for the report's "refused" gallery.
public struct RefusedExample: Equatable, Sendable {
    /// The example's row in the evaluation.
    public var row: Int
    public var verdict: Verdict

    public init(row: Int, verdict: Verdict) {
        self.row = row
        self.verdict = verdict
    }
}

/// The evaluation report as one self-contained HTML page (`index.html`): the accuracy, the per-class
/// metrics with macro and weighted averages, the confusion matrix as a table whose every non-empty
/// cell is a button that shows all of that cell's images, the most confident mistakes, the refused
/// images, the training curves when the model carries them, and where the model came from.
///
/// Every image is the 16 × 16 input the network saw, embedded once as a `data:` PNG (about 300 bytes
/// each in base64, so 10,000 examples make a page of about 3.5 MB); the cell gallery is built by a
/// small script from one JSON block, with `textContent` only, so no label or file name is ever parsed as markup.
public struct EvaluationPage: Sendable {
    /// What was measured, e.g. `mnist test` or a folder's path.
    public var title: String
    /// The model's name for each class (from the model file: shown escaped).
    public var classLabels: [String]
    /// Where each example came from, one per row (`#123` for a data set's index, a file's path).
    public var exampleNames: [String]
    /// The model: path, architecture, provenance, preprocessing, as name–value pairs in order.
    public var facts: [(String, String)]
    /// The examples `classify` would refuse, in row order; nil when refusals were not counted.
    public var refused: [RefusedExample]?
    /// How refusals were decided (e.g. "confidence below 0.4374, or the ink's shape").
    public var refusalRule: String
    /// The per-epoch history of the run that trained the model, when the model file records it.
    public var history: TrainingHistory?
    /// At most this many mistakes in the static "most confident mistakes" gallery.
    public var mistakesShown = 100
    /// At most this many refused images shown.
    public var refusedShown = 200

    public init(
        title: String, classLabels: [String], exampleNames: [String], facts: [(String, String)] = [],
        refused: [RefusedExample]? = nil, refusalRule: String = "", history: TrainingHistory? = nil
    ) {
        self.title = title
        self.classLabels = classLabels
        self.exampleNames = exampleNames
        self.facts = facts
        self.refused = refused
        self.refusalRule = refusalRule
        self.history = history
    }

    /// The page. `images`: the inputs the network saw, one row per example of `evaluation`.
    public func html(evaluation: Evaluation, images: Matrix) throws -> String {
        guard images.rows == evaluation.labels.count else {
            throw EvaluationError.imageCountMismatch(labels: evaluation.labels.count, images: images.rows)
        }
        let confusion = evaluation.confusion
        let labels = (0..<confusion.classes).map { $0 < classLabels.count ? classLabels[$0] : String($0) }
        let names = evaluation.labels.indices.map { $0 < exampleNames.count ? exampleNames[$0] : "#\($0)" }
        let pngs = try (0..<images.rows).map { try base64(thumbnailPNG(images.row($0))) }

        var body: [HTMLNode] = [
            h("h1", [:], .text("Evaluation: " + title)),
            headline(confusion),
            h("h2", ["id": "per-class"], .text("Per class")),
            h("div", ["class": "scroll"], metricsTable(confusion, labels: labels)),
            h("h2", ["id": "confusion"], .text("Confusion matrix")),
            h(
                "p", ["class": "axis-note"],
                .text(
                    "Rows are the true class, columns the prediction; shading is the share of the row. "
                        + "Click a count (or Tab to it and press Enter) to see every image of that cell below.")),
            h("div", ["class": "scroll"], confusionTable(confusion, labels: labels)),
            h("h3", ["id": "cell-heading", "aria-live": "polite"], .text("No cell chosen yet")),
            h("div", ["class": "gallery", "id": "cell-gallery"]),
            h("h2", ["id": "mistakes"], .text("Most confident mistakes"))
        ]
        let mistakes = Array(evaluation.misclassifiedIndices.prefix(max(0, mistakesShown)))
        body.append(
            h(
                "p", ["class": "axis-note"],
                .text(
                    mistakes.isEmpty
                        ? "No mistakes."
                        : "\(mistakes.count) of \(evaluation.misclassifiedIndices.count) mistakes, most confident first: "
                            + "true → predicted, the confidence of the prediction, where the image came from.")))
        body.append(
            h(
                "div", ["class": "gallery", "id": "mistake-gallery"],
                children: mistakes.map { figure(row: $0, evaluation: evaluation, labels: labels, names: names, png: pngs[$0]) }))
        if let refused {
            body.append(h("h2", ["id": "refused"], .text("Refused by classify")))
            let shown = refused.prefix(max(0, refusedShown))
            body.append(
                h(
                    "p", ["class": "axis-note"],
                    .text(
                        "\(refused.count) of \(evaluation.labels.count) images would be refused (\(refusalRule))"
                            + (shown.count < refused.count ? "; the first \(shown.count) are shown." : "."))))
            body.append(
                h(
                    "div", ["class": "gallery", "id": "refused-gallery"],
                    children: shown.map {
                        figure(
                            row: $0.row, evaluation: evaluation, labels: labels, names: names, png: pngs[$0.row],
                            verdict: $0.verdict == .severalDigits ? "several digits" : "not a digit")
                    }))
        }
        if let history, !history.epochs.isEmpty {
            body += [h("h2", ["id": "curves"], .text("Training curves")), history.curvesSVG()]
        }
        if !facts.isEmpty {
            body += [h("h2", ["id": "model"], .text("Model")), factList(facts)]
        }
        body.append(
            h(
                "script", ["type": "application/json", "id": "report-data"],
                .trusted(scriptSafeJSON(dataJSON(evaluation: evaluation, labels: labels, names: names, pngs: pngs)))))
        return htmlDocument(title: "digits evaluation: " + title, body: body, script: cellGalleryScript)
    }

    private func headline(_ confusion: ConfusionMatrix) -> HTMLNode {
        var items: [(String, String)] = [
            (percentText(confusion.accuracy), "accuracy"),
            ("\(confusion.correct) of \(confusion.count)", "correct"),
            (String(confusion.count - confusion.correct), "mistakes")
        ]
        if confusion.unreadable > 0 { items.append((String(confusion.unreadable), "unreadable (no ink), counted as mistakes")) }
        if let refused { items.append((String(refused.count), "refused by classify")) }
        return h(
            "div", ["class": "headline", "id": "headline"],
            children: items.map { h("div", [:], h("span", ["class": "value"], .text($0.0)), h("span", ["class": "what"], .text($0.1))) })
    }

    private func metricsTable(_ confusion: ConfusionMatrix, labels: [String]) -> HTMLNode {
        func row(_ name: String, _ values: [String], average: Bool = false) -> HTMLNode {
            h(
                "tr", average ? ["class": "average"] : [:],
                children: [h("th", ["scope": "row"], .text(name))] + values.map { h("td", [:], .text($0)) })
        }
        var rows: [HTMLNode] = [
            h("tr", [:], children: ["class", "precision", "recall", "F1", "support"].map { h("th", ["scope": "col"], .text($0)) })
        ]
        for m in confusion.perClass {
            rows.append(row(labels[m.digit], [decimalText(m.precision), decimalText(m.recall), decimalText(m.f1), String(m.support)]))
        }
        rows.append(row("accuracy", ["", "", decimalText(confusion.accuracy), String(confusion.count)], average: true))
        for average in confusion.averages {
            rows.append(
                row(
                    average.name + " avg",
                    [decimalText(average.precision), decimalText(average.recall), decimalText(average.f1), String(average.support)],
                    average: true))
        }
        return h("table", ["class": "metrics", "id": "metrics"], children: rows)
    }

    private func confusionTable(_ confusion: ConfusionMatrix, labels: [String]) -> HTMLNode {
        var header: [HTMLNode] = [h("th", ["class": "corner", "scope": "col"], .text("true ↓ predicted →"))]
        header += labels.map { h("th", ["scope": "col"], .text($0)) }
        var rows: [HTMLNode] = [h("tr", [:], children: header)]
        for truth in 0..<confusion.classes {
            var cells: [HTMLNode] = [h("th", ["scope": "row"], .text(labels[truth]))]
            let rowTotal = max(1, confusion.support(truth))
            for predicted in 0..<confusion.classes {
                let count = confusion[truth: truth, predicted: predicted]
                guard count > 0 else {
                    cells.append(h("td", ["class": "zero", "data-count": "0"], .text("·")))
                    continue
                }
                let share = Double(count) / Double(rowTotal)
                let colour = cellColour(share: share, diagonal: truth == predicted)
                let textColour = colour.luminance < 140 ? "#fff" : "#212121"
                let what = truth == predicted ? "read correctly" : "read as \(labels[predicted])"
                cells.append(
                    h(
                        "td",
                        [
                            "style": "background:rgb(\(colour.red),\(colour.green),\(colour.blue));color:\(textColour)",
                            "data-count": String(count)
                        ],
                        h(
                            "button",
                            [
                                "type": "button", "data-truth": String(truth), "data-predicted": String(predicted),
                                "aria-pressed": "false",
                                "aria-label": "\(count) image\(count == 1 ? "" : "s") of \(labels[truth]) \(what); show them"
                            ], .text(String(count)))))
            }
            rows.append(h("tr", [:], children: cells))
        }
        return h("table", ["class": "confusion", "id": "confusion-matrix"], children: rows)
    }

    /// Blue for the diagonal, red for mistakes, deeper with the share of the row. Mistakes reach the
    /// deepest red at 10 % of the row (a model worth reporting on rarely has more), on a square-root
    /// scale, so a 1 % cell is told apart from a 5 % one.
    private func cellColour(share: Double, diagonal: Bool) -> RGBColor {
        diagonal
            ? ReportPalette.correctLight.mixed(with: ReportPalette.correctDark, 0.15 + 0.85 * share.squareRoot())
            : ReportPalette.mistakeLight.mixed(with: ReportPalette.mistakeDark, 0.1 + 0.9 * min(1, share / 0.1).squareRoot())
    }

    private func figure(
        row: Int, evaluation: Evaluation, labels: [String], names: [String], png: String, verdict: String? = nil
    ) -> HTMLNode {
        let truth = labels[evaluation.labels[row]], predicted = labels[evaluation.predictions[row]]
        var caption: [HTMLNode] = [
            .text(truth + " → "),
            h("span", evaluation.labels[row] == evaluation.predictions[row] ? [:] : ["class": "pred"], .text(predicted)),
            .text(" " + confidenceText(evaluation.confidences[row]))
        ]
        if let verdict { caption += [h("br"), .text(verdict)] }
        caption += [h("br"), h("span", ["class": "name"], .text(names[row]))]
        return h(
            "figure", ["class": "digit"],
            h(
                "img",
                ["src": "data:image/png;base64," + png, "width": "64", "height": "64", "alt": "true \(truth), read as \(predicted)"]),
            h("figcaption", [:], children: caption))
    }

    private func dataJSON(evaluation: Evaluation, labels: [String], names: [String], pngs: [String]) -> String {
        JSONWriter.write(
            .object([
                ("labels", .array(labels.map(JSONValue.string))),
                ("truth", .array(evaluation.labels.map(JSONValue.integer))),
                ("predicted", .array(evaluation.predictions.map(JSONValue.integer))),
                ("confidence", .array(evaluation.confidences.map(JSONValue.float))),
                ("names", .array(names.map(JSONValue.string))),
                ("images", .array(pngs.map(JSONValue.string)))
            ]))
    }
}

/// `0.99996` → `"99.9%"`: a tenth of a percent, rounded down, so a mistake never reads as 100 %.
func confidenceText(_ confidence: Float) -> String {
    let tenths = Int((Double(min(1, max(0, confidence.isNaN ? 0 : confidence))) * 1000).rounded(.down))
    return "\(tenths / 10).\(tenths % 10)%"
}

/// A 16 × 16 input (ink high) as a grey PNG, dark ink on white paper, as the picture reports draw it.
func thumbnailPNG(_ pixels: [Float]) throws -> [UInt8] {
    let side = Int(Double(pixels.count).squareRoot().rounded())
    guard side > 0, side * side == pixels.count else { throw EvaluationError.imageNotSquare(pixelCount: pixels.count) }
    let grey = pixels.map { value -> UInt8 in
        let ink = value.isNaN ? 0 : min(1, max(0, value))
        return UInt8((255 * (1 - ink)).rounded())
    }
    return try PNGWriter.encodeGray(grey, width: side, height: side)
}

/// Shows every image of the chosen cell, most confident first. Text goes in with `textContent` only.
let cellGalleryScript = """
    (function () {
      "use strict";
      var data = JSON.parse(document.getElementById("report-data").textContent);
      var gallery = document.getElementById("cell-gallery");
      var heading = document.getElementById("cell-heading");
      var pressed = null;
      // Rounded down, as the page's own captions: a mistake never reads as 100 %.
      function percent(x) { return (Math.floor(1000 * x) / 10).toFixed(1) + "%"; }
      function figure(i) {
        var f = document.createElement("figure");
        f.className = "digit";
        var img = document.createElement("img");
        img.src = "data:image/png;base64," + data.images[i];
        img.width = 64; img.height = 64;
        img.alt = "true " + data.labels[data.truth[i]] + ", read as " + data.labels[data.predicted[i]];
        var caption = document.createElement("figcaption");
        caption.append(data.labels[data.truth[i]] + " \\u2192 ");
        var predicted = document.createElement("span");
        if (data.truth[i] !== data.predicted[i]) { predicted.className = "pred"; }
        predicted.textContent = data.labels[data.predicted[i]];
        caption.append(predicted, " " + percent(data.confidence[i]), document.createElement("br"));
        var name = document.createElement("span");
        name.className = "name";
        name.textContent = data.names[i];
        caption.append(name);
        f.append(img, caption);
        return f;
      }
      function show(button) {
        var t = Number(button.dataset.truth), p = Number(button.dataset.predicted);
        var rows = [];
        for (var i = 0; i < data.truth.length; i++) { if (data.truth[i] === t && data.predicted[i] === p) { rows.push(i); } }
        rows.sort(function (a, b) { return data.confidence[b] - data.confidence[a] || a - b; });
        heading.textContent = rows.length + " image" + (rows.length === 1 ? "" : "s") + " of " + data.labels[t]
          + (t === p ? " read correctly" : " read as " + data.labels[p]) + ", most confident first";
        var fragment = document.createDocumentFragment();
        rows.forEach(function (i) { fragment.append(figure(i)); });
        gallery.replaceChildren(fragment);
        if (pressed) { pressed.setAttribute("aria-pressed", "false"); }
        button.setAttribute("aria-pressed", "true");
        pressed = button;
      }
      document.querySelectorAll("table.confusion button").forEach(function (button) {
        button.addEventListener("click", function () { show(button); });
      });
    })();
    """
