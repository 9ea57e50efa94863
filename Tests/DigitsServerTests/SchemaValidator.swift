import DigitsJSON

/// Checks a JSON value against a schema of the OpenAPI document: the subset the document uses
/// (`$ref`, `type`, `nullable`, `enum`, `oneOf`, `required`, `properties`, `additionalProperties`,
/// `items`, `minItems`/`maxItems`, `minimum`/`maximum`). Returns the problems found, empty when it fits.
struct SchemaValidator {
    let document: JSONValue

    func problems(_ value: JSONValue, against schema: JSONValue, at path: String = "$") -> [String] {
        if let reference = schema["$ref"]?.stringValue {
            guard let resolved = resolve(reference) else { return ["\(path): unresolvable \(reference)"] }
            return problems(value, against: resolved, at: path)
        }
        if case .array(let choices)? = schema["oneOf"] {
            let fitting = choices.filter { problems(value, against: $0, at: path).isEmpty }.count
            return fitting == 1 ? [] : ["\(path): fits \(fitting) of the oneOf choices, not exactly one"]
        }
        if value == .null {
            return schema["nullable"] == .bool(true) || schema["type"] == nil ? [] : ["\(path): null where not nullable"]
        }
        var found: [String] = []
        if case .array(let allowed)? = schema["enum"], !allowed.contains(value) {
            found.append("\(path): \(JSONWriter.write(value)) not among \(JSONWriter.write(.array(allowed)))")
        }
        switch (schema["type"]?.stringValue, value) {
        case (nil, _): break
        case ("object", .object(let members)):
            let keys = members.map(\.key)
            if case .array(let required)? = schema["required"] {
                for key in required.compactMap(\.stringValue) where !keys.contains(key) { found.append("\(path): no \(key)") }
            }
            let properties = schema["properties"]
            for (key, member) in members {
                if let property = properties?[key] {
                    found += problems(member, against: property, at: "\(path).\(key)")
                } else if schema["additionalProperties"] == .bool(false) {
                    found.append("\(path): \(key) is not in the schema")
                } else if let extra = schema["additionalProperties"], case .object = extra {
                    found += problems(member, against: extra, at: "\(path).\(key)")
                }
            }
        case ("array", .array(let items)):
            if let minimum = schema["minItems"]?.nonNegativeInteger, items.count < minimum {
                found.append("\(path): \(items.count) items < \(minimum)")
            }
            if let maximum = schema["maxItems"]?.nonNegativeInteger, items.count > maximum {
                found.append("\(path): \(items.count) items > \(maximum)")
            }
            if let itemSchema = schema["items"] {
                for (index, item) in items.enumerated() { found += problems(item, against: itemSchema, at: "\(path)[\(index)]") }
            }
        case ("string", .string): break
        case ("integer", .number(let text)) where Int(text) != nil: found += bounds(Double(text) ?? 0, schema, path)
        case ("number", .number(let text)): found += bounds(Double(text) ?? .nan, schema, path)
        case ("boolean", .bool): break
        case (let type?, _): found.append("\(path): \(value.kindDescription) where \(type) is expected")
        }
        return found
    }

    private func bounds(_ number: Double, _ schema: JSONValue, _ path: String) -> [String] {
        var found: [String] = []
        if let minimum = schema["minimum"]?.doubleValue, !(number >= minimum) { found.append("\(path): \(number) < \(minimum)") }
        if let maximum = schema["maximum"]?.doubleValue, !(number <= maximum) { found.append("\(path): \(number) > \(maximum)") }
        return found
    }

    /// `#/components/schemas/Name`.
    private func resolve(_ reference: String) -> JSONValue? {
        guard reference.hasPrefix("#/") else { return nil }
        var node: JSONValue? = document
        for key in reference.dropFirst(2).split(separator: "/") { node = node?[String(key)] }
        return node
    }

    /// The schema of the JSON response `status` of `method` on `path`, if the document has one.
    func responseSchema(path: String, method: String, status: Int) -> JSONValue? {
        document["paths"]?[path]?[method]?["responses"]?[String(status)]?["content"]?["application/json"]?["schema"]
    }
}
