import DigitsData
import DigitsJSON

/// What the network said about one picture: the ten probabilities and the verdict. Its JSON object
/// is the one `digits classify --json` prints per file and `POST /api/classify` answers, built here
/// once for both.
public struct Classification: Sendable, Equatable {
    /// The ten digits' probabilities (a model's trained "not a digit" output is apart, in `notADigit`).
    public var probabilities: [Float]
    public var verdict: Verdict
    /// The probability of the model's "not a digit" class, for a model that has one.
    public var notADigit: Float?

    public init(probabilities: [Float], verdict: Verdict, notADigit: Float? = nil) {
        self.probabilities = probabilities
        self.verdict = verdict
        self.notADigit = notADigit
    }

    /// Class indices from most to least probable; ties keep the smaller index first.
    public var ranked: [Int] {
        probabilities.indices.sorted { probabilities[$0] > probabilities[$1] || (probabilities[$0] == probabilities[$1] && $0 < $1) }
    }

    /// `{"file", "digit" (null unless the verdict is a digit), "verdict", "confidence", "probabilities"}`,
    /// then `"not_a_digit"` for a model with that class, and `"top"` (the `top` most probable digits with
    /// their probabilities) when `top > 1`.
    public func json(file: String, top: Int = 1) -> JSONValue {
        let order = ranked
        var object: [(key: String, value: JSONValue)] = [
            ("file", .string(file)),
            ("digit", verdict == .digit ? .integer(order[0]) : .null),
            ("verdict", .string(verdict.rawValue)),
            ("confidence", .float(probabilities[order[0]])),
            ("probabilities", .array(probabilities.map(JSONValue.float)))
        ]
        if let notADigit { object.append(("not_a_digit", .float(notADigit))) }
        if top > 1 {
            let shown = order.prefix(top)
            object.append(("top", .array(shown.map { .object([("digit", .integer($0)), ("probability", .float(probabilities[$0]))]) })))
        }
        return .object(object)
    }

    /// The line `classify --json` prints for a file it could not read: `{"file", "error"}`.
    public static func errorJSON(file: String, problem: String) -> JSONValue {
        .object([("file", .string(file)), ("error", .string(problem))])
    }
}

extension Classification {
    /// One picture's classification from the network's outputs for each of its readings
    /// (`Preprocessor.readings(of:)`: one, or two for a picture read both ways round, with `marks`
    /// the ink's shape of each): of the readings `rule` takes for a digit (all of them when it takes
    /// none, or when not `rejecting`), the one whose most probable digit is more probable is kept (the
    /// first on a tie), its ten digits' probabilities shown apart from a "not a digit" output, and its
    /// verdict given by `rule` — or always a digit when not `rejecting` (`classify --no-reject`).
    /// Why a digit first: a thick 1 filling its frame read the wrong way round is two strips of paper
    /// side by side, "several digits" with a surer digit than the right reading's (suite seed 2,
    /// frame-filling 16×16: 92.0 → 93.0 %, seed 5 94.0 → 94.5 %, seeds 1 and 3 (n 500) the same; no
    /// non-digit row of the four seeds changed).
    /// `chosen` is the kept reading's index, for what the caller keeps of it (its input).
    /// `digits classify` and `digits serve` both answer this way.
    public static func bestReading(
        outputs: [[Float]], marks: [InkMarks], rule: RejectionRule, rejecting: Bool = true
    ) -> (classification: Classification, chosen: Int) {
        // Each reading's verdict once: it picks the candidates and is the kept reading's answer.
        let verdicts = rejecting ? outputs.indices.map { rule.verdict(probabilities: outputs[$0], marks: marks[$0]) } : []
        let accepted = verdicts.indices.filter { verdicts[$0] == .digit }
        let candidates = accepted.isEmpty ? Array(outputs.indices) : accepted
        let chosen =
            candidates.max { a, b in
                (rule.digitProbabilities(outputs[a]).max() ?? 0) < (rule.digitProbabilities(outputs[b]).max() ?? 0)
            } ?? 0
        let output = outputs[chosen]
        let classification = Classification(
            probabilities: rule.digitProbabilities(output),
            verdict: rejecting ? verdicts[chosen] : .digit,
            notADigit: rule.notADigitClass.map { output[$0] })
        return (classification, chosen)
    }
}
