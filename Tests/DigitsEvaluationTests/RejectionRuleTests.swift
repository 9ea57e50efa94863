import DigitsCore
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
        // A dot above or below the stroke ("!", "i") refuses however sure the network is.
        let dotted = InkMarks(pieces: 2, sideBySide: 1, density: 0.3, aspect: 0.2, dots: 1)
        #expect(rule.verdict(probabilities: sure, marks: dotted) == .notADigit)
        var lenient = rule
        lenient.refusesDots = false
        #expect(lenient.verdict(probabilities: sure, marks: dotted) == .digit)
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

/// A model trained with the `nondigits` set has an 11th output, "not a digit" (class 10).
@Suite struct TrainedRejectionClassTests {
    let digitLike = InkMarks(pieces: 1, sideBySide: 1, density: 0.3, aspect: 0.6)
    let rule = RejectionRule(minimumConfidence: 0.3, notADigitClass: 10)

    /// Ten digit probabilities, `digit` at `p`, the rest of 1 − p − notADigit spread evenly, then P(not a digit).
    func output(digit: Int, p: Float, notADigit: Float) -> [Float] {
        (0..<10).map { $0 == digit ? p : (1 - p - notADigit) / 9 } + [notADigit]
    }

    @Test func theTrainedClassRefusesWhenItIsTheMostProbable() {
        #expect(rule.verdict(probabilities: output(digit: 7, p: 0.35, notADigit: 0.6), marks: digitLike) == .notADigit)
        // 0.45 for 7 beats 0.4 for "not a digit", and is above the 0.3 threshold: a 7.
        #expect(rule.verdict(probabilities: output(digit: 7, p: 0.45, notADigit: 0.4), marks: digitLike) == .digit)
        // The confidence threshold is on the digit's own probability: 0.25 < 0.3.
        #expect(rule.verdict(probabilities: output(digit: 7, p: 0.25, notADigit: 0.2), marks: digitLike) == .notADigit)
        // A model without the class: the 11th number is not special (and such a model has none).
        let old = RejectionRule(minimumConfidence: 0.3)
        #expect(old.verdict(probabilities: output(digit: 7, p: 0.35, notADigit: 0.6), marks: digitLike) == .digit)
        // Shape checks still come first.
        let severalMarks = InkMarks(pieces: 2, sideBySide: 2, density: 0.3, aspect: 0.6)
        #expect(rule.verdict(probabilities: output(digit: 7, p: 0.35, notADigit: 0.6), marks: severalMarks) == .severalDigits)
    }

    @Test func digitProbabilitiesDropTheClassWithoutRenormalising() {
        let probabilities = output(digit: 3, p: 0.5, notADigit: 0.32)
        let digits = rule.digitProbabilities(probabilities)
        #expect(digits.count == 10)
        #expect(digits == Array(probabilities[0..<10]))
        #expect(RejectionRule(minimumConfidence: nil).digitProbabilities(probabilities) == probabilities)
        let batch = Matrix(rows: 2, columns: 11, elements: probabilities + output(digit: 9, p: 0.9, notADigit: 0.01))
        let dropped = rule.digitProbabilities(batch)
        #expect(dropped.shape == (2, 10))
        #expect(Array(dropped.elements[10..<20]) == Array(output(digit: 9, p: 0.9, notADigit: 0.01)[0..<10]))
    }

    @Test func calibrationCountsDigitsTheClassRefusesAsZero() {
        // 1000 validation digits: a 0 at probability k/1000 (k = 1…1000), the other digits at 0 (so
        // the 0 is always the likeliest digit), "not a digit" 0.0001, below all of them.
        var rows = (1...1000).map { [Float($0) / 1000] + [Float](repeating: 0, count: 9) + [0.0001] }
        #expect(rule.calibrate(validationDigitProbabilities: rows) == 0.003)  // as the ten-class rule
        // Five more digits the class refuses by itself: they fill the 0.2 % (2 of 1005), so the
        // threshold refuses nothing more.
        rows += (0..<5).map { _ in output(digit: 0, p: 0.1, notADigit: 0.8) }
        #expect(rule.calibrate(validationDigitProbabilities: rows) == 0)
    }

