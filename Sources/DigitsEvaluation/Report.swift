import DigitsCore
import DigitsIO
import DigitsJSON

/// Writes the report files into `directory` (created if missing) and returns their paths:
/// `confusion.png` (heatmap with counts), `misclassified.png` (gallery, most confident mistakes
/// first, at most `galleryLimit`), `per-class.png` (precision and recall per class) and `report.json`
/// (the text of `confusion.jsonReport(extraFields:)` and a newline), and `index.html` when `html` is given
/// (the page made by `EvaluationPage`).
///
/// The set is written all or nothing (`FileSet`): a full disk or a kill leaves the folder as it was.
///
/// - Throws: `EvaluationError` for bad input, before any file is written; otherwise `FileIOError`.
@discardableResult
public func writeReport(
    to directory: String, confusion: ConfusionMatrix, misclassified: [Misclassification],
    extraFields: KeyValuePairs<String, JSONValue> = [:], galleryLimit: Int = 100, html: String? = nil
) throws -> [String] {
    // Render everything first, so bad input leaves no half-written report behind.
    let json = try confusion.jsonReport(extraFields: extraFields)
    let gallery = try misclassifiedGallery(
        misclassified, limit: galleryLimit,
        totalMistakes: confusion.count - confusion.correct, totalCount: confusion.count)
    let pictures = [("confusion.png", confusion.heatmap()), ("misclassified.png", gallery), ("per-class.png", confusion.perClassChart())]

    var files: [(name: String, bytes: [UInt8])] = []
    for (name, canvas) in pictures { files.append((name, try canvas.pngBytes())) }
    files.append(("report.json", Array((json + "\n").utf8)))
    if let html { files.append(("index.html", Array(html.utf8))) }
    // All or nothing: written aside first, then moved in, never through a symbolic link at a name.
    let written = try FileSet.write(files, into: directory)
    return written
}

extension Evaluation {
    /// `writeReport(to:confusion:misclassified:)` for this evaluation, taking the gallery's
    /// images from `images` (one row per example, the inputs the network saw), with `page` as
    /// `index.html` when given.
    @discardableResult
    public func writeReport(
        to directory: String, images: Matrix,
        extraFields: KeyValuePairs<String, JSONValue> = [:], galleryLimit: Int = 100, page: EvaluationPage? = nil
    ) throws -> [String] {
        try DigitsEvaluation.writeReport(
            to: directory, confusion: confusion,
            misclassified: misclassifications(images: images, limit: galleryLimit),
            extraFields: extraFields, galleryLimit: galleryLimit, html: page?.html(evaluation: self, images: images))
    }
}
