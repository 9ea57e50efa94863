/// Where and why a text is not JSON: `offset` counts bytes from the start of the text.
public struct JSONParseError: Error, Equatable, Sendable, CustomStringConvertible {
    public var offset: Int
    public var message: String

    public init(offset: Int, message: String) {
        self.offset = offset
        self.message = message
    }

    public var description: String { "\(message) at byte \(offset)" }
}

/// The one JSON reader of the project: a strict RFC 8259 parser over UTF-8 bytes.
///
/// Ours rather than `JSONSerialization`: it keeps numbers exactly as written (data offsets are
/// `UInt64`-sized; a `Float` reads back bit for bit), tells `1` from `true` from `1.0`, refuses
/// duplicate keys, keeps the order of object members and limits nesting, so each kind of damage in a
/// model file's header gets its own precise error. Typed values (settings, history) are read from
/// JSON with `JSONCoding`, which is Foundation's `Codable`.
public struct JSONParser {
    private let bytes: [UInt8]
    private var position = 0
    private var depth = 0
    public static let maximumDepth = 64

    /// Parses `bytes`, which must be valid UTF-8 (callers check it: a byte offset is a better error).
    public static func parse(_ bytes: [UInt8]) throws(JSONParseError) -> JSONValue {
        var parser = JSONParser(bytes: bytes)
        parser.skipWhitespace()
        let value = try parser.parseValue()
        parser.skipWhitespace()
        guard parser.position == bytes.count else { throw parser.error("unexpected text after the JSON value") }
        return value
    }

    /// Parses a string's UTF-8.
    public static func parse(_ text: String) throws(JSONParseError) -> JSONValue {
        try parse(Array(text.utf8))
    }

    private init(bytes: [UInt8]) { self.bytes = bytes }

    private func error(_ message: String) -> JSONParseError { JSONParseError(offset: position, message: message) }

    private var current: UInt8? { position < bytes.count ? bytes[position] : nil }

    private mutating func skipWhitespace() {
        while let c = current, c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D { position += 1 }
    }

    private mutating func expect(_ literal: String) throws(JSONParseError) {
        for byte in literal.utf8 {
            guard current == byte else { throw error("expected \(literal)") }
            position += 1
        }
    }

    private mutating func parseValue() throws(JSONParseError) -> JSONValue {
        guard let c = current else { throw error("unexpected end of JSON") }
        switch c {
        case UInt8(ascii: "{"): return try parseObject()
        case UInt8(ascii: "["): return try parseArray()
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"):
            try expect("true")
            return .bool(true)
        case UInt8(ascii: "f"):
            try expect("false")
            return .bool(false)
        case UInt8(ascii: "n"):
            try expect("null")
            return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try parseNumber()
        default:
            // Shown only when printable: the text may come from a hostile file and go to a terminal.
            throw error(
                (0x21...0x7E).contains(c)
                    ? "unexpected character '\(Character(Unicode.Scalar(c)))'"
                    : "unexpected byte 0x\(String(c, radix: 16, uppercase: true))")
        }
    }

    private mutating func enter() throws(JSONParseError) {
        depth += 1
        guard depth <= Self.maximumDepth else { throw error("nested deeper than \(Self.maximumDepth) levels") }
    }

    private mutating func parseObject() throws(JSONParseError) -> JSONValue {
        try enter()
        defer { depth -= 1 }
        position += 1
        var members: [(key: String, value: JSONValue)] = []
        var seen = Set<String>()
        skipWhitespace()
        if current == UInt8(ascii: "}") {
            position += 1
            return .object(members)
        }
        while true {
            skipWhitespace()
            guard current == UInt8(ascii: "\"") else { throw error("expected a string key") }
            let keyOffset = position
            let key = try parseString()
            guard seen.insert(key).inserted else {
                throw JSONParseError(offset: keyOffset, message: "duplicate key \(JSONWriter.quoted(key))")
            }
            skipWhitespace()
            try expect(":")
            skipWhitespace()
            members.append((key, try parseValue()))
            skipWhitespace()
            if current == UInt8(ascii: ",") {
                position += 1
                continue
            }
            if current == UInt8(ascii: "}") {
                position += 1
                return .object(members)
            }
            throw error("expected ',' or '}' in an object")
        }
    }

