import DigitsJSON

/// The API's OpenAPI document. Written once, as JSON, in `Resources/openapi.json` (read with the
/// project's one JSON parser, so a test can walk it) and served as YAML at `/openapi.yaml`.
public enum OpenAPIDocument {
    /// The document as embedded in the binary.
    public static func load() throws -> JSONValue {
        try JSONParser.parse(PackageResources.openapi_json)
    }

    /// YAML for a JSON value, in block style. Every string is written in JSON's double-quoted form,
    /// which YAML reads as the same string (so no value can turn into a number, a bool or null);
    /// keys are left bare only when they are plain words.
    public static func yaml(_ value: JSONValue) -> String {
        var lines: [String] = []
        emit(value, indent: "", into: &lines)
        return lines.joined(separator: "\n") + "\n"
    }

    private static func emit(_ value: JSONValue, indent: String, into lines: inout [String]) {
        switch value {
        case .object(let members):
            for (key, member) in members {
                if let inline = inlineText(member) {
                    lines.append("\(indent)\(yamlKey(key)): \(inline)")
                } else {
                    lines.append("\(indent)\(yamlKey(key)):")
                    emit(member, indent: indent + "  ", into: &lines)
                }
            }
        case .array(let items):
            for item in items {
                if let inline = inlineText(item) {
                    lines.append("\(indent)- \(inline)")
                } else {
                    // The item's first line goes after the dash; the rest line up under it.
                    var nested: [String] = []
                    emit(item, indent: indent + "  ", into: &nested)
                    if let first = nested.first {
                        lines.append(indent + "- " + first.dropFirst(indent.count + 2))
                        lines += nested.dropFirst()
                    }
                }
            }
        default:
            lines.append(indent + (inlineText(value) ?? ""))
        }
    }

    /// A scalar or an empty container on one line; nil for what needs lines of its own.
    private static func inlineText(_ value: JSONValue) -> String? {
        switch value {
        case .object(let members): members.isEmpty ? "{}" : nil
        case .array(let items): items.isEmpty ? "[]" : nil
        case .string(let text): JSONWriter.quoted(text)
        case .number(let text): text
        case .bool(let flag): flag ? "true" : "false"
        case .null: "null"
        }
    }

    private static func yamlKey(_ key: String) -> String {
        let plain =
            key.first.map { $0.isLetter || $0 == "_" } == true
            && key.allSatisfy { ($0.isASCII && ($0.isLetter || $0.isNumber)) || $0 == "_" || $0 == "-" }
        return plain && !["true", "false", "null", "yes", "no", "on", "off"].contains(key.lowercased()) ? key : JSONWriter.quoted(key)
    }
}
