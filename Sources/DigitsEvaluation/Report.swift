import Foundation
import DigitsCore
import DigitsJSON

/// Writes the report files into `directory` (created if missing) and returns their paths:
/// `confusion.png` (heatmap with counts), `misclassified.png` (gallery, most confident mistakes
/// first, at most `galleryLimit`), `per-class.png` (precision and recall per class) and `report.json`
/// (the text of `confusion.jsonReport(extraFields:)` and a newline).
///
/// - Throws: `EvaluationError` for bad input, before any file is written; otherwise the file system's error.
@discardableResult
public func writeReport(to directory: String, confusion: ConfusionMatrix, misclassified: [Misclassification],
                        extraFields: KeyValuePairs<String, JSONValue> = [:], galleryLimit: Int = 100) throws -> [String] {
    // Render everything first, so bad input leaves no half-written report behind.
    let json = try confusion.jsonReport(extraFields: extraFields)
    let gallery = try misclassifiedGallery(misclassified, limit: galleryLimit,
                                           totalMistakes: confusion.count - confusion.correct, totalCount: confusion.count)
    let pictures = [("confusion.png", confusion.heatmap()), ("misclassified.png", gallery), ("per-class.png", confusion.perClassChart())]

    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    let folder = URL(fileURLWithPath: directory, isDirectory: true)
    var written: [String] = []
    for (name, canvas) in pictures {
        let path = folder.appendingPathComponent(name).path
        try writePNG(canvas, to: path)
        written.append(path)
    }
    let jsonPath = folder.appendingPathComponent("report.json").path
    try Data((json + "\n").utf8).write(to: URL(fileURLWithPath: jsonPath), options: .atomic)
    written.append(jsonPath)
    return written
}

extension Evaluation {
    /// `writeReport(to:confusion:misclassified:)` for this evaluation, taking the gallery's
    /// images from `images` (one row per example, the inputs the network saw).
    @discardableResult
    public func writeReport(to directory: String, images: Matrix,
                            extraFields: KeyValuePairs<String, JSONValue> = [:], galleryLimit: Int = 100) throws -> [String] {
        try DigitsEvaluation.writeReport(to: directory, confusion: confusion,
                                         misclassified: misclassifications(images: images, limit: galleryLimit),
                                         extraFields: extraFields, galleryLimit: galleryLimit)
    }
}
