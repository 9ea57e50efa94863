import DigitsData
import DigitsJSON
import DigitsModel
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Testing

@testable import DigitsServer

/// The shipped model, the samples and an application to send requests to (Hummingbird's router
/// test client: the whole request path without a socket).
enum ServerFixture {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func model() throws -> SavedModel {
        try SavedModel.load(from: root.appendingPathComponent("models/default.safetensors").path)
    }

    static func sample(_ name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: root.appendingPathComponent("Resources/samples/\(name)")))
    }

    static func fixture(_ name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: root.appendingPathComponent("Tests/DigitsDataTests/Fixtures/\(name)")))
    }

    /// Runs `body` against a fresh application over the shipped model.
    static func withClient<T: Sendable>(
        limits: ServerLimits = ServerLimits(), _ body: @Sendable (any TestClientProtocol) async throws -> T
    ) async throws -> T {
        let recognizer = try DigitRecognizer(model: try model(), limits: limits)
        var logger = Logger(label: "digits-serve-test")
        logger.logLevel = .warning
        let application = try DigitsServer.makeApplication(
            recognizer: recognizer, address: .init(host: "127.0.0.1", port: 0), logger: logger)
        return try await application.test(.router, body)
    }

    /// The response body as JSON (the test fails on anything else).
    static func json(_ response: TestResponse) throws -> JSONValue {
        try JSONParser.parse(Array(response.body.readableBytesView))
    }

    static func post(
        _ client: any TestClientProtocol, _ bytes: [UInt8], type: String?, uri: String = "/api/classify"
    ) async throws -> TestResponse {
        var headers: HTTPFields = [:]
        if let type { headers[.contentType] = type }
        return try await client.execute(uri: uri, method: .post, headers: headers, body: ByteBuffer(bytes: bytes))
    }

    /// A multipart/form-data body with one part per file.
    static func multipart(_ files: [(name: String, bytes: [UInt8])], boundary: String = "digits-test-boundary") -> [UInt8] {
        var body: [UInt8] = []
        for file in files {
            body += Array(
                "--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"\(file.name)\"\r\nContent-Type: image/png\r\n\r\n"
                    .utf8)
            body += file.bytes
            body += Array("\r\n".utf8)
        }
        body += Array("--\(boundary)--\r\n".utf8)
        return body
    }

    /// A PNG whose header claims `width` × `height` (CRC recomputed, so only the size is wrong).
    static func pngClaiming(width: UInt32, height: UInt32, from png: [UInt8]) -> [UInt8] {
        var bytes = png
        // Signature (8), IHDR length (4), "IHDR" (4), then width and height, big-endian; CRC over type+data.
        for (offset, value) in [(16, width), (20, height)] {
            for k in 0..<4 { bytes[offset + k] = UInt8(truncatingIfNeeded: value >> (24 - 8 * UInt32(k))) }
        }
        let crc = crc32(bytes[12..<29])
        for k in 0..<4 { bytes[29 + k] = UInt8(truncatingIfNeeded: crc >> (24 - 8 * UInt32(k))) }
        return bytes
    }

    private static func crc32(_ bytes: ArraySlice<UInt8>) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        return ~crc
    }
}
