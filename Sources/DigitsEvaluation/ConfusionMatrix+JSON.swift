import DigitsData
/// A value for an extra top-level field of the JSON report (e.g. `"model"`, `"dataset"`, `"macro_f1"`).
public enum JSONValue: Equatable, Sendable {
    case string(String)
    case number(Double)
    case integer(Int)
    case bool(Bool)
}

extension ConfusionMatrix {
    /// The fixed top-level keys, in the order they are written.
    public static let jsonReportKeys = ["accuracy", "count", "unreadable", "confusion", "per_class"]

    /// The report as one JSON object, keys in this fixed order (consumers may rely on it):
    /// `accuracy`, `count`, `unreadable` (images with no ink, counted as mistakes), `confusion` (rows = true class), `per_class` (`digit`, `precision`,
    /// `recall`, `f1`, `support` per class), then `extraFields` in the order given.
    ///
    /// Written by hand rather than with `JSONEncoder`, whose key order is either unspecified or
    /// alphabetical; one row of the matrix and one class per line keeps it readable in a terminal.
    /// No trailing newline, so `print` gives exactly one.
    public func jsonReport(extraFields: KeyValuePairs<String, JSONValue> = [:]) throws(EvaluationError) -> String {
        for (key, _) in extraFields where Self.jsonReportKeys.contains(key) {
            throw .reservedJSONKey(key)
        }
        let rows = (0..<classes).map { "    [" + row(truth: $0).map(String.init).joined(separator: ", ") + "]" }
        let perClassLines = perClass.map { m in
            "    {\"digit\": \(m.digit), \"precision\": \(jsonNumber(m.precision)), \"recall\": \(jsonNumber(m.recall)), "
                + "\"f1\": \(jsonNumber(m.f1)), \"support\": \(m.support)}"
        }
        var fields = [
            "  \"accuracy\": \(jsonNumber(accuracy))",
            "  \"count\": \(count)",
            "  \"unreadable\": \(unreadable)",
            "  \"confusion\": [\n" + rows.joined(separator: ",\n") + "\n  ]",
            "  \"per_class\": [\n" + perClassLines.joined(separator: ",\n") + "\n  ]",
        ]
        for (key, value) in extraFields {
            fields.append("  \(JSONWriter.quoted(key)): \(jsonText(value))")
        }
        return "{\n" + fields.joined(separator: ",\n") + "\n}"
    }
}

private func jsonText(_ value: JSONValue) -> String {
    switch value {
    case let .string(text): return JSONWriter.quoted(text)
    case let .number(number): return jsonNumber(number)
    case let .integer(integer): return String(integer)
    case let .bool(flag): return flag ? "true" : "false"
    }
}

/// Shortest text that reads back as the same `Double` (Swift's `description`): `0.981`, `1.0`, `1e-05`.
/// JSON has no NaN or infinity; the metrics never produce them, and a caller's extra field that does becomes `null`.
private func jsonNumber(_ value: Double) -> String {
    value.isFinite ? value.description : "null"
}

