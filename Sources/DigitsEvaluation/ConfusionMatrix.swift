/// Counts of (true class, predicted class) pairs: rows are the true digit, columns the prediction.
///
/// The diagonal holds the correct answers; `self[truth: 4, predicted: 9]` is how many
/// fours were read as nines. Metrics that would divide by zero (a class never predicted,
/// or never present) are defined as 0, the convention scikit-learn uses with
/// `zero_division=0`, so a report never shows NaN.
public struct ConfusionMatrix: Equatable, Sendable {
    public let classes: Int
    /// Row-major `classes × classes` counts; `counts[truth * classes + predicted]`.
    public private(set) var counts: [Int]
    /// Examples that could not be read at all (an image with no ink): they have no prediction, so
    /// they sit outside the matrix, but they count in `count` and, as mistakes, in `accuracy`.
    public var unreadable = 0

    /// An empty matrix. `classes` below 1 is a programming error (the class count is a
    /// constant of the model, not data), so it traps like `Matrix` does for negative sizes.
    public init(classes: Int = 10) {
        precondition(classes >= 1, "a confusion matrix needs at least one class")
        self.classes = classes
        self.counts = [Int](repeating: 0, count: classes * classes)
    }

    /// Counts the pairs `(labels[i], predictions[i])`.
    /// Throws when the arrays differ in length or hold a class outside `0..<classes`.
    public init(labels: [Int], predictions: [Int], classes: Int = 10) throws(EvaluationError) {
        guard classes >= 1 else { throw .noClasses }
        guard labels.count == predictions.count else {
            throw .countMismatch(labels: labels.count, predictions: predictions.count)
        }
        self.init(classes: classes)
        for (index, (truth, predicted)) in zip(labels, predictions).enumerated() {
            try checkClass(truth, index: index)
            try checkClass(predicted, index: index)
            counts[truth * classes + predicted] += 1
        }
    }

    /// Records one example.
    public mutating func add(truth: Int, predicted: Int) throws(EvaluationError) {
        try checkClass(truth, index: nil)
        try checkClass(predicted, index: nil)
        counts[truth * classes + predicted] += 1
    }

    private func checkClass(_ value: Int, index: Int?) throws(EvaluationError) {
        guard (0..<classes).contains(value) else { throw .classOutOfRange(value: value, index: index, classes: classes) }
    }

    /// How many examples had true class `truth` and were predicted as `predicted`.
    public subscript(truth truth: Int, predicted predicted: Int) -> Int {
        counts[truth * classes + predicted]
    }

    /// One row: how the examples of true class `truth` were predicted.
    public func row(truth: Int) -> [Int] {
        Array(counts[truth * classes..<(truth + 1) * classes])
    }

    /// All examples counted, the unreadable ones included.
    public var count: Int { counts.reduce(0, +) + unreadable }

    /// Examples on the diagonal.
    public var correct: Int { (0..<classes).reduce(0) { $0 + self[truth: $1, predicted: $1] } }

    /// Fraction predicted correctly (an unreadable example is a mistake); 0 for an empty matrix.
    public var accuracy: Double { ratio(correct, count) }

    /// Examples whose true class is `digit` (the row sum).
    public func support(_ digit: Int) -> Int { row(truth: digit).reduce(0, +) }

    /// Examples predicted as `digit` (the column sum).
    public func predictedCount(_ digit: Int) -> Int {
        (0..<classes).reduce(0) { $0 + self[truth: $1, predicted: digit] }
    }

    /// Of the examples predicted as `digit`, the fraction that really were: TP / (TP + FP); 0 when none were predicted.
    public func precision(_ digit: Int) -> Double { ratio(self[truth: digit, predicted: digit], predictedCount(digit)) }

    /// Of the examples that are `digit`, the fraction found: TP / (TP + FN); 0 when there are none.
    public func recall(_ digit: Int) -> Double { ratio(self[truth: digit, predicted: digit], support(digit)) }

    /// Harmonic mean of precision and recall; 0 when both are 0.
    public func f1(_ digit: Int) -> Double {
        let p = precision(digit), r = recall(digit)
        return p + r == 0 ? 0 : 2 * p * r / (p + r)
    }

