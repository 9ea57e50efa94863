/// The one JSON writer of the project: model-file headers and metadata, the evaluation report and
/// `classify --json` are all written through it, so every string is escaped and every number
/// formatted the same way (`JSONValue.float`/`double`: shortest round-trip text, never NaN or ∞).
public enum JSONWriter {
    /// How much white space goes between tokens.
    public enum Style: Sendable {
        /// No white space at all: `{"a":[1,2]}` (model-file headers and metadata).
        case compact
        /// One line, a space after each `,` and `:`: `{"a": [1, 2]}` (`classify --json`).
        case line
        /// A container holding containers puts each element on its own line, indented by two
        /// spaces; one holding only strings, numbers and literals stays on one line as in `.line`.
        /// So a report's matrix is one row per line and its per-class list one class per line.
        case pretty
    }

    /// `value` as JSON text, with no trailing newline.
    public static func write(_ value: JSONValue, style: Style = .compact) -> String {
        var output = ""
        write(value, style: style, indent: 0, into: &output)
        return output
    }

    /// `text` as a JSON string literal (see `escaped`).
    public static func quoted(_ text: String) -> String {
        "\"" + escaped(text) + "\""
    }

    /// `text` escaped as inside a JSON string literal, without the quotes: `"` and `\` escaped, and
    /// every character that a terminal would act on rather than show — C0 and C1 control characters
    /// (ESC included, so no escape sequence survives), DEL, the line and paragraph separators and the
    /// bidirectional overrides — written as `\n`, `\t`, … or `\uXXXX`. The rest stays UTF-8.
    /// The result is valid inside JSON and safe to print, so text from a file (a model's class
    /// labels, metadata) is shown through this.
    public static func escaped(_ text: String) -> String {
        var result = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case "\u{08}": result += "\\b"
            case "\u{0C}": result += "\\f"
            case _ where needsEscape(scalar):
                let hex = String(scalar.value, radix: 16)
                result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    /// `text` unchanged when it holds no control character, else its `escaped` form (quotes and
    /// backslashes escaped too, so the escapes read unambiguously): for labels and names shown to
    /// people, who should see `7` and not `"7"`.
    public static func terminalSafe(_ text: String) -> String {
        containsControlCharacters(text) ? escaped(text) : text
    }

    /// Whether `text` holds a character that `escaped` writes as an escape because a terminal would
    /// act on it (a control character, an escape sequence's ESC, a bidirectional override).
    public static func containsControlCharacters(_ text: String) -> Bool {
        text.unicodeScalars.contains(where: needsEscape)
    }

    /// Control characters (C0, DEL, C1), U+2028/2029 and the bidirectional embeddings, overrides and
    /// isolates (U+202A…U+202E, U+2066…U+2069): all BMP, so one `\uXXXX` each.
    private static func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0..<0x20, 0x7F...0x9F, 0x2028, 0x2029, 0x202A...0x202E, 0x2066...0x2069: true
        default: false
        }
    }

    private static func write(_ value: JSONValue, style: Style, indent: Int, into output: inout String) {
        switch value {
        case .string(let text): output += quoted(text)
        case .number(let text): output += text
        case .bool(let flag): output += flag ? "true" : "false"
        case .null: output += "null"
        case .array(let elements):
            writeContainer(elements.map { (nil, $0) }, open: "[", close: "]", style: style, indent: indent, into: &output)
        case .object(let members):
            writeContainer(
                members.map { ($0.key, $0.value) }, open: "{", close: "}", style: style, indent: indent,
                into: &output)
        }
    }

    private static func writeContainer(
        _ items: [(key: String?, value: JSONValue)], open: String, close: String,
        style: Style, indent: Int, into output: inout String
    ) {
        let multiline =
            style == .pretty
            && items.contains { item in
                switch item.value {
                case .array, .object: true
                default: false
                }
            }
        let (comma, colon) = style == .compact ? (",", ":") : (", ", ": ")
        output += open
        for (index, item) in items.enumerated() {
            if multiline {
                output += (index == 0 ? "\n" : ",\n") + String(repeating: " ", count: indent + 2)
            } else if index > 0 {
                output += comma
            }
            if let key = item.key { output += quoted(key) + colon }
            write(item.value, style: style, indent: indent + 2, into: &output)
        }
        if multiline { output += "\n" + String(repeating: " ", count: indent) }
        output += close
    }
}