    private mutating func parseArray() throws(JSONParseError) -> JSONValue {
        try enter()
        defer { depth -= 1 }
        position += 1
        var elements: [JSONValue] = []
        skipWhitespace()
        if current == UInt8(ascii: "]") {
            position += 1
            return .array(elements)
        }
        while true {
            skipWhitespace()
            elements.append(try parseValue())
            skipWhitespace()
            if current == UInt8(ascii: ",") {
                position += 1
                continue
            }
            if current == UInt8(ascii: "]") {
                position += 1
                return .array(elements)
            }
            throw error("expected ',' or ']' in an array")
        }
    }

    private mutating func parseNumber() throws(JSONParseError) -> JSONValue {
        let start = position
        if current == UInt8(ascii: "-") { position += 1 }
        func digits(_ parser: inout JSONParser) -> Int {
            var count = 0
            while let c = parser.current, c >= 48 && c <= 57 {
                parser.position += 1
                count += 1
            }
            return count
        }
        if current == UInt8(ascii: "0") {
            position += 1
        } else if digits(&self) == 0 {
            throw error("malformed number")
        }
        if current == UInt8(ascii: ".") {
            position += 1
            guard digits(&self) > 0 else { throw error("malformed number") }
        }
        if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
            position += 1
            if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { position += 1 }
            guard digits(&self) > 0 else { throw error("malformed number") }
        }
        return .number(String(decoding: bytes[start..<position], as: UTF8.self))
    }

    private mutating func parseString() throws(JSONParseError) -> String {
        position += 1  // opening quote
        // The string's UTF-8, gathered as bytes (runs copied whole, escapes as their scalar's UTF-8)
        // and decoded once, rather than appended scalar by scalar to a String: a model's header holds
        // metadata values that are escaped JSON. An escape's UTF-8 never starts with a continuation
        // byte, so decoding the whole gives the String that decoding run by run gave.
        var utf8: [UInt8] = []
        var runStart = position
        while true {
            guard let c = current else { throw error("unterminated string") }
            if c == UInt8(ascii: "\"") {
                if utf8.isEmpty {  // no escape: the run is the string
                    let text = String(decoding: bytes[runStart..<position], as: UTF8.self)
                    position += 1
                    return text
                }
                utf8 += bytes[runStart..<position]
                position += 1
                return String(decoding: utf8, as: UTF8.self)
            }
            if c < 0x20 { throw error("control character in a string") }
            if c != UInt8(ascii: "\\") {
                position += 1
                continue
            }
            utf8 += bytes[runStart..<position]
            position += 1
            guard let escape = current else { throw error("unterminated string") }
            position += 1
            let scalar: Unicode.Scalar
            switch escape {
            case UInt8(ascii: "\""): scalar = "\""
            case UInt8(ascii: "\\"): scalar = "\\"
            case UInt8(ascii: "/"): scalar = "/"
            case UInt8(ascii: "b"): scalar = "\u{08}"
            case UInt8(ascii: "f"): scalar = "\u{0C}"
            case UInt8(ascii: "n"): scalar = "\n"
            case UInt8(ascii: "r"): scalar = "\r"
            case UInt8(ascii: "t"): scalar = "\t"
            case UInt8(ascii: "u"):
                let first = try parseHex4()
                var value = first
                if (0xD800..<0xDC00).contains(first) {
                    // A high surrogate must be followed by an escaped low surrogate.
                    guard current == UInt8(ascii: "\\") else { throw error("unpaired surrogate in a string") }
                    position += 1
                    guard current == UInt8(ascii: "u") else { throw error("unpaired surrogate in a string") }
                    position += 1
                    let second = try parseHex4()
                    guard (0xDC00..<0xE000).contains(second) else { throw error("unpaired surrogate in a string") }
                    value = 0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)
                } else if (0xDC00..<0xE000).contains(first) {
                    throw error("unpaired surrogate in a string")
                }
                guard let decoded = Unicode.Scalar(value) else { throw error("invalid \\u escape") }
                scalar = decoded
            default:
                throw error("invalid escape in a string")
            }
            utf8 += String(scalar).utf8
            runStart = position
        }
    }

    private mutating func parseHex4() throws(JSONParseError) -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard let c = current else { throw error("unterminated \\u escape") }
            let digit: UInt32
            switch c {
            case 48...57: digit = UInt32(c - 48)
            case 65...70: digit = UInt32(c - 55)
            case 97...102: digit = UInt32(c - 87)
            default: throw error("invalid \\u escape")
            }
            value = value << 4 | digit
            position += 1
        }
        return value
    }
}
