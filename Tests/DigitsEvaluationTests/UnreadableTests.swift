import DigitsCore
import Foundation
import Testing
@testable import DigitsEvaluation

/// Images with no ink have no prediction: they are counted beside the matrix, and as mistakes.
@Suite struct UnreadableTests {
    // Three readable examples, two right (0 → 0, 1 → 1) and one wrong (1 → 0), plus two unreadable:
    // accuracy 2 / (3 + 2) = 0.4.
    let probabilities = Matrix(rows: 3, columns: 2, elements: [0.9, 0.1, 0.2, 0.8, 0.7, 0.3])

    @Test func unreadableCountAsMistakes() throws {
        let evaluation = try Evaluation(labels: [0, 1, 1], probabilities: probabilities, unreadable: 2)
        #expect(evaluation.confusion.unreadable == 2)
        #expect(evaluation.confusion.count == 5)
        #expect(evaluation.confusion.correct == 2)
        #expect(evaluation.confusion.accuracy == 0.4)
    }

    @Test func shownInTheTerminalAndJSONReports() throws {
        let confusion = try Evaluation(labels: [0, 1, 1], probabilities: probabilities, unreadable: 2).confusion
        let lines = confusion.terminalReport().split(separator: "\n").map(String.init)
        #expect(
            lines.prefix(2) == [
                "Accuracy: 40.00% (2 of 5 correct)",
                "Unreadable: 2 images with no ink, counted as mistakes"
            ])
        // A folder's unreadable pictures are not all inkless (a truncated JPEG): the caller says what they are.
        #expect(
            confusion.terminalReport(unreadableReason: "that could not be used (named on stderr)").contains(
                "Unreadable: 2 images that could not be used (named on stderr), counted as mistakes"))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(confusion.jsonReport().utf8)) as? [String: Any])
        #expect(object["unreadable"] as? Int == 2)
        #expect(object["count"] as? Int == 5)
        #expect(object["accuracy"] as? Double == 0.4)
        // Without any, the terminal report says nothing of them; the JSON still has the key.
        let clean = try Evaluation(labels: [0, 1, 1], probabilities: probabilities).confusion
        #expect(!clean.terminalReport().contains("Unreadable"))
        #expect((try JSONSerialization.jsonObject(with: Data(clean.jsonReport().utf8)) as? [String: Any])?["unreadable"] as? Int == 0)
    }
}
