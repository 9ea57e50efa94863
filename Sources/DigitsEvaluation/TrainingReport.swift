import DigitsIO

/// Writes a training run's report into `directory`: `curves.png` (the picture, for people without a
/// browser) and `index.html` (the same curves as SVG, a table of every epoch and the run's settings).
/// All or nothing (`FileSet`). Returns the paths written.
///
/// - Parameters:
///   - title: what the run is, e.g. the model's path; shown escaped.
///   - facts: the run's settings as name–value pairs, shown in order.
@discardableResult
public func writeTrainingReport(
    to directory: String, history: TrainingHistory, title: String, facts: [(String, String)] = []
) throws -> [String] {
    let png = try history.curvesPicture().pngBytes()
    let html = trainingReportPage(history: history, title: title, facts: facts)
    return try FileSet.write([("curves.png", png), ("index.html", Array(html.utf8))], into: directory)
}

/// The HTML of `writeTrainingReport`.
public func trainingReportPage(history: TrainingHistory, title: String, facts: [(String, String)]) -> String {
    var rows: [HTMLNode] = [
        h(
            "tr", [:], h("th", ["scope": "col"], .text("epoch")), h("th", ["scope": "col"], .text("loss")),
            h("th", ["scope": "col"], .text("training accuracy")), h("th", ["scope": "col"], .text("validation accuracy")))
    ]
    for epoch in history.epochs {
        rows.append(
            h(
                "tr", [:], h("td", [:], .text(String(epoch.epoch))), h("td", [:], .text(decimalText(epoch.loss))),
                h("td", [:], .text(percentText(epoch.trainingAccuracy))),
                h("td", [:], .text(epoch.validationAccuracy.map(percentText) ?? "–"))))
    }
    var body: [HTMLNode] = [
        h("h1", [:], .text("Training: " + title)),
        h(
            "p", ["class": "lead"],
            .text(
                "\(history.epochs.count) epoch\(history.epochs.count == 1 ? "" : "s"). Validation accuracy well below "
                    + "training accuracy and falling is over-fitting; both low and still rising is under-fitting.")),
        h("h2", [:], .text("Curves")),
        history.curvesSVG(),
        h("h2", [:], .text("Every epoch")),
        h("div", ["class": "scroll"], h("table", ["class": "metrics", "id": "epochs"], children: rows))
    ]
    if !facts.isEmpty {
        body += [h("h2", [:], .text("Settings")), factList(facts)]
    }
    return htmlDocument(title: "digits training: " + title, body: body)
}
