/// A JSON value: what `JSONParser` reads and `JSONWriter` writes. The one such type of the project.
///
/// Objects keep their members in order (reports and headers have a fixed key order) and numbers
/// keep their text, so that nothing is lost between reading and writing: `1` stays an integer, a
/// `UInt64` stays exact, a `Float` written by `float(_:)` reads back to the same bits.
public enum JSONValue: Equatable, Sendable {
    case object([(key: String, value: JSONValue)])
    case array([JSONValue])
    case string(String)
    /// The number's text exactly as written; build one with `integer`, `float` or `double`.
    case number(String)
    case bool(Bool)
    case null

    public static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
        switch (lhs, rhs) {
        case (.object(let a), .object(let b)):
            a.count == b.count && zip(a, b).allSatisfy { $0.key == $1.key && $0.value == $1.value }
        case (.array(let a), .array(let b)): a == b
        case (.string(let a), .string(let b)): a == b
        case (.number(let a), .number(let b)): a == b
        case (.bool(let a), .bool(let b)): a == b
        case (.null, .null): true
        default: false
        }
    }

    // MARK: - Building

    public static func integer(_ value: some BinaryInteger) -> JSONValue { .number(String(value)) }

    /// The project's one number format: Swift's `description`, the shortest text that reads back as
    /// the same `Float` (`0.1`, `1e-05`, `16.0`). JSON has no NaN or infinity: they become `null`.
    public static func float(_ value: Float) -> JSONValue { value.isFinite ? .number(value.description) : .null }

    /// As `float(_:)`, for a `Double`.
    public static func double(_ value: Double) -> JSONValue { value.isFinite ? .number(value.description) : .null }

    // MARK: - Reading

    /// The member `key` of an object (nil for other values or a missing key).
    public subscript(key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members.first(where: { $0.key == key })?.value
    }

    public var stringValue: String? {
        guard case .string(let text) = self else { return nil }
        return text
    }

    /// The number as the nearest `Double` (exact for every number `double(_:)` and `float(_:)` write).
    public var doubleValue: Double? {
        guard case .number(let text) = self else { return nil }
        return Double(text)
    }

    /// A non-negative integer written without fraction or exponent, if this is one that fits in `Int`.
    public var nonNegativeInteger: Int? {
        guard case .number(let text) = self, !text.isEmpty, text.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) else {
            return nil
        }
        return Int(text)
    }

    /// What kind of value this is, for error messages ("a string", "an array", …).
    public var kindDescription: String {
        switch self {
        case .object: "an object"
        case .array: "an array"
        case .string: "a string"
        case .number(let text): "the number \(text)"
        case .bool(let b): "\(b)"
        case .null: "null"
        }
    }

    /// This value with every object key, at any depth, replaced by `transform(key)`.
    public func mappingKeys(_ transform: (String) -> String) -> JSONValue {
        switch self {
        case .object(let members): .object(members.map { (transform($0.key), $0.value.mappingKeys(transform)) })
        case .array(let elements): .array(elements.map { $0.mappingKeys(transform) })
        default: self
        }
    }

    /// This object without the member `key` (other values unchanged).
    public func removing(_ key: String) -> JSONValue {
        guard case .object(let members) = self else { return self }
        return .object(members.filter { $0.key != key })
    }

    /// This object with `value` as its member `key`, replacing one of that name or appended at the end.
    public func setting(_ key: String, to value: JSONValue) -> JSONValue {
        guard case .object(var members) = self else { return self }
        if let index = members.firstIndex(where: { $0.key == key }) {
            members[index].value = value
        } else {
            members.append((key, value))
        }
        return .object(members)
    }
}
