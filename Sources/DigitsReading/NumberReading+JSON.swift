import DigitsJSON

extension NumberReading {
    /// `read --json`'s line for one picture: the number, whether every mark was read, and each
    /// digit with its box (pixels, top-left origin), verdict, confidence and probabilities;
    /// `inputs[k]`, when given, is where digit k's 16 × 16 was saved.
    public func json(file: String, inputs: [String]? = nil) -> JSONValue {
        .object([
            ("file", .string(file)),
            ("number", .string(text)),
            ("complete", .bool(isComplete)),
            (
                "digits",
                .array(
                    digits.enumerated().map { index, digit in
                        var object: [(key: String, value: JSONValue)] = [
                            ("digit", digit.verdict == .digit ? .integer(digit.digit) : .null),
                            ("verdict", .string(digit.verdict.rawValue)),
                            ("confidence", .float(digit.confidence)),
                            (
                                "box",
                                .object([
                                    ("x", .integer(digit.box.minX)), ("y", .integer(digit.box.minY)),
                                    ("width", .integer(digit.box.width)), ("height", .integer(digit.box.height))
                                ])
                            ),
                            ("probabilities", .array(digit.probabilities.prefix(10).map(JSONValue.float)))
                        ]
                        // A model's trained "not a digit" output, shown apart as by classify.
                        if digit.probabilities.count > 10 { object.append(("not_a_digit", .float(digit.probabilities[10]))) }
                        if let inputs, index < inputs.count { object.append(("input", .string(inputs[index]))) }
                        return .object(object)
                    })
            )
        ])
    }
}
