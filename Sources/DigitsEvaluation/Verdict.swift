import DigitsCore
import DigitsData

/// What `classify` answers about one picture.
public enum Verdict: String, Sendable, Equatable, CaseIterable {
    /// One digit: the most probable class is the answer.
    case digit
    /// Not one digit: the network is unsure, or the ink is not shaped like a digit.
    case notADigit = "not-a-digit"
    /// Several separated marks of digit size, side by side (reading them is another job).
    case severalDigits = "several-digits"
}

/// When a picture is refused instead of read.
///
/// Two kinds of evidence, measured (tools/reject_tradeoff.py prints the trade-off):
/// - the network's confidence (its largest probability) below `minimumConfidence`, a threshold
///   calibrated on the validation split when the model was trained so that 0.2 % of validation
///   digits fall below it (recorded in the model file; a model without it refuses nothing on this
///   ground);
/// - the ink's shape (`InkMarks`): more than `maximumPieces` pieces (noise, a smiley's eyes and
///   mouth), a box more than `maximumDensity` inked unless it is thin (a blob; a "1"'s box is its
///   stroke; not for a model with a trained "not a digit" class, see `init(model:confidence:)` in
///   DigitsCommands; nor the pieces when such a model is at least `sureDigitConfidence` sure of a
///   digit), a dot above or below the stroke (`refusesDots`), or several digit-sized pieces side by
///   side. On MNIST test these refuse about
///   0.15 %: 4 or more pieces of ≥ 0.5 % of the ink in 0.07 % (99.9 % have at most 3), density
///   above 0.76 with aspect above 0.3 in 0.1 %, side by side in 0.03 %.
public struct RejectionRule: Sendable, Equatable {
    public var minimumConfidence: Float?
    public var maximumPieces = 3
    public var maximumDensity: Float = 0.76
    /// The density limit applies to boxes at least this square.
    public var densityMinimumAspect: Float = 0.3
    /// The network output trained to mean "not a digit" (a model trained with the `nondigits` data
    /// set: 10, after the digits), or nil. The picture is refused when its probability exceeds
    /// `notADigitRatio` times the likeliest digit's.
    public var notADigitClass: Int?
    /// How close "not a digit" may come to the likeliest digit before the picture is refused: 1 refuses
    /// only when the class is the most probable; a model calibrates a lower bar on its validation digits
    /// (`calibrateNotADigitRatio`), because a picture whose "not a digit" is a close second is mostly
    /// not a digit (on suite seed 5, 0.7 refused 1.9 points more non-digits for 0.08 points more
    /// MNIST test digits).
    public var notADigitRatio: Float = 1
    /// With a trained "not a digit" class, the likeliest digit's probability from which the count of
    /// pieces no longer refuses (on suite seed 2, 300 per kind, it then refused a thick-pen 8 and a
    /// photographed 7 read at 99.9 %, and no non-digit).
    public var sureDigitConfidence: Float = 0.9
    /// Whether a dot above or below the stroke (`InkMarks.dots`: a "!", "?", "i", "j") refuses, however
    /// sure the network is: it was trained on non-digits whose dots the photo path had dropped, so
    /// it reads a pen-drawn "!" as a 1 at 0.9 or more (robustness suite, symbols: "!" and "?" were 46
    /// of seed 3's 113 misses). On MNIST test it refuses 7 digits more (0.07 %), each with a speck
    /// or a broken-off piece above or below it; in the suite's digit rows (seeds 1–3) three broken ones.
    public var refusesDots = true

    public init(minimumConfidence: Float?, notADigitClass: Int? = nil, notADigitRatio: Float = 1) {
        self.minimumConfidence = minimumConfidence
        self.notADigitClass = notADigitClass
        self.notADigitRatio = notADigitRatio
    }

    /// Metadata key (in the model's provenance) of the calibrated confidence threshold.
    public static let metadataKey = "reject_confidence"
    /// Metadata key of the calibrated `notADigitRatio`.
    public static let ratioMetadataKey = "reject_not_a_digit_ratio"
    /// Share of validation digits the calibrated threshold refuses.
    public static let validationRejectShare = 0.002
    /// Share of validation digits the trained class may refuse once its bar is lowered
    /// (`calibrateNotADigitRatio`): issue 8 allows 0.5 % of MNIST test digits refused in all, and
    /// the shape rules refuse some too.
    public static let validationClassRejectShare = 0.004
    /// The lowest bar the calibration may set: "not a digit" at least half as probable as the likeliest
    /// digit. Below that the validation quantile stopped carrying over to test digits: a model trained
    /// for 80 epochs calibrated 0.35 on its validation digits and then refused 0.60 % of MNIST test.
    public static let minimumNotADigitRatio: Float = 0.5

    /// The confidence below which `share` of these maximum probabilities fall (the ⌊share·n⌋-th
    /// smallest); nil when there are none.
    public static func calibrate(maximumProbabilities: [Float], share: Double = validationRejectShare) -> Float? {
        guard !maximumProbabilities.isEmpty else { return nil }
        let sorted = maximumProbabilities.sorted()
        return sorted[min(sorted.count - 1, Int(share * Double(sorted.count)))]
    }

