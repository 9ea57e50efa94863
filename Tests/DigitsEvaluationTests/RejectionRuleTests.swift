import DigitsData
import Testing
@testable import DigitsEvaluation

/// The verdict rule, case by case, with the numbers beside it.
@Suite struct RejectionRuleTests {
    let digitLike = InkMarks(pieces: 1, sideBySide: 1, density: 0.3, aspect: 0.6)
    let sure: [Float] = [0.01, 0.95, 0.04]
    let unsure: [Float] = [0.3, 0.4, 0.3]

    @Test func verdicts() {
        let rule = RejectionRule(minimumConfidence: 0.5)
        #expect(rule.verdict(probabilities: sure, marks: digitLike) == .digit)
        #expect(rule.verdict(probabilities: unsure, marks: digitLike) == .notADigit)  // 0.4 < 0.5
        #expect(rule.verdict(probabilities: sure, marks: InkMarks(pieces: 4, sideBySide: 1, density: 0.3, aspect: 0.6)) == .notADigit)
        #expect(rule.verdict(probabilities: sure, marks: InkMarks(pieces: 2, sideBySide: 2, density: 0.3, aspect: 0.6)) == .severalDigits)
        // Dense and square: a blob; dense and thin: a "1", whose box is its stroke.
        #expect(rule.verdict(probabilities: sure, marks: InkMarks(pieces: 1, sideBySide: 1, density: 0.9, aspect: 0.8)) == .notADigit)
        #expect(rule.verdict(probabilities: sure, marks: InkMarks(pieces: 1, sideBySide: 1, density: 0.9, aspect: 0.2)) == .digit)
        // No threshold recorded: unsure is still a digit; no marks: only the confidence counts.
        #expect(RejectionRule(minimumConfidence: nil).verdict(probabilities: unsure, marks: digitLike) == .digit)
        #expect(rule.verdict(probabilities: unsure, marks: nil) == .notADigit)
    }

    @Test func calibration() {
        // 1000 confidences 0.001 … 1.000: 0.2 % of them (2) lie below the 3rd smallest, 0.003.
        let maxima = (1...1000).map { Float($0) / 1000 }.shuffled()
        #expect(RejectionRule.calibrate(maximumProbabilities: maxima) == 0.003)
        #expect(RejectionRule.calibrate(maximumProbabilities: []) == nil)
        #expect(RejectionRule.calibrate(maximumProbabilities: [0.7]) == 0.7)
    }
}
