import DigitsData
import DigitsEvaluation
import DigitsJSON
import DigitsModel
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import DigitsServer

/// `POST /api/classify`: the answers, each error status, hostile bodies.
@Suite struct ClassifyRouteTests {
    typealias F = ServerFixture

    @Test func aPNGBodyIsReadAsClassifyJSONWouldBe() async throws {
        let png = try F.sample("7-mnist-original.png")
        let hasNotADigitClass = try F.model().notADigitClass != nil
        try await F.withClient { client in
            let response = try await F.post(client, png, type: "image/png")
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "application/json")
            let json = try F.json(response)
            // classify --json's object for standard input, key for key, in its order.
            guard case .object(let members) = json else {
                Issue.record("not an object: \(json)")
                return
            }
            #expect(
                members.map(\.key)
                    == ["file", "digit", "verdict", "confidence", "probabilities"] + (hasNotADigitClass ? ["not_a_digit"] : []))
            #expect(json["file"] == .string("-"))
            #expect(json["digit"] == .integer(7))
            #expect(json["verdict"] == .string("digit"))
            let probabilities = try #require(
                json["probabilities"].flatMap { value -> [Double]? in
                    guard case .array(let items) = value else { return nil }
                    return items.compactMap(\.doubleValue)
                })
            #expect(probabilities.count == 10)
            // The ten digits' probabilities are not renormalised: with the "not a digit" output they sum to 1.
            let notADigit = json["not_a_digit"]?.doubleValue ?? 0
            #expect(abs(probabilities.reduce(0, +) + notADigit - 1) < 1e-4)
            #expect(probabilities.firstIndex(of: probabilities.max() ?? 0) == 7)
        }
    }

    /// The same numbers as the one-picture path of `digits classify` (network on one row, same rule).
    @Test func theAnswerIsClassifysAnswer() async throws {
        let png = try F.sample("3-drawn-in-paint.png")
        let model = try F.model()
        let image = try ImageReader.decode(png, path: "-")
        let preprocessor = Preprocessor(settings: model.preprocessing)
        let (input, marks) = try preprocessor.processWithMarks(image)
        let output = try model.makeNetwork().probabilities(.init(rows: 1, columns: input.count, elements: input)).elements
        let rule = RejectionRule(model: model, confidence: nil)
        let expected = Classification(
            probabilities: rule.digitProbabilities(output), verdict: rule.verdict(probabilities: output, marks: marks),
            notADigit: rule.notADigitClass.map { output[$0] }
        ).json(file: "-")
        try await F.withClient { client in
            let response = try await F.post(client, png, type: "image/png")
            #expect(try F.json(response) == expected)
        }
    }

    @Test func theInputIsReturnedOnlyWhenAskedFor() async throws {
        let png = try F.sample("7-mnist-original.png")
        let model = try F.model()
        let expected = try Preprocessor(settings: model.preprocessing).process(try ImageReader.decode(png, path: "-"))
        try await F.withClient { client in
            let plain = try F.json(try await F.post(client, png, type: "image/png"))
            #expect(plain["network_input"] == nil)
            let withInput = try F.json(try await F.post(client, png, type: "image/png", uri: "/api/classify?input=1"))
            guard case .array(let values)? = withInput["network_input"] else {
                Issue.record("no input array")
                return
            }
            // Exactly the 256 Floats the network read: Float text reads back to the same bits.
            #expect(values.compactMap { $0.doubleValue.map(Float.init) } == expected)
        }
    }

    @Test func aJPEGBodyIsRead() async throws {
        let jpeg = try F.fixture("jpeg-cmyk-adobe.jpg")
        try await F.withClient { client in
            let response = try await F.post(client, jpeg, type: "image/jpeg")
            // Whatever the fixture shows, it is decoded and answered (200 with a verdict, or 422 blank).
            let json = try F.json(response)
            #expect(response.status == .ok || (response.status == .unprocessableContent && json["error"] != nil), "\(json)")
            #expect(response.status != .ok || json["verdict"] != nil)
        }
    }

    @Test func aMultipartFormGivesOneAnswerPerFileInOrder() async throws {
        let body = F.multipart([
            ("seven.png", try F.sample("7-mnist-original.png")),
            ("three.png", try F.sample("3-drawn-in-paint.png")),
            ("broken.png", Array(try F.sample("3-drawn-in-paint.png").prefix(60)))
        ])
        try await F.withClient { client in
            let response = try await F.post(client, body, type: "multipart/form-data; boundary=digits-test-boundary")
            #expect(response.status == .ok)
            guard case .array(let items) = try F.json(response) else {
                Issue.record("not an array")
                return
            }
            #expect(items.count == 3)
            #expect(items.first?["file"] == .string("seven.png") && items.first?["digit"] == .integer(7))
            #expect(items.dropFirst().first?["file"] == .string("three.png") && items.dropFirst().first?["digit"] == .integer(3))
            #expect(items.last?["file"] == .string("broken.png") && items.last?["error"]?.stringValue != nil)
        }
    }

    @Test func concurrentRequestsAreBatchedAndEachGetsItsOwnAnswer() async throws {
        let seven = try F.sample("7-mnist-original.png")
        let three = try F.sample("3-drawn-in-paint.png")
        try await F.withClient { client in
            let digits = try await withThrowingTaskGroup(of: (Int, JSONValue?).self) { group in
                for k in 0..<64 {
                    group.addTask { (k, try F.json(try await F.post(client, k % 2 == 0 ? seven : three, type: "image/png"))["digit"]) }
                }
                var digits = [JSONValue?](repeating: nil, count: 64)
                for try await (k, digit) in group { digits[k] = digit }
                return digits
            }
            #expect(digits == (0..<64).map { $0 % 2 == 0 ? .integer(7) : .integer(3) })
        }
    }

    // MARK: - Refused

    @Test(
        arguments: [
            ("text/plain", 415), ("application/octet-stream", 415), ("image/gif", 415), (nil, 415),
            ("image/png", 200), ("IMAGE/PNG; charset=binary", 200)
        ] as [(String?, Int)])
    func theContentTypeIsChecked(type: String?, status: Int) async throws {
        let png = try F.sample("7-mnist-original.png")
        try await F.withClient { client in
            let response = try await F.post(client, png, type: type)
            #expect(Int(response.status.code) == status)
            if status != 200 { #expect(try F.json(response)["error"]?.stringValue?.contains("image/png") == true) }
        }
    }

    @Test func aBodyOverTheLimitIs413() async throws {
        let limits = ServerLimits(bodyBytes: 64 << 10)
        try await F.withClient(limits: limits) { client in
            let response = try await F.post(client, [UInt8](repeating: 0x89, count: 100 << 10), type: "image/png")
            #expect(response.status == .contentTooLarge)
            #expect(try F.json(response)["error"]?.stringValue?.contains("65536") == true)
            // Just under the limit is read (and refused for what it is, not for its size).
            let under = try await F.post(client, [UInt8](repeating: 0x89, count: 64 << 10), type: "image/png")
            #expect(under.status == .unprocessableContent)
        }
    }

    /// Each a 422 naming the problem, and the server still answers the next request.
    @Test(arguments: ["empty", "truncated", "huge", "blank", "gif", "not-an-image", "bad-jpeg"])
    func aBodyThatIsNoDigitIs422(kind: String) async throws {
        let png = try F.sample("7-mnist-original.png")
        let body: [UInt8]
        let mentions: String
        switch kind {
        case "empty": (body, mentions) = ([], "empty")
        case "truncated": (body, mentions) = (Array(png.prefix(png.count / 2)), "")
        case "huge": (body, mentions) = (F.pngClaiming(width: 100_000, height: 100_000, from: png), "100000")
        case "blank": (body, mentions) = (try PNGWriter.encodeGray([UInt8](repeating: 255, count: 28 * 28), width: 28, height: 28), "blank")
        case "gif": (body, mentions) = (Array("GIF89a\u{1}\0\u{1}\0\0\0\0;".utf8), "GIF")
        case "not-an-image": (body, mentions) = (Array("hello, server".utf8), "")
        default: (body, mentions) = (try F.fixture("jpeg-corrupt.jpg"), "")
        }
        try await F.withClient { client in
            let response = try await F.post(client, body, type: kind == "bad-jpeg" ? "image/jpeg" : "image/png")
            #expect(response.status == .unprocessableContent)
            let problem = try #require(try F.json(response)["error"]?.stringValue)
            #expect(!problem.isEmpty)
            if !mentions.isEmpty { #expect(problem.contains(mentions), "\(problem)") }
            let next = try await F.post(client, png, type: "image/png")
            #expect(next.status == .ok)
        }
    }

    @Test(
        arguments: [
            ("multipart/form-data", "--x\r\n\r\n", 400),  // no boundary parameter
            ("multipart/form-data; boundary=other", "--digits-test-boundary\r\n", 400),
            ("multipart/form-data; boundary=b", "--b\r\nContent-Disposition: form-data; name=\"f\"\r\n\r\nabc", 400),  // never closed
            ("multipart/form-data; boundary=b", "--b--\r\n", 422)  // no file
        ] as [(String, String, Int)])
    func aBrokenFormIsRefused(type: String, body: String, status: Int) async throws {
        try await F.withClient { client in
            let response = try await F.post(client, Array(body.utf8), type: type)
            #expect(Int(response.status.code) == status)
            #expect(try F.json(response)["error"]?.stringValue != nil)
        }
    }
}