    /// The verdict on one picture from the network's output (all classes, the "not a digit" one
    /// included) and the shape of its ink.
    public func verdict(probabilities: [Float], marks: InkMarks?) -> Verdict {
        let digits = digitProbabilities(probabilities)
        let likeliestDigit = digits.max() ?? 0
        let refusedByClass = refusedByTrainedClass(probabilities, likeliestDigit: likeliestDigit)
        if let marks {
            if marks.sideBySide >= 2 { return .severalDigits }
            // With a trained class, a network sure of a digit outweighs a count of pieces: what the
            // count stood for (noise, a smiley) is what the class is trained to refuse, while a thick
            // pen's 8 or a photographed 7 with a speck or two beside it has more than three pieces.
            let sureOfADigit = notADigitClass != nil && !refusedByClass && likeliestDigit >= sureDigitConfidence
            if marks.dots > 0 && refusesDots { return .notADigit }
            if (marks.pieces > maximumPieces && !sureOfADigit)
                || (marks.density > maximumDensity && marks.aspect > densityMinimumAspect)
            {
                return .notADigit
            }
        }
        if refusedByClass { return .notADigit }
        if let minimumConfidence, likeliestDigit < minimumConfidence { return .notADigit }
        return .digit
    }

    /// Whether the trained "not a digit" output is above `notADigitRatio` times the likeliest digit.
    func refusedByTrainedClass(_ probabilities: [Float], likeliestDigit: Float) -> Bool {
        guard let notADigitClass, notADigitClass < probabilities.count else { return false }
        return probabilities[notADigitClass] > notADigitRatio * likeliestDigit
    }

    /// The probabilities of the ten digits alone: the network's output without the "not a digit"
    /// class, not renormalised (they sum to 1 − P(not a digit)), so a digit's probability still says
    /// how sure the network is that the picture is that digit.
    public func digitProbabilities(_ probabilities: [Float]) -> [Float] {
        guard let notADigitClass, notADigitClass < probabilities.count else { return probabilities }
        var digits = probabilities
        digits.remove(at: notADigitClass)
        return digits
    }

    /// The same for a batch: X (n, classes) → (n, classes − 1).
    public func digitProbabilities(_ probabilities: Matrix) -> Matrix {
        guard let notADigitClass, notADigitClass < probabilities.columns else { return probabilities }
        let classes = probabilities.columns
        var elements: [Float] = []
        elements.reserveCapacity(probabilities.rows * (classes - 1))
        for row in 0..<probabilities.rows {
            for column in 0..<classes where column != notADigitClass {
                elements.append(probabilities.elements[row * classes + column])
            }
        }
        return Matrix(rows: probabilities.rows, columns: classes - 1, elements: elements)
    }

    /// The confidence threshold for a model with a "not a digit" class: calibrated, as
    /// `calibrate(maximumProbabilities:)`, on the largest digit probability of each validation digit,
    /// where a digit the trained class already refuses counts as 0 (refused either way). When that
    /// class refuses more than `share` of the digits by itself the threshold refuses nothing more.
    public func calibrate(validationDigitProbabilities rows: [[Float]], share: Double = validationRejectShare) -> Float? {
        let scores = rows.map { probabilities -> Float in
            let likeliestDigit = digitProbabilities(probabilities).max() ?? 0
            return refusedByTrainedClass(probabilities, likeliestDigit: likeliestDigit) ? 0 : likeliestDigit
        }
        return Self.calibrate(maximumProbabilities: scores, share: share)
    }

    /// The bar for the trained class: the lowest ratio P(not a digit) / P(likeliest digit), between
    /// `minimumNotADigitRatio` and 1, above which no more than `share` of the validation digits lie
    /// (the ⌊share·n⌋-th largest of their ratios). 1 (only when the class is the most probable) when the
    /// class already refuses more than that; nil without the class or without digits.
    public func calibrateNotADigitRatio(validationDigitProbabilities rows: [[Float]], share: Double = validationClassRejectShare)
        -> Float?
    {
        guard let notADigitClass, !rows.isEmpty else { return nil }
        let ratios = rows.map { probabilities -> Float in
            guard notADigitClass < probabilities.count else { return 0 }
            let likeliestDigit = digitProbabilities(probabilities).max() ?? 0
            return likeliestDigit > 0 ? probabilities[notADigitClass] / likeliestDigit : .infinity
        }.sorted(by: >)
        let bar = ratios[min(ratios.count - 1, Int(share * Double(ratios.count)))]
        return min(1, max(Self.minimumNotADigitRatio, bar))
    }
}

extension RejectionRule {
    /// What refuses a picture, in words, for reports: e.g. "the trained class, confidence below
    /// 0.4187, or the ink's shape". A threshold of 0 refuses nothing and is left out.
    public var grounds: String {
        var parts: [String] = []
        if notADigitClass != nil {
            parts.append(
                notADigitRatio < 1
                    ? String(format: "the trained class at over %.2f × the likeliest digit", Double(notADigitRatio))
                    : "the trained class")
        }
        if let minimumConfidence, minimumConfidence > 0 {
            parts.append(String(format: "confidence below %.4f", Double(minimumConfidence)))
        }
        parts.append("the ink's shape")
        return parts.count == 1 ? parts[0] : parts.dropLast().joined(separator: ", ") + " or " + parts[parts.count - 1]
    }
}
