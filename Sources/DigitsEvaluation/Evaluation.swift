import DigitsCore

/// Everything measured when a model's outputs are compared with the true labels.
public struct Evaluation: Sendable {
    public let confusion: ConfusionMatrix
    /// The true class of each example, as given.
    public let labels: [Int]
    /// The most probable class of each example (the lowest index wins a tie).
    public let predictions: [Int]
    /// The probability the model gave its prediction, per example.
    public let confidences: [Float]
    /// Indices of the wrongly predicted examples, most confident mistake first
    /// (ties keep input order), because those are the ones worth looking at.
    public let misclassifiedIndices: [Int]

    /// - Parameters:
    ///   - labels: true class per example, each in `0..<probabilities.columns`.
    ///   - probabilities: one row per example, one column per class (e.g. softmax output, `count × 10`).
    ///   - unreadable: how many more examples could not be read at all (no ink); each is a mistake.
    public init(labels: [Int], probabilities: Matrix, unreadable: Int = 0) throws(EvaluationError) {
        let classes = probabilities.columns
        guard classes >= 1 else { throw .noClasses }
        guard labels.count == probabilities.rows else {
            throw .countMismatch(labels: labels.count, predictions: probabilities.rows)
        }
        var predictions: [Int] = []
        var confidences: [Float] = []
        predictions.reserveCapacity(labels.count)
        confidences.reserveCapacity(labels.count)
        let p = probabilities.elements
        for row in 0..<probabilities.rows {
            let best = argmax(probabilities, row: row)
            predictions.append(best)
            confidences.append(p[row * classes + best])
        }
        var confusion = try ConfusionMatrix(labels: labels, predictions: predictions, classes: classes)
        confusion.unreadable = unreadable
        self.confusion = confusion
        self.labels = labels
        self.predictions = predictions
        self.confidences = confidences
        self.misclassifiedIndices = labels.indices
            .filter { labels[$0] != predictions[$0] }
            .sorted { (confidences[$0], $1) > (confidences[$1], $0) }
    }

    /// The first `limit` mistakes (most confident first) paired with their input images, for the gallery.
    /// - Parameter images: the inputs the network saw, one row per example (e.g. `count × 256`, ink high).
    public func misclassifications(images: Matrix, limit: Int = 100) throws(EvaluationError) -> [Misclassification] {
        guard images.rows == labels.count else {
            throw .imageCountMismatch(labels: labels.count, images: images.rows)
        }
        return misclassifiedIndices.prefix(max(0, limit)).map { index in
            Misclassification(
                pixels: images.row(index), truth: labels[index], predicted: predictions[index],
                confidence: confidences[index], source: "#\(index)")
        }
    }
}

/// One wrongly classified example, as shown in the gallery.
public struct Misclassification: Equatable, Sendable {
    /// The square image the network saw (16 × 16 = 256 values), row-major, in [0, 1] with ink high.
    public var pixels: [Float]
    public var truth: Int
    public var predicted: Int
    /// Probability of `predicted`, in [0, 1].
    public var confidence: Float
    /// Where it came from (e.g. `"#1234"` or a file name); shown small under the caption.
    public var source: String?

    public init(pixels: [Float], truth: Int, predicted: Int, confidence: Float, source: String? = nil) {
        self.pixels = pixels
        self.truth = truth
        self.predicted = predicted
        self.confidence = confidence
        self.source = source
    }
}
