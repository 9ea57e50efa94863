/// What can be wrong with the numbers handed to this module.
///
/// Every case is a mistake in the caller's data, not a bug here, so it is thrown
/// (the command layer turns it into one line and an exit status) rather than trapped.
public enum EvaluationError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A confusion matrix needs at least one class.
    case noClasses
    /// The true labels and the predictions (or probability rows) differ in number.
    case countMismatch(labels: Int, predictions: Int)
    /// A label or prediction outside `0..<classes`; `index` is its position in the input (nil for a single `add`).
    case classOutOfRange(value: Int, index: Int?, classes: Int)
    /// The gallery's images differ in number from the labels.
    case imageCountMismatch(labels: Int, images: Int)
    /// An image for the gallery whose pixel count is not a square (16 × 16 = 256 is expected).
    case imageNotSquare(pixelCount: Int)
    /// An extra JSON field would repeat one of the fixed top-level keys.
    case reservedJSONKey(String)

    public var description: String {
        switch self {
        case .noClasses:
            return "a confusion matrix needs at least one class"
        case let .countMismatch(labels, predictions):
            return "\(labels) labels but \(predictions) predictions; they must pair up one to one"
        case let .classOutOfRange(value, index, classes):
            let position = index.map { " at position \($0)" } ?? ""
            return "class \(value)\(position) is outside 0..<\(classes)"
        case let .imageCountMismatch(labels, images):
            return "\(labels) labels but \(images) images; they must pair up one to one"
        case let .imageNotSquare(pixelCount):
            return "an image of \(pixelCount) pixels is not square (expected e.g. 16 × 16 = 256)"
        case let .reservedJSONKey(key):
            return "extra JSON field \"\(key)\" would repeat a fixed key of the report"
        }
    }
}
