import Testing

@testable import DigitsServer

@Suite struct MultipartBodyTests {
    @Test func partsAreReadWithTheirNamesAndBytes() throws {
        let body = Array(
            ("preamble\r\n--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.png\"\r\nContent-Type: image/png\r\n\r\n"
                + "AB\r\nC\r\n--XyZ\r\ncontent-disposition: form-data; name=second\r\n\r\n\r\n--XyZ--\r\nepilogue").utf8)
        let parts = try MultipartBody(body, boundary: "XyZ", maximumParts: 10).parts
        #expect(parts.count == 2)
        #expect(parts[0].name == "file" && parts[0].fileName == "a.png" && parts[0].contentType == "image/png")
        // A CR LF inside the content is content; only CR LF + delimiter ends it.
        #expect(Array(parts[0].bytes) == Array("AB\r\nC".utf8))
        #expect(parts[1].name == "second" && parts[1].fileName == nil && parts[1].bytes.isEmpty)
    }

    @Test(arguments: [
        "no boundary at all",
        "--b\r\nContent-Disposition: form-data\r\n\r\nunclosed",
        "--b\r\nno blank line after the headers",
        "--b\r\nbroken header\r\n\r\nx\r\n--b--",
        "--bX"
    ])
    func malformedBodiesAreRefused(text: String) {
        #expect(throws: MultipartBody.Malformed.self) { try MultipartBody(Array(text.utf8), boundary: "b", maximumParts: 10) }
    }

    @Test func tooManyPartsAreRefused() {
        let body = Array((String(repeating: "--b\r\nContent-Disposition: form-data; name=f\r\n\r\nx\r\n", count: 5) + "--b--").utf8)
        #expect(throws: MultipartBody.Malformed.self) { try MultipartBody(body, boundary: "b", maximumParts: 4) }
        #expect((try? MultipartBody(body, boundary: "b", maximumParts: 5))?.parts.count == 5)
    }

    @Test(
        arguments: [
            ("multipart/form-data; boundary=abc", "abc"), ("multipart/form-data; charset=x; BOUNDARY=\"a b\"", "a b"),
            ("multipart/form-data", nil), ("multipart/form-data; boundary=", nil),
            ("multipart/form-data; boundary=\(String(repeating: "x", count: 71))", nil)
        ] as [(String, String?)])
    func theBoundaryIsTakenFromTheContentType(contentType: String, boundary: String?) {
        #expect(MultipartBody.boundary(inContentType: contentType) == boundary)
    }
}
