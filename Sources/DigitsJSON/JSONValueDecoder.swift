/// A `Decoder` over a parsed `JSONValue`: how `JSONCoding.decode` turns JSON into typed values.
///
/// Why not Foundation's `JSONDecoder`: the text has already passed `JSONParser` (strict, exact
/// numbers), and starting `JSONDecoder` for the few small values of a model file cost about half a
/// millisecond of every `digits classify` process — more than reading the megabyte of weights.
/// It reads what `JSONDecoder` reads for this project's types, with the same key conversions:
/// `.snakeCase` turns each object key into camelCase before matching (`target_box_size` →
/// `targetBoxSize`, Foundation's `convertFromSnakeCase`), and `acceptingNonFiniteStrings` reads
/// `"nan"`, `"inf"` and `"-inf"` as `Float`/`Double` (format-1 model files). Numbers are read from
/// their text: `Float("0.1")`, `Int("16")`; an integer type also takes a number written with a
/// fraction or exponent if its value is exactly an integer in range, as `JSONDecoder` does.
/// `JSONCodingTests` compares it with `JSONDecoder` on the settings and records model files hold.
struct JSONValueDecoder: Decoder {
    struct Options {
        var keys: JSONCoding.Keys
        var acceptingNonFiniteStrings: Bool
    }

    let value: JSONValue
    let options: Options
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard case .object(let members) = value else {
            throw mismatch([String: JSONValue].self, "an object")
        }
        var byKey: [String: JSONValue] = [:]
        for (key, member) in members {
            let converted = options.keys == .snakeCase ? Self.camelCase(key) : key
            if byKey[converted] == nil { byKey[converted] = member }  // the first of two that convert alike, as Foundation
        }
        return KeyedDecodingContainer(KeyedContainer<Key>(members: byKey, options: options, codingPath: codingPath))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        guard case .array(let elements) = value else { throw mismatch([JSONValue].self, "an array") }
        return UnkeyedContainer(elements: elements, options: options, codingPath: codingPath)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer {
        SingleValueContainer(value: value, options: options, codingPath: codingPath)
    }

    private func mismatch(_ type: Any.Type, _ expected: String) -> DecodingError {
        .typeMismatch(
            type, .init(codingPath: codingPath, debugDescription: "expected \(expected), found \(value.kindDescription)"))
    }

    /// Foundation's `convertFromSnakeCase`: leading and trailing underscores kept, the words between
    /// underscores joined with the first lower-cased and the others capitalised; a key without an
    /// inner underscore unchanged.
    static func camelCase(_ key: String) -> String {
        guard let first = key.firstIndex(where: { $0 != "_" }) else { return key }
        guard let last = key.lastIndex(where: { $0 != "_" }) else { return key }
        let words = key[first...last].split(separator: "_")
        guard words.count > 1 else { return key }
        let joined = ([words[0].lowercased()] + words.dropFirst().map { $0.prefix(1).uppercased() + $0.dropFirst().lowercased() }).joined()
        return String(key[..<first]) + joined + String(key[key.index(after: last)...])
    }
}

// MARK: - Scalars

extension JSONValueDecoder {
    /// The scalar reading every container shares.
    fileprivate static func decodeScalar<T: Decodable>(
        _ type: T.Type, from value: JSONValue, options: Options, codingPath: [any CodingKey]
    ) throws -> T {
        func mismatch(_ expected: String) -> DecodingError {
            .typeMismatch(
                type, .init(codingPath: codingPath, debugDescription: "expected \(expected), found \(value.kindDescription)"))
        }
        // `as? T` below only re-labels a value already known to be a T (no conformance lookup).
        func typed(_ decoded: Any) throws -> T {
            guard let decoded = decoded as? T else { throw mismatch("\(T.self)") }
            return decoded
        }
        switch type {
        case is String.Type:
            guard case .string(let text) = value else { throw mismatch("a string") }
            return try typed(text)
        case is Bool.Type:
            guard case .bool(let flag) = value else { throw mismatch("true or false") }
            return try typed(flag)
        case is Float.Type: return try typed(floatingPoint(Float.self, value, options: options, mismatch: mismatch))
        case is Double.Type: return try typed(floatingPoint(Double.self, value, options: options, mismatch: mismatch))
        case is Int.Type: return try typed(integer(Int.self, value, mismatch: mismatch))
        case is Int8.Type: return try typed(integer(Int8.self, value, mismatch: mismatch))
        case is Int16.Type: return try typed(integer(Int16.self, value, mismatch: mismatch))
        case is Int32.Type: return try typed(integer(Int32.self, value, mismatch: mismatch))
        case is Int64.Type: return try typed(integer(Int64.self, value, mismatch: mismatch))
        case is UInt.Type: return try typed(integer(UInt.self, value, mismatch: mismatch))
        case is UInt8.Type: return try typed(integer(UInt8.self, value, mismatch: mismatch))
        case is UInt16.Type: return try typed(integer(UInt16.self, value, mismatch: mismatch))
        case is UInt32.Type: return try typed(integer(UInt32.self, value, mismatch: mismatch))
        case is UInt64.Type: return try typed(integer(UInt64.self, value, mismatch: mismatch))
        default:
            // Optional, arrays, enums and structs decode themselves through the containers.
            return try T(from: JSONValueDecoder(value: value, options: options, codingPath: codingPath))
        }
    }

