import Testing
import DigitsCore
@testable import DigitsEvaluation

/// Four classes, ten examples, small enough to check by hand:
///
///              predicted
///               0  1  2  3   support
///     true 0    1  1  .  .      2
///          1    .  2  .  1      3
///          2    .  .  1  .      1
///          3    1  1  .  2      4
///     column    2  4  1  3     10
let handLabels = [0, 0, 1, 1, 1, 2, 3, 3, 3, 3]
let handPredictions = [0, 1, 1, 1, 3, 2, 3, 3, 1, 0]

private func approx(_ a: Double, _ b: Double) -> Bool { abs(a - b) < 1e-12 }

@Test func countsLandInTheRightCells() throws {
    let matrix = try ConfusionMatrix(labels: handLabels, predictions: handPredictions, classes: 4)
    #expect(matrix.row(truth: 0) == [1, 1, 0, 0])
    #expect(matrix.row(truth: 1) == [0, 2, 0, 1])
    #expect(matrix.row(truth: 2) == [0, 0, 1, 0])
    #expect(matrix.row(truth: 3) == [1, 1, 0, 2])
    #expect(matrix[truth: 1, predicted: 3] == 1)
    #expect(matrix.count == 10)
    #expect(matrix.correct == 6)  // 1 + 2 + 1 + 2 on the diagonal
    #expect(approx(matrix.accuracy, 0.6))  // 6 / 10
}

@Test func perClassMetricsMatchTheArithmetic() throws {
    let matrix = try ConfusionMatrix(labels: handLabels, predictions: handPredictions, classes: 4)
    // precision = diagonal / column sum
    #expect(approx(matrix.precision(0), 1.0 / 2))  // 1 / (1 + 1)
    #expect(approx(matrix.precision(1), 2.0 / 4))  // 2 / (1 + 2 + 1)
    #expect(approx(matrix.precision(2), 1.0))  // 1 / 1
    #expect(approx(matrix.precision(3), 2.0 / 3))  // 2 / (2 + 1)
    // recall = diagonal / row sum
    #expect(approx(matrix.recall(0), 1.0 / 2))
    #expect(approx(matrix.recall(1), 2.0 / 3))
    #expect(approx(matrix.recall(2), 1.0))
    #expect(approx(matrix.recall(3), 2.0 / 4))
    // f1 = 2pr / (p + r)
    #expect(approx(matrix.f1(0), 0.5))
    #expect(approx(matrix.f1(1), 4.0 / 7))  // 2 · ½ · ⅔ / (½ + ⅔) = ⅔ / (7/6)
    #expect(approx(matrix.f1(2), 1.0))
    #expect(approx(matrix.f1(3), 4.0 / 7))  // 2 · ⅔ · ½ / (⅔ + ½)
    #expect(matrix.perClass.map(\.support) == [2, 3, 1, 4])
    #expect(
        matrix.perClass[3]
            == ClassMetrics(
                digit: 3, precision: matrix.precision(3), recall: 0.5,
                f1: matrix.f1(3), support: 4))
    // macro = plain mean over the four classes
    #expect(approx(matrix.macroPrecision, 2.0 / 3))  // (½ + ½ + 1 + ⅔) / 4
    #expect(approx(matrix.macroRecall, 2.0 / 3))  // (½ + ⅔ + 1 + ½) / 4
    #expect(approx(matrix.macroF1, 37.0 / 56))  // (½ + 4/7 + 1 + 4/7) / 4
    // weighted = Σ supportᵢ·mᵢ / Σ supportᵢ with supports 2, 3, 1, 4 (scikit-learn's "weighted avg")
    #expect(approx(matrix.weightedPrecision, 37.0 / 60))  // (2·½ + 3·½ + 1·1 + 4·⅔) / 10 = (37/6) / 10
    #expect(approx(matrix.weightedRecall, 0.6))  // (2·½ + 3·⅔ + 1·1 + 4·½) / 10 = 6/10, the accuracy
    #expect(approx(matrix.weightedF1, 0.6))  // (2·½ + 3·4/7 + 1·1 + 4·4/7) / 10 = (2 + 28/7) / 10
    #expect(matrix.averages.map(\.name) == ["macro", "weighted"])
    #expect(matrix.averages.map(\.support) == [10, 10])
}

@Test func weightedAveragesLeaveUnreadableExamplesOut() throws {
    var matrix = try ConfusionMatrix(labels: handLabels, predictions: handPredictions, classes: 4)
    matrix.unreadable = 5
    // Supports are unchanged (unreadable examples have no row), so the weighted means are too.
    #expect(approx(matrix.weightedPrecision, 37.0 / 60))
    #expect(approx(matrix.weightedRecall, 0.6))
    #expect(matrix.averages.map(\.support) == [15, 10])
    #expect(ConfusionMatrix(classes: 3).weightedF1 == 0)  // no examples: 0, not NaN
}

