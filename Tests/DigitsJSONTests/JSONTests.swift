import DigitsJSON
import Foundation
import Testing

@Suite("JSON writer and reader")
struct JSONWriterTests {
    /// Every C0 control, DEL, every C1 control, the line/paragraph separators and the bidi controls.
    static let escapedScalars: [Unicode.Scalar] =
        (Array(0..<0x20) + Array(0x7F...0x9F) + [0x2028, 0x2029]
        + Array(0x202A...0x202E) + Array(0x2066...0x2069)).compactMap(Unicode.Scalar.init)

    @Test("every control character, quote and backslash is escaped, and reads back as itself")
    func escapesEveryControlCharacter() throws {
        for scalar in Self.escapedScalars + ["\"", "\\"] {
            let text = "a" + String(Character(scalar)) + "b"
            let quoted = JSONWriter.quoted(text)
            #expect(
                !quoted.dropFirst().dropLast().unicodeScalars.contains(scalar) || scalar == "\\" || scalar == "\"",
                "U+\(String(scalar.value, radix: 16)) written raw: \(quoted.debugDescription)")
            #expect(quoted.unicodeScalars.allSatisfy { $0.value >= 0x20 && !(0x7F...0x9F).contains($0.value) })
            #expect(try JSONParser.parse(quoted) == .string(text), "U+\(String(scalar.value, radix: 16))")
            // Foundation agrees that it is valid JSON with the same string inside.
            let foundation = try JSONSerialization.jsonObject(with: Data(quoted.utf8), options: .fragmentsAllowed)
            #expect(foundation as? String == text)
        }
        #expect(JSONWriter.quoted("\u{1B}[2J") == #""\u001b[2J""#)
        #expect(JSONWriter.quoted("tab\tline\nquote\"back\\") == #""tab\tline\nquote\"back\\""#)
        #expect(JSONWriter.quoted("ünïcödé ✓ 7") == "\"ünïcödé ✓ 7\"")  // the rest stays UTF-8
    }

    @Test("text from a file is shown escaped on a terminal, plain text unchanged")
    func terminalSafe() {
        #expect(JSONWriter.terminalSafe("7") == "7")
        #expect(JSONWriter.terminalSafe("sept ✓") == "sept ✓")
        #expect(JSONWriter.terminalSafe(#"a "b" \c"#) == #"a "b" \c"#)  // printable: left alone
        #expect(JSONWriter.terminalSafe("\"\\\u{7}") == #"\"\\\u0007"#)  // else wholly escaped
        #expect(JSONWriter.terminalSafe("7\u{1B}[31m") == #"7\u001b[31m"#)
        #expect(JSONWriter.terminalSafe("a\nb") == #"a\nb"#)
        #expect(JSONWriter.terminalSafe("\u{9B}31m") == #"\u009b31m"#)  // C1 CSI
        #expect(JSONWriter.terminalSafe("\u{202E}7") == #"\u202e7"#)  // right-to-left override
        for scalar in Self.escapedScalars {
            #expect(!JSONWriter.terminalSafe(String(Character(scalar))).unicodeScalars.contains(scalar))
        }
    }

    @Test("a nested value round-trips through writer and reader in every style")
    func roundTrip() throws {
        let value: JSONValue = .object([
            ("name", .string("x\u{0}y\u{7F}z")), ("n", .integer(UInt64.max)), ("f", .float(0.1)),
            ("list", .array([.bool(true), .bool(false), .null, .array([]), .object([])])),
            ("nested", .object([("deep", .array([.integer(-3), .double(1e-300)]))]))
        ])
        for style in [JSONWriter.Style.compact, .line, .pretty] {
            #expect(try JSONParser.parse(JSONWriter.write(value, style: style)) == value, "\(style)")
        }
        #expect(JSONWriter.write(.object([("a", .array([.integer(1), .integer(2)]))])) == #"{"a":[1,2]}"#)
        #expect(JSONWriter.write(.object([("a", .array([.integer(1), .integer(2)]))]), style: .line) == #"{"a": [1, 2]}"#)
    }

    @Test("pretty: containers of containers one element per line, containers of scalars on one line")
    func prettyLayout() {
        let value: JSONValue = .object([
            ("count", .integer(2)),
            ("rows", .array([.array([.integer(1), .integer(0)]), .array([.integer(0), .integer(1)])])),
            ("per", .array([.object([("digit", .integer(0)), ("f1", .double(1))])]))
        ])
        #expect(
            JSONWriter.write(value, style: .pretty) == """
                {
                  "count": 2,
                  "rows": [
                    [1, 0],
                    [0, 1]
                  ],
                  "per": [
                    {"digit": 0, "f1": 1.0}
                  ]
                }
                """)
    }

    /// Values a lossy format (`%.6g`, a Double detour) would get wrong, and random bit patterns.
    static let awkwardFloats: [Float] = [
        0, -0.0, 1, -1, 0.1, -0.3, .pi, 1e-30, -7.5e7, 16,
        .leastNonzeroMagnitude, -.leastNonzeroMagnitude, .leastNormalMagnitude, .leastNormalMagnitude.nextDown,
        .greatestFiniteMagnitude, -.greatestFiniteMagnitude, Float(bitPattern: 0x3F80_0001), .ulpOfOne, 0.99998724
    ]

    @Test("Float and Double numbers read back bit for bit")
    func numbersRoundTripExactly() throws {
        var generator = SystemRandomNumberGenerator()
        let floats = Self.awkwardFloats + (0..<2000).map { _ in Float(bitPattern: UInt32.random(in: 0...UInt32.max, using: &generator)) }
        for value in floats where value.isFinite {
            guard case .number(let text) = JSONValue.float(value) else {
                Issue.record("\(value)")
                continue
            }
            #expect(text == value.description)
            let reread = try JSONParser.parse(JSONWriter.write(.array([.float(value)])))
            guard case .array(let items) = reread, case .number(let back) = items.first else {
                Issue.record("\(text)")
                continue
            }
            #expect(Float(back)?.bitPattern == value.bitPattern, "\(text)")
            // And as JSON that Foundation reads, too (no "inf", "nan", or "1.", "1e"…).
            let foundation = try JSONSerialization.jsonObject(with: Data(text.utf8), options: .fragmentsAllowed)
            #expect(foundation is NSNumber, "\(text)")
        }
        let doubles: [Double] =
            [0, -0.0, 0.1, 1.0 / 3, 1e300, -1e-300, .leastNonzeroMagnitude, .greatestFiniteMagnitude, 0.981]
            + (0..<2000).map { _ in Double(bitPattern: UInt64.random(in: 0...UInt64.max, using: &generator)) }
        for value in doubles where value.isFinite {
            guard case .number(let text) = JSONValue.double(value) else {
                Issue.record("\(value)")
                continue
            }
            #expect(Double(text)?.bitPattern == value.bitPattern, "\(text)")
            #expect(try JSONParser.parse(text).doubleValue?.bitPattern == value.bitPattern, "\(text)")
        }
    }

    @Test("NaN and infinity are never written: they become null")
    func nonFiniteIsNull() {
        #expect(JSONValue.float(.nan) == .null)
        #expect(JSONValue.float(.infinity) == .null)
        #expect(JSONValue.double(-.infinity) == .null)
        #expect(throws: (any Error).self) { try JSONCoding.encode([Float.nan]) }
    }

    @Test("the strict reader refuses duplicate keys, keeps integers exact and member order")
    func strictReader() throws {
        #expect(throws: JSONParseError(offset: 8, message: #"duplicate key "a""#)) {
            try JSONParser.parse(#"{"a":1, "a":2}"#)
        }
        #expect(throws: JSONParseError.self) { try JSONParser.parse(#"{"x":{"b":1,"b":1}}"#) }
        let value = try JSONParser.parse(#"{"z":18446744073709551615,"a":1.0,"m":true}"#)
        guard case .object(let members) = value else {
            Issue.record("not an object")
            return
        }
        #expect(members.map(\.key) == ["z", "a", "m"])
        #expect(value["z"] == .number("18446744073709551615"))
        #expect(value["a"] == .number("1.0") && value["a"]?.nonNegativeInteger == nil)
        for bad in ["", "{", "[1,]", "01", "1.", "NaN", "\"\u{1}\"", #""\x""#, "{} x", #""\ud800""#] {
            #expect(throws: JSONParseError.self, "\(bad.debugDescription)") { try JSONParser.parse(bad) }
        }
    }
}

