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
/// Two kinds of evidence, measured (tools/reject_tradeoff.sh prints the trade-off):
/// - the network's confidence (its largest probability) below `minimumConfidence`, a threshold
///   calibrated on the validation split when the model was trained so that 0.2 % of validation
///   digits fall below it (recorded in the model file; a model without it refuses nothing on this
///   ground);
/// - the ink's shape (`InkMarks`): more than `maximumPieces` pieces (noise, a smiley's eyes and
///   mouth), a box more than `maximumDensity` inked unless it is thin (a blob; a "1"'s box is its
///   stroke), or several digit-sized pieces side by side. On MNIST test these refuse about
///   0.15 %: 4 or more pieces of ≥ 0.5 % of the ink in 0.07 % (99.9 % have at most 3), density
///   above 0.76 with aspect above 0.3 in 0.1 %, side by side in 0.03 %.
public struct RejectionRule: Sendable, Equatable {
    public var minimumConfidence: Float?
    public var maximumPieces = 3
    public var maximumDensity: Float = 0.76
    /// The density limit applies to boxes at least this square.
    public var densityMinimumAspect: Float = 0.3

    public init(minimumConfidence: Float?) {
        self.minimumConfidence = minimumConfidence
    }

    /// Metadata key (in the model's provenance) of the calibrated confidence threshold.
    public static let metadataKey = "reject_confidence"
    /// Share of validation digits the calibrated threshold refuses.
    public static let validationRejectShare = 0.002

    /// The confidence below which `share` of these maximum probabilities fall (the ⌊share·n⌋-th
    /// smallest); nil when there are none.
    public static func calibrate(maximumProbabilities: [Float], share: Double = validationRejectShare) -> Float? {
        guard !maximumProbabilities.isEmpty else { return nil }
        let sorted = maximumProbabilities.sorted()
        return sorted[min(sorted.count - 1, Int(share * Double(sorted.count)))]
    }

    public func verdict(probabilities: [Float], marks: InkMarks?) -> Verdict {
        if let marks {
            if marks.sideBySide >= 2 { return .severalDigits }
            if marks.pieces > maximumPieces || (marks.density > maximumDensity && marks.aspect > densityMinimumAspect) {
                return .notADigit
            }
        }
        if let minimumConfidence, (probabilities.max() ?? 0) < minimumConfidence { return .notADigit }
        return .digit
    }
}
