import DigitsData
import Testing

@testable import DigitsEvaluation

/// Which of a picture's two readings (both ways round) `classify` keeps.
@Suite struct BestReadingTests {
    let rule = RejectionRule(minimumConfidence: nil, notADigitClass: 10)
    let oneMark = InkMarks(pieces: 1, sideBySide: 1, density: 0.5, aspect: 0.5)
    let twoStrips = InkMarks(pieces: 2, sideBySide: 2, density: 0.5, aspect: 0.5)

    /// Ten digit probabilities with `digit` at `p`, the rest spread, then "not a digit" at 0.01.
    func output(digit: Int, p: Float) -> [Float] {
        (0..<10).map { $0 == digit ? p : (0.99 - p) / 9 } + [0.01]
    }

    @Test func aReadingTakenForADigitBeatsASurerRefusedOne() {
        // Reading 0: a 0 at 0.6, but two strips side by side (several digits); reading 1: a 1 at 0.5.
        let outputs = [output(digit: 0, p: 0.6), output(digit: 1, p: 0.5)]
        let (kept, chosen) = Classification.bestReading(outputs: outputs, marks: [twoStrips, oneMark], rule: rule)
        #expect(chosen == 1)
        #expect(kept.verdict == .digit)
        #expect(kept.probabilities.firstIndex(of: kept.probabilities.max()!) == 1)
        // Not rejecting (--no-reject): the surer reading, as before.
        #expect(Classification.bestReading(outputs: outputs, marks: [twoStrips, oneMark], rule: rule, rejecting: false).chosen == 0)
        // Both refused, or both digits: the surer one.
        #expect(Classification.bestReading(outputs: outputs, marks: [twoStrips, twoStrips], rule: rule).chosen == 0)
        #expect(Classification.bestReading(outputs: outputs, marks: [oneMark, oneMark], rule: rule).chosen == 0)
        #expect(
            Classification.bestReading(outputs: outputs, marks: [twoStrips, twoStrips], rule: rule).classification.verdict == .severalDigits
        )
    }
}
