import DigitsJSON

extension ConfusionMatrix {
    /// The fixed top-level keys, in the order they are written.
    public static let jsonReportKeys = ["accuracy", "count", "unreadable", "confusion", "per_class", "macro_avg", "weighted_avg"]

    /// The report as one JSON object, keys in this fixed order (consumers may rely on it):
    /// `accuracy`, `count`, `unreadable` (images with no ink, counted as mistakes), `confusion` (rows = true
    /// class), `per_class` (`digit`, `precision`, `recall`, `f1`, `support` per class), `macro_avg` and
    /// `weighted_avg` (`precision`, `recall`, `f1`, `support`, as scikit-learn's report), then `extraFields`
    /// (e.g. `model`, `dataset`) in the order given.
    public func jsonReportValue(extraFields: KeyValuePairs<String, JSONValue> = [:]) throws(EvaluationError) -> JSONValue {
        for (key, _) in extraFields where Self.jsonReportKeys.contains(key) {
            throw .reservedJSONKey(key)
        }
        let perClassObjects: [JSONValue] = perClass.map { m in
            .object([
                ("digit", .integer(m.digit)), ("precision", .double(m.precision)), ("recall", .double(m.recall)),
                ("f1", .double(m.f1)), ("support", .integer(m.support))
            ])
        }
        var fields: [(key: String, value: JSONValue)] = [
            ("accuracy", .double(accuracy)),
            ("count", .integer(count)),
            ("unreadable", .integer(unreadable)),
            ("confusion", .array((0..<classes).map { .array(row(truth: $0).map(JSONValue.integer)) })),
            ("per_class", .array(perClassObjects))
        ]
        for average in averages {
            fields.append(
                (
                    average.name + "_avg",
                    .object([
                        ("precision", .double(average.precision)), ("recall", .double(average.recall)),
                        ("f1", .double(average.f1)), ("support", .integer(average.support))
                    ])
                ))
        }
        for (key, value) in extraFields { fields.append((key, value)) }
        return .object(fields)
    }

    /// `jsonReportValue` as text, `JSONWriter`'s pretty layout: one row of the matrix and one class
    /// per line, readable in a terminal. No trailing newline, so `print` gives exactly one.
    public func jsonReport(extraFields: KeyValuePairs<String, JSONValue> = [:]) throws(EvaluationError) -> String {
        JSONWriter.write(try jsonReportValue(extraFields: extraFields), style: .pretty)
    }
}
