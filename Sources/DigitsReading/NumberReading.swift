import DigitsData
import DigitsEvaluation

/// What `digits read` found in one picture.
public struct NumberReading: Sendable {
    /// Left to right.
    public var digits: [ReadDigit]
    /// The height (pixels) of a digit of this number, as the marks were judged by.
    public var lineHeight: Int

    public init(digits: [ReadDigit], lineHeight: Int) {
        self.digits = digits
        self.lineHeight = lineHeight
    }

    /// The number as text, a refused mark as `?`.
    public var text: String { digits.map { $0.verdict == .digit ? String($0.digit) : "?" }.joined() }

    /// Every mark read as a digit (none refused), and at least one mark.
    public var isComplete: Bool { !digits.isEmpty && digits.allSatisfy { $0.verdict == .digit } }
}

/// One digit of a number.
public struct ReadDigit: Sendable {
    /// Where its ink is in the picture.
    public var box: PixelBox
    /// The 16 × 16 the network saw, row-major, ink high.
    public var input: [Float]
    /// The network's output: the ten digits, then "not a digit" for a model trained with that class.
    public var probabilities: [Float]
    public var verdict: Verdict

    /// The most probable digit (the answer when the verdict is `.digit`); a trained "not a digit"
    /// output (index 10) is never the answer, only a reason for the verdict.
    public var digit: Int { likeliestDigit(probabilities) }
    public var confidence: Float { digitConfidence(probabilities) }
}

/// Of a network output's ten digits, the most probable: a trained "not a digit" output (index 10)
/// is never a reading.
func likeliestDigit(_ probabilities: [Float]) -> Int {
    let digits = probabilities.prefix(10)
    return digits.indices.max { digits[$0] < digits[$1] } ?? 0
}

/// The most probable digit's probability (the same ten).
func digitConfidence(_ probabilities: [Float]) -> Float { probabilities.prefix(10).max() ?? 0 }