@Test func mostConfusedIsLargestFirstThenByClass() throws {
    var matrix = try ConfusionMatrix(labels: handLabels, predictions: handPredictions, classes: 4)
    try matrix.add(truth: 3, predicted: 1)  // 3 → 1 now has 2
    #expect(
        matrix.mostConfused(limit: 3) == [
            ConfusedPair(truth: 3, predicted: 1, count: 2),
            ConfusedPair(truth: 0, predicted: 1, count: 1),
            ConfusedPair(truth: 1, predicted: 3, count: 1)
        ])
    #expect(matrix.mostConfused(limit: 100).count == 4)  // zero cells are never listed
}

@Test func zeroOverZeroIsZero() throws {
    // Class 2 is never present nor predicted; class 1 is predicted once but never present.
    let matrix = try ConfusionMatrix(labels: [0, 0], predictions: [0, 1], classes: 3)
    #expect(matrix.precision(2) == 0 && matrix.recall(2) == 0 && matrix.f1(2) == 0 && matrix.support(2) == 0)
    #expect(matrix.precision(1) == 0)  // 0 / 1
    #expect(matrix.recall(1) == 0)  // 0 / 0
    #expect(matrix.f1(1) == 0)
    #expect(!matrix.macroF1.isNaN)
    let empty = ConfusionMatrix()
    #expect(empty.classes == 10 && empty.count == 0 && empty.accuracy == 0)
    #expect(empty.perClass.allSatisfy { $0.precision == 0 && $0.recall == 0 && $0.f1 == 0 })
}

@Test func badInputThrowsTypedErrors() {
    #expect(throws: EvaluationError.countMismatch(labels: 3, predictions: 2)) {
        try ConfusionMatrix(labels: [0, 1, 2], predictions: [0, 1])
    }
    #expect(throws: EvaluationError.classOutOfRange(value: 10, index: 1, classes: 10)) {
        try ConfusionMatrix(labels: [0, 1], predictions: [0, 10])
    }
    #expect(throws: EvaluationError.classOutOfRange(value: -1, index: 0, classes: 10)) {
        try ConfusionMatrix(labels: [-1], predictions: [0])
    }
    #expect(throws: EvaluationError.noClasses) {
        try ConfusionMatrix(labels: [], predictions: [], classes: 0)
    }
    var matrix = ConfusionMatrix(classes: 2)
    #expect(throws: EvaluationError.classOutOfRange(value: 2, index: nil, classes: 2)) {
        try matrix.add(truth: 2, predicted: 0)
    }
    #expect(matrix.count == 0)  // a rejected example is not half-counted
}

@Test func evaluationPicksArgmaxAndSortsMistakesByConfidence() throws {
    let probabilities = Matrix([
        [0.7, 0.2, 0.1],  // truth 0 → 0, right
        [0.1, 0.3, 0.6],  // truth 1 → 2 at 0.6, wrong
        [0.05, 0.9, 0.05],  // truth 2 → 1 at 0.9, wrong and most confident
        [0.4, 0.4, 0.2],  // truth 1 → 0 (tie, lowest index wins) at 0.4, wrong
        [0.2, 0.2, 0.6]  // truth 2 → 2, right
    ])
    let evaluation = try Evaluation(labels: [0, 1, 2, 1, 2], probabilities: probabilities)
    #expect(evaluation.predictions == [0, 2, 1, 0, 2])
    #expect(evaluation.confidences == [0.7, 0.6, 0.9, 0.4, 0.6])
    #expect(evaluation.misclassifiedIndices == [2, 1, 3])
    #expect(evaluation.confusion.classes == 3)
    #expect(evaluation.confusion.correct == 2)

    let images = Matrix(rows: 5, columns: 4, elements: (0..<20).map { Float($0) / 20 })
    let gallery = try evaluation.misclassifications(images: images, limit: 2)
    #expect(gallery.map(\.truth) == [2, 1] && gallery.map(\.predicted) == [1, 2])
    #expect(gallery[0].pixels == images.row(2) && gallery[0].source == "#2")

    #expect(throws: EvaluationError.countMismatch(labels: 4, predictions: 5)) {
        try Evaluation(labels: [0, 1, 2, 1], probabilities: probabilities)
    }
    #expect(throws: EvaluationError.classOutOfRange(value: 3, index: 0, classes: 3)) {
        try Evaluation(labels: [3, 1, 2, 1, 2], probabilities: probabilities)
    }
    #expect(throws: EvaluationError.imageCountMismatch(labels: 5, images: 4)) {
        try evaluation.misclassifications(images: Matrix(rows: 4, columns: 4))
    }
}
