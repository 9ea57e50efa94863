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
