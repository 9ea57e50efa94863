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
                            ("probabilities", .array(digit.probabilities.map(JSONValue.float)))
                        ]
                        if let inputs, index < inputs.count { object.append(("input", .string(inputs[index]))) }
                        return .object(object)
                    })
            )
        ])
    }
}