@Suite("Codable through the one writer")
struct JSONCodingTests {
    struct Settings: Codable, Equatable {
        var targetBoxSize: Int
        var inkThreshold: Float
        var stretchContrast: Bool
        var layerSizes: [Int]
        var note: String
    }

    static let settings = Settings(
        targetBoxSize: 16, inkThreshold: 0.1, stretchContrast: true, layerSizes: [256, 10],
        note: "bell\u{7}")

    @Test("snake_case keys, sorted, compact, escaped by JSONWriter; decodes back to the same value")
    func snakeCaseRoundTrip() throws {
        let text = try JSONCoding.encode(Self.settings)
        #expect(text == #"{"ink_threshold":0.1,"layer_sizes":[256,10],"note":"bell\u0007","stretch_contrast":true,"target_box_size":16}"#)
        #expect(try JSONCoding.decode(Settings.self, from: text) == Self.settings)
        let old = try JSONCoding.encode(Self.settings, keys: .propertyNames)
        #expect(old.contains(#""targetBoxSize":16"#))
        #expect(try JSONCoding.decode(Settings.self, from: old, keys: .propertyNames) == Self.settings)
    }

    /// An object with these property names (Foundation converts the keys of structs, not of dictionaries).
    struct Properties: Encodable {
        struct Key: CodingKey {
            var stringValue: String
            var intValue: Int? { nil }
            init(stringValue: String) { self.stringValue = stringValue }
            init?(intValue: Int) { nil }
        }
        var names: [String]
        func encode(to encoder: Encoder) throws {
            var container = encoder.container(keyedBy: Key.self)
            for name in names { try container.encode(0, forKey: Key(stringValue: name)) }
        }
    }

    @Test("typed reading goes through the strict parser: a duplicate key is refused, not silently resolved")
    func decodingIsStrict() throws {
        let duplicated =
            #"{"ink_threshold":0.1,"layer_sizes":[256,10],"note":"","stretch_contrast":true,"target_box_size":16,"target_box_size":3}"#
        #expect(throws: JSONParseError.self) { try JSONCoding.decode(Settings.self, from: duplicated) }
        #expect(throws: (any Error).self) { try JSONCoding.decode(Settings.self, from: #"{"target_box_size":16}"#) }
    }

    @Test("snakeCase(_:) converts keys as Foundation's convertToSnakeCase does")
    func snakeCaseAgreesWithFoundation() throws {
        let keys = [
            "targetBoxSize", "inkThreshold", "a", "f1", "layer2Size", "imageURL", "validationAccuracy",
            "already_snake", "x"
        ]
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        let object = try JSONSerialization.jsonObject(with: encoder.encode(Properties(names: keys)))
        let converted = Set(((object as? [String: Int]) ?? [:]).keys)
        #expect(Set(keys.map(JSONCoding.snakeCase)) == converted)
    }
}