    /// The four numbers for every class, in class order.
    public var perClass: [ClassMetrics] {
        (0..<classes).map {
            ClassMetrics(digit: $0, precision: precision($0), recall: recall($0), f1: f1($0), support: support($0))
        }
    }

    /// Unweighted means over all classes, including classes with no examples (they count as 0),
    /// so a class the model never sees or never predicts pulls the average down.
    public var macroPrecision: Double { mean(perClass.map(\.precision)) }
    public var macroRecall: Double { mean(perClass.map(\.recall)) }
    public var macroF1: Double { mean(perClass.map(\.f1)) }

    /// Means weighted by each class's support, as scikit-learn's `classification_report` "weighted avg":
    /// Σ supportᵢ·mᵢ / Σ supportᵢ (unreadable examples have no class, so they weigh nothing); 0 when
    /// no example has a class. Weighted recall is the accuracy over the readable examples.
    public var weightedPrecision: Double { supportWeighted(\.precision) }
    public var weightedRecall: Double { supportWeighted(\.recall) }
    public var weightedF1: Double { supportWeighted(\.f1) }

    /// The macro and support-weighted averages, in the order the reports show them.
    public var averages: [AverageMetrics] {
        [
            AverageMetrics(name: "macro", precision: macroPrecision, recall: macroRecall, f1: macroF1, support: count),
            AverageMetrics(
                name: "weighted", precision: weightedPrecision, recall: weightedRecall, f1: weightedF1,
                support: count - unreadable)
        ]
    }

    /// The off-diagonal cells with the most examples, largest first (ties by true then predicted class).
    /// Cells with no examples are never listed.
    public func mostConfused(limit: Int = 5) -> [ConfusedPair] {
        var pairs: [ConfusedPair] = []
        for truth in 0..<classes {
            for predicted in 0..<classes where predicted != truth && self[truth: truth, predicted: predicted] > 0 {
                pairs.append(ConfusedPair(truth: truth, predicted: predicted, count: self[truth: truth, predicted: predicted]))
            }
        }
        pairs.sort { ($1.count, $0.truth, $0.predicted) < ($0.count, $1.truth, $1.predicted) }
        return Array(pairs.prefix(max(0, limit)))
    }

    private func ratio(_ numerator: Int, _ denominator: Int) -> Double {
        denominator == 0 ? 0 : Double(numerator) / Double(denominator)
    }

    private func supportWeighted(_ metric: KeyPath<ClassMetrics, Double>) -> Double {
        let metrics = perClass
        let total = metrics.reduce(0) { $0 + $1.support }
        guard total > 0 else { return 0 }
        return metrics.reduce(0) { $0 + Double($1.support) * $1[keyPath: metric] } / Double(total)
    }

    private func mean(_ values: [Double]) -> Double {
        values.isEmpty ? 0 : values.reduce(0, +) / Double(values.count)
    }
}

/// Precision, recall, F1 and support of one class.
public struct ClassMetrics: Equatable, Sendable {
    public let digit: Int
    public let precision: Double
    public let recall: Double
    public let f1: Double
    /// Number of examples whose true class is `digit`.
    public let support: Int

    public init(digit: Int, precision: Double, recall: Double, f1: Double, support: Int) {
        self.digit = digit
        self.precision = precision
        self.recall = recall
        self.f1 = f1
        self.support = support
    }
}

/// An average over the classes (`macro` or `weighted`) and the examples it covers: all of them for
/// macro (as the terminal report always showed), those with a class for weighted.
public struct AverageMetrics: Equatable, Sendable {
    public let name: String
    public let precision: Double
    public let recall: Double
    public let f1: Double
    public let support: Int
}

/// An off-diagonal cell: `count` examples of `truth` were predicted as `predicted`.
public struct ConfusedPair: Equatable, Sendable {
    public let truth: Int
    public let predicted: Int
    public let count: Int

    public init(truth: Int, predicted: Int, count: Int) {
        self.truth = truth
        self.predicted = predicted
        self.count = count
    }
}