    private static func floatingPoint<F: BinaryFloatingPoint & LosslessStringConvertible>(
        _ type: F.Type, _ value: JSONValue, options: Options, mismatch: (String) -> DecodingError
    ) throws -> F {
        switch value {
        case .number(let text):
            guard let number = F(text), number.isFinite else { throw mismatch("a number that fits in \(F.self)") }
            return number
        case .string(let text) where options.acceptingNonFiniteStrings:
            switch text {
            case "nan": return .nan
            case "inf": return .infinity
            case "-inf": return -.infinity
            default: throw mismatch("a number, \"nan\", \"inf\" or \"-inf\"")
            }
        default:
            throw mismatch("a number")
        }
    }

    private static func integer<I: FixedWidthInteger>(
        _ type: I.Type, _ value: JSONValue, mismatch: (String) -> DecodingError
    ) throws -> I {
        guard case .number(let text) = value else { throw mismatch("a number") }
        if let exact = I(text) { return exact }
        guard let number = Double(text), let exact = I(exactly: number) else {
            throw mismatch("an integer that fits in \(I.self)")
        }
        return exact
    }
}

// MARK: - Containers

private struct KeyedContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let members: [String: JSONValue]
    let options: JSONValueDecoder.Options
    let codingPath: [any CodingKey]

    var allKeys: [Key] { members.keys.compactMap { Key(stringValue: $0) } }

    func contains(_ key: Key) -> Bool { members[key.stringValue] != nil }

    private func member(_ key: Key) throws -> JSONValue {
        guard let value = members[key.stringValue] else {
            throw DecodingError.keyNotFound(
                key, .init(codingPath: codingPath, debugDescription: "no value for \"\(key.stringValue)\""))
        }
        return value
    }

    func decodeNil(forKey key: Key) throws -> Bool {
        if case .null = try member(key) { return true }
        return false
    }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        try JSONValueDecoder.decodeScalar(type, from: try member(key), options: options, codingPath: codingPath + [key])
    }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws
        -> KeyedDecodingContainer<NestedKey>
    {
        try JSONValueDecoder(value: try member(key), options: options, codingPath: codingPath + [key]).container(keyedBy: type)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        try JSONValueDecoder(value: try member(key), options: options, codingPath: codingPath + [key]).unkeyedContainer()
    }

    func superDecoder() throws -> any Decoder {
        JSONValueDecoder(value: members["super"] ?? .null, options: options, codingPath: codingPath)
    }

    func superDecoder(forKey key: Key) throws -> any Decoder {
        JSONValueDecoder(value: members[key.stringValue] ?? .null, options: options, codingPath: codingPath + [key])
    }
}

/// An array index as a coding key (for paths in errors).
private struct IndexKey: CodingKey {
    var stringValue: String { "Index \(intValue ?? 0)" }
    var intValue: Int?
    init(_ index: Int) { intValue = index }
    init?(stringValue: String) { nil }
    init?(intValue: Int) { self.intValue = intValue }
}

private struct UnkeyedContainer: UnkeyedDecodingContainer {
    let elements: [JSONValue]
    let options: JSONValueDecoder.Options
    let codingPath: [any CodingKey]
    var currentIndex = 0

    init(elements: [JSONValue], options: JSONValueDecoder.Options, codingPath: [any CodingKey]) {
        self.elements = elements
        self.options = options
        self.codingPath = codingPath
    }

    var count: Int? { elements.count }
    var isAtEnd: Bool { currentIndex >= elements.count }

    private mutating func next(_ type: Any.Type) throws -> (JSONValue, [any CodingKey]) {
        guard !isAtEnd else {
            throw DecodingError.valueNotFound(
                type, .init(codingPath: codingPath + [IndexKey(currentIndex)], debugDescription: "unkeyed container is at its end"))
        }
        defer { currentIndex += 1 }
        return (elements[currentIndex], codingPath + [IndexKey(currentIndex)])
    }

    mutating func decodeNil() throws -> Bool {
        guard !isAtEnd, case .null = elements[currentIndex] else { return false }
        currentIndex += 1
        return true
    }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
        let (value, path) = try next(type)
        return try JSONValueDecoder.decodeScalar(type, from: value, options: options, codingPath: path)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws
        -> KeyedDecodingContainer<NestedKey>
    {
        let (value, path) = try next(KeyedDecodingContainer<NestedKey>.self)
        return try JSONValueDecoder(value: value, options: options, codingPath: path).container(keyedBy: type)
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
        let (value, path) = try next((any UnkeyedDecodingContainer).self)
        return try JSONValueDecoder(value: value, options: options, codingPath: path).unkeyedContainer()
    }

    mutating func superDecoder() throws -> any Decoder {
        let (value, path) = try next((any Decoder).self)
        return JSONValueDecoder(value: value, options: options, codingPath: path)
    }
}

private struct SingleValueContainer: SingleValueDecodingContainer {
    let value: JSONValue
    let options: JSONValueDecoder.Options
    let codingPath: [any CodingKey]

    func decodeNil() -> Bool {
        if case .null = value { return true }
        return false
    }

    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        try JSONValueDecoder.decodeScalar(type, from: value, options: options, codingPath: codingPath)
    }
}
