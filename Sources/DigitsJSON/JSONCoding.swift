import Foundation

/// Typed values (settings, architectures, training history) to and from JSON text, through
/// Foundation's `Codable`, so that a field added to a `Codable` struct is stored and read without
/// touching this module.
///
/// Encoding goes JSONEncoder → `JSONParser` → `JSONWriter`, so what is written has the project's one
/// escaping and layout (compact, keys sorted: the same value gives the same bytes). Numbers keep the
/// text JSONEncoder gives them: `description`, the shortest round-trip text, without a trailing
/// `.0` (`16`, `0.1`, `1e-05`). NaN and ∞ have no JSON form: encoding them throws.
public enum JSONCoding {
    /// How the keys of the JSON relate to the Swift property names.
    public enum Keys: Sendable {
        /// `targetBoxSize` ↔ `target_box_size` (Foundation's snake-case conversion): model format 2.
        case snakeCase
        /// The property names themselves (`targetBoxSize`): model format 1.
        case propertyNames
    }

    public static func encode<T: Encodable>(_ value: T, keys: Keys = .snakeCase) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        if keys == .snakeCase { encoder.keyEncodingStrategy = .convertToSnakeCase }
        let parsed = try JSONParser.parse(Array(try encoder.encode(value)))
        return JSONWriter.write(parsed, style: .compact)
    }

    /// `value` as a `JSONValue`, to be placed inside a larger document.
    public static func value<T: Encodable>(_ value: T, keys: Keys = .snakeCase) throws -> JSONValue {
        try JSONParser.parse(encode(value, keys: keys))
    }

    /// Reads `text`, which must first pass the strict `JSONParser` (so duplicate keys and deep nesting
    /// are refused here as in the header), then goes into the type through `JSONValueDecoder` (the
    /// same values as Foundation's `JSONDecoder`, without its start-up cost). `acceptingNonFiniteStrings`
    /// reads `"nan"`, `"inf"` and `"-inf"` as numbers, as format-1 model files wrote them.
    public static func decode<T: Decodable>(
        _ type: T.Type, from text: String, keys: Keys = .snakeCase,
        acceptingNonFiniteStrings: Bool = false
    ) throws -> T {
        try decode(type, parsed: try JSONParser.parse(text), keys: keys, acceptingNonFiniteStrings: acceptingNonFiniteStrings)
    }

    /// Reads an already parsed value through `JSONValueDecoder` (what `JSONDecoder` would read, without starting it).
    static func decode<T: Decodable>(
        _ type: T.Type, parsed: JSONValue, keys: Keys, acceptingNonFiniteStrings: Bool = false
    ) throws -> T {
        let options = JSONValueDecoder.Options(keys: keys, acceptingNonFiniteStrings: acceptingNonFiniteStrings)
        return try T(from: JSONValueDecoder(value: parsed, options: options, codingPath: []))
    }

    /// A Swift property name in snake_case as `.snakeCase` writes it: `targetBoxSize` → `target_box_size`,
    /// `imageURL` → `image_url` (a word starts at an upper-case letter after a lower-case one or a digit,
    /// and at the last capital of a run followed by a lower-case letter).
    public static func snakeCase(_ key: String) -> String {
        let characters = Array(key)
        var result = ""
        for (index, character) in characters.enumerated() {
            if character.isUppercase, index > 0 {
                let previous = characters[index - 1]
                let next = index + 1 < characters.count ? characters[index + 1] : nil
                if previous.isLowercase || previous.isNumber || (previous.isUppercase && next?.isLowercase == true) {
                    result += "_"
                }
            }
            result += character.lowercased()
        }
        return result
    }

    /// Reads a parsed value.
    public static func decode<T: Decodable>(_ type: T.Type, from value: JSONValue, keys: Keys = .snakeCase) throws -> T {
        try decode(type, parsed: value, keys: keys)
    }
}
