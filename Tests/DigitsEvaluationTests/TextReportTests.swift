import DigitsJSON
import Foundation
import Testing
@testable import DigitsEvaluation

@Test func jsonHasTheFixedKeysInOrderAndCountsAddUp() throws {
    let matrix = try ConfusionMatrix(labels: handLabels, predictions: handPredictions, classes: 4)
    let text = try matrix.jsonReport(extraFields: ["model": .string("models/a \"b\".safetensors"), "macro_f1": .double(matrix.macroF1)])

    // Order: positions of the top-level keys in the text must increase.
    let keys = ["\"accuracy\"", "\"count\"", "\"confusion\"", "\"per_class\"", "\"model\"", "\"macro_f1\""]
    let positions = keys.map { text.range(of: $0)?.lowerBound }
    #expect(positions.allSatisfy { $0 != nil })
    #expect(positions.compactMap { $0 } == positions.compactMap { $0 }.sorted())
    let perClassKeys = ["\"digit\"", "\"precision\"", "\"recall\"", "\"f1\"", "\"support\""]
    let firstEntry = try #require(text.range(of: "{\"digit\": 0")).lowerBound
    let entryPositions = perClassKeys.map { text.range(of: $0, range: firstEntry..<text.endIndex)?.lowerBound }
    #expect(entryPositions.compactMap { $0 } == entryPositions.compactMap { $0 }.sorted() && !entryPositions.contains(nil))

    let object = try #require(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    #expect(
        Set(object.keys) == ["accuracy", "count", "unreadable", "confusion", "per_class", "macro_avg", "weighted_avg", "model", "macro_f1"])
    let weighted = try #require(object["weighted_avg"] as? [String: Any])
    #expect(abs((weighted["precision"] as? Double ?? 0) - matrix.weightedPrecision) < 1e-12)
    #expect(weighted["support"] as? Int == 10)
    let macro = try #require(object["macro_avg"] as? [String: Any])
    // (Foundation's parser may be one ulp off for this value: compare with a tolerance.)
    #expect(abs((macro["f1"] as? Double ?? 0) - matrix.macroF1) < 1e-12)
    #expect(object["accuracy"] as? Double == 0.6)
    #expect(object["count"] as? Int == 10)
    #expect(object["model"] as? String == "models/a \"b\".safetensors")
    let confusion = try #require(object["confusion"] as? [[Int]])
    #expect(confusion == [[1, 1, 0, 0], [0, 2, 0, 1], [0, 0, 1, 0], [1, 1, 0, 2]])
    #expect(confusion.joined().reduce(0, +) == 10)
    let perClass = try #require(object["per_class"] as? [[String: Any]])
    #expect(perClass.map { $0["digit"] as? Int } == [0, 1, 2, 3])
    #expect(perClass.compactMap { $0["support"] as? Int }.reduce(0, +) == 10)
    #expect(perClass[3]["precision"] as? Double == 2.0 / 3)  // full precision survives the round trip
}

@Test func jsonRefusesAnExtraFieldThatRepeatsAFixedKey() {
    #expect(throws: EvaluationError.reservedJSONKey("count")) {
        try ConfusionMatrix().jsonReport(extraFields: ["count": .integer(3)])
    }
}

@Test func terminalReportShowsTableMatrixAndPairs() throws {
    let matrix = try ConfusionMatrix(labels: handLabels, predictions: handPredictions, classes: 4)
    let report = matrix.terminalReport()
    #expect(report.contains("Accuracy: 60.00% (6 of 10 correct)"))
    #expect(report.contains("       3     0.6667  0.5000  0.5714        4"))
    #expect(report.contains("   macro     0.6667  0.6667  0.6607       10"))  // 37/56 = 0.6607
    #expect(report.contains("weighted     0.6167  0.6000  0.6000       10"))  // 37/60 = 0.6167
    // Matrix rows: diagonal bracketed, zeros as dots, digits right-aligned in 4-wide cells.
    #expect(report.contains("true │  0   1   2   3 \n"))
    #expect(report.contains("   0 │ [1]  1   ·   · \n"))
    #expect(report.contains("   3 │  1   1   ·  [2]\n"))
    #expect(report.hasSuffix("  3 → 1: 1  (25.00% of 3s)"))  // no trailing newline: print adds one
    #expect(report.contains("  3 → 1: 1  (25.00% of 3s)"))
    #expect(!report.contains("\u{1B}["))

    let coloured = matrix.terminalReport(colour: true)
    #expect(coloured.contains("\u{1B}[1m [1]\u{1B}[0m"))  // bold diagonal
    #expect(coloured.contains("\u{1B}[1;31m  1 \u{1B}[0m"))  // 0 → 1 is half of row 0: bold red
}

@Test func numbersAreFormattedForTables() {
    #expect(decimalText(0.981234) == "0.9812")
    #expect(decimalText(1) == "1.0000")
    #expect(decimalText(0.00005) == "0.0001")
    #expect(percentText(0.981) == "98.10%")
    #expect(rightAligned("7", width: 3) == "  7")
}