    @Test func aLoweredBarRefusesWhenNotADigitIsACloseSecond() {
        var lowered = rule
        lowered.notADigitRatio = 0.7
        // 7 at 0.5, "not a digit" 0.4: 0.4 > 0.7 × 0.5 = 0.35, refused; at 1 (the class must win) a 7.
        #expect(lowered.verdict(probabilities: output(digit: 7, p: 0.5, notADigit: 0.4), marks: digitLike) == .notADigit)
        #expect(rule.verdict(probabilities: output(digit: 7, p: 0.5, notADigit: 0.4), marks: digitLike) == .digit)
        // 0.3 < 0.35: still a 7.
        #expect(lowered.verdict(probabilities: output(digit: 7, p: 0.5, notADigit: 0.3), marks: digitLike) == .digit)
        #expect(lowered.grounds == "the trained class at over 0.70 × the likeliest digit, confidence below 0.3000 or the ink's shape")
    }

    @Test func aSureNetworkOutweighsTheCountOfPieces() {
        let fivePieces = InkMarks(pieces: 5, sideBySide: 1, density: 0.3, aspect: 0.6)
        // 0.95 for 8: sure, so five pieces (a thick pen's 8, a speck beside a 7) do not refuse it.
        #expect(rule.verdict(probabilities: output(digit: 8, p: 0.95, notADigit: 0.01), marks: fivePieces) == .digit)
        // Below 0.9 the pieces still refuse; so they do for a model without the trained class.
        #expect(rule.verdict(probabilities: output(digit: 8, p: 0.85, notADigit: 0.01), marks: fivePieces) == .notADigit)
        let tenClasses = RejectionRule(minimumConfidence: nil)
        #expect(tenClasses.verdict(probabilities: [0.01, 0.99, 0], marks: fivePieces) == .notADigit)
        // Side by side is still "several digits", however sure.
        let twoMarks = InkMarks(pieces: 5, sideBySide: 2, density: 0.3, aspect: 0.6)
        #expect(rule.verdict(probabilities: output(digit: 8, p: 0.99, notADigit: 0.001), marks: twoMarks) == .severalDigits)
    }

    @Test func theBarIsCalibratedOnValidationDigits() {
        // 1000 validation digits, a 4 at 0.5 with "not a digit" at 0.5·k/1000 (k = 1…1000): ratios k/1000.
        // The 0.4 % bar is the 5th largest ratio, 0.996: the 4 above it (0.997 … 1.0) are refused.
        let rows = (1...1000).map { k in output(digit: 4, p: 0.5, notADigit: 0.5 * Float(k) / 1000) }.shuffled()
        let bar = rule.calibrateNotADigitRatio(validationDigitProbabilities: rows)!
        #expect(abs(bar - 0.996) < 1e-4)
        // Sure digits: the bar goes down, but never below the floor.
        let sure = (0..<1000).map { _ in output(digit: 2, p: 0.99, notADigit: 0.000_1) }
        #expect(rule.calibrateNotADigitRatio(validationDigitProbabilities: sure) == RejectionRule.minimumNotADigitRatio)
        // The class already refuses 1 % of them by itself: the bar stays at 1 (the class must win).
        let refusing = sure.dropLast(10) + (0..<10).map { _ in output(digit: 2, p: 0.1, notADigit: 0.8) }
        #expect(rule.calibrateNotADigitRatio(validationDigitProbabilities: Array(refusing)) == 1)
        // No class, no digits: nothing to calibrate.
        #expect(RejectionRule(minimumConfidence: nil).calibrateNotADigitRatio(validationDigitProbabilities: rows) == nil)
        #expect(rule.calibrateNotADigitRatio(validationDigitProbabilities: []) == nil)
    }

    @Test("the grounds of a refusal name only what can refuse")
    func groundsInWords() {
        #expect(RejectionRule(minimumConfidence: nil).grounds == "the ink's shape")
        #expect(RejectionRule(minimumConfidence: 0.4187).grounds == "confidence below 0.4187 or the ink's shape")
        #expect(RejectionRule(minimumConfidence: 0, notADigitClass: 10).grounds == "the trained class or the ink's shape")
        #expect(
            RejectionRule(minimumConfidence: 0.5, notADigitClass: 10).grounds
                == "the trained class, confidence below 0.5000 or the ink's shape")
    }
}
