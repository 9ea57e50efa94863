import DigitsJSON
import Foundation
import Testing

/// `JSONCoding.decode` reads through `JSONValueDecoder`; Foundation's `JSONDecoder` is the reference
/// it must agree with, value for value, on what model files hold.
@Suite("JSONValueDecoder reads what JSONDecoder reads")
struct JSONValueDecoderTests {
    enum Mode: String, Codable, Equatable {
        case fitInk = "fit-ink"
        case box
    }

    struct Inner: Codable, Equatable {
        var sampleBudget: Int
        var noiseCap: Float
    }

    struct Settings: Codable, Equatable {
        var targetBoxSize: Int
        var inkThreshold: Float
        var ratio: Double
        var stretchContrast: Bool
        var mode: Mode
        var strokeWidth: Float?
        var seed: UInt64
        var labels: [String]
        var inner: Inner
        var history: [Inner]
        var imageURLText: String?
    }

    static func foundation<T: Decodable>(_ type: T.Type, _ text: String, snakeCase: Bool, nonFinite: Bool = false) throws -> T {
        let decoder = JSONDecoder()
        if snakeCase { decoder.keyDecodingStrategy = .convertFromSnakeCase }
        if nonFinite {
            decoder.nonConformingFloatDecodingStrategy = .convertFromString(
                positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        }
        return try decoder.decode(type, from: Data(text.utf8))
    }

    @Test("snake_case keys, every scalar kind, nested objects and arrays, optional present and absent")
    func agreesOnSnakeCase() throws {
        let texts = [
            #"{"target_box_size":16,"ink_threshold":0.1,"ratio":0.30000000000000004,"stretch_contrast":true,"mode":"fit-ink","stroke_width":2,"seed":18446744073709551615,"labels":["0","not-a-digit","\u001b"],"inner":{"sample_budget":10000,"noise_cap":0.05},"history":[{"sample_budget":1,"noise_cap":1e-05},{"sample_budget":2,"noise_cap":-3.4028235e+38}],"image_url_text":"x"}"#,
            #"{"target_box_size":1.0,"ink_threshold":1,"ratio":-0.0,"stretch_contrast":false,"mode":"box","stroke_width":null,"seed":0,"labels":[],"inner":{"sample_budget":1e3,"noise_cap":1.4e-45},"history":[]}"#
        ]
        for text in texts {
            let ours = try JSONCoding.decode(Settings.self, from: text, keys: .snakeCase)
            #expect(ours == (try Self.foundation(Settings.self, text, snakeCase: true)), "\(text)")
            #expect(ours.inkThreshold.bitPattern == (try Self.foundation(Settings.self, text, snakeCase: true)).inkThreshold.bitPattern)
        }
        let first = try JSONCoding.decode(Settings.self, from: texts[0], keys: .snakeCase)
        #expect(first.targetBoxSize == 16 && first.inkThreshold == 0.1 && first.seed == .max && first.strokeWidth == 2)
        #expect(first.labels == ["0", "not-a-digit", "\u{1B}"] && first.history[1].noiseCap == -.greatestFiniteMagnitude)
        #expect(try JSONCoding.decode(Settings.self, from: texts[1], keys: .snakeCase).strokeWidth == nil)
    }

    @Test("property-name keys and \"nan\"/\"inf\" strings, as format-1 model files wrote them")
    func agreesOnFormatOne() throws {
        let text = #"{"sampleBudget":7,"noiseCap":"inf"}"#
        let ours = try JSONCoding.decode(Inner.self, from: text, keys: .propertyNames, acceptingNonFiniteStrings: true)
        #expect(ours == (try Self.foundation(Inner.self, text, snakeCase: false, nonFinite: true)))
        #expect(ours.noiseCap == .infinity)
        let nan = try JSONCoding.decode(
            Inner.self, from: #"{"sampleBudget":7,"noiseCap":"nan"}"#, keys: .propertyNames, acceptingNonFiniteStrings: true)
        #expect(nan.noiseCap.isNaN)
        // Without the option such a string is refused, as by JSONDecoder.
        #expect(throws: (any Error).self) { try JSONCoding.decode(Inner.self, from: text, keys: .propertyNames) }
    }

    @Test("what JSONDecoder refuses is refused: missing keys, wrong types, fractions for integers, overflow, null")
    func refusesWhatFoundationRefuses() throws {
        let bad = [
            #"{"sample_budget":1}"#,  // no noise_cap
            #"{"sample_budget":"1","noise_cap":1}"#,  // a string for an Int
            #"{"sample_budget":1.5,"noise_cap":1}"#,  // not an integer
            #"{"sample_budget":1e400,"noise_cap":1}"#,  // out of range
            #"{"sample_budget":1,"noise_cap":1e39}"#,  // beyond Float
            #"{"sample_budget":null,"noise_cap":1}"#,
            #"{"sample_budget":true,"noise_cap":1}"#,
            #"[1, 2]"#
        ]
        for text in bad {
            #expect(throws: (any Error).self, "\(text)") { try Self.foundation(Inner.self, text, snakeCase: true) }
            #expect(throws: (any Error).self, "\(text)") { try JSONCoding.decode(Inner.self, from: text, keys: .snakeCase) }
        }
    }

    @Test("snake_case to camelCase as Foundation converts keys")
    func camelCase() throws {
        struct Keys: Codable, Equatable {
            var a: Int
            var imageUrl: Int
            var _private: Int
            var trailing_: Int
        }
        let text = #"{"a":1,"image_url":2,"_private":3,"trailing_":4}"#
        #expect(try JSONCoding.decode(Keys.self, from: text, keys: .snakeCase) == (try Self.foundation(Keys.self, text, snakeCase: true)))
        #expect(try JSONCoding.decode(Keys.self, from: text, keys: .snakeCase) == Keys(a: 1, imageUrl: 2, _private: 3, trailing_: 4))
    }
}
