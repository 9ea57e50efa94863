/// The parts of a `multipart/form-data` body (RFC 7578): each part's field name, file name, type
/// and bytes. Strict: a body that does not follow the format is refused with what is wrong, never
/// half-read.
struct MultipartBody {
    struct Part {
        var name: String?
        var fileName: String?
        var contentType: String?
        var bytes: ArraySlice<UInt8>
    }

    struct Malformed: Error, CustomStringConvertible {
        var description: String
    }

    var parts: [Part]

    /// The boundary parameter of a `multipart/form-data; boundary=…` content type.
    static func boundary(inContentType contentType: String) -> String? {
        for parameter in contentType.split(separator: ";").dropFirst() {
            let pair = parameter.split(separator: "=", maxSplits: 1).map { $0.trimmingSpaces }
            guard pair.count == 2, pair[0].lowercased() == "boundary" else { continue }
            let value =
                pair[1].hasPrefix("\"") && pair[1].hasSuffix("\"") && pair[1].count >= 2
                ? String(pair[1].dropFirst().dropLast()) : pair[1]
            // RFC 2046: 1 to 70 characters.
            return (1...70).contains(value.utf8.count) ? value : nil
        }
        return nil
    }

    init(_ body: [UInt8], boundary: String, maximumParts: Int) throws(Malformed) {
        let delimiter = Array("--\(boundary)".utf8)
        guard var start = Self.find(delimiter, in: body, from: 0) else {
            throw Malformed(description: "multipart body without its boundary")
        }
        parts = []
        while true {
            var cursor = start + delimiter.count
            // "--" after a delimiter closes the body.
            if body[cursor...].starts(with: [UInt8(ascii: "-"), UInt8(ascii: "-")]) { return }
            guard body[cursor...].starts(with: [13, 10]) else {
                throw Malformed(description: "multipart boundary not followed by a line break")
            }
            cursor += 2
            guard let headerEnd = Self.find([13, 10, 13, 10], in: body, from: cursor) else {
                throw Malformed(description: "multipart part without the blank line after its headers")
            }
            var part = Part(bytes: [])
            let headerText = String(decoding: body[cursor..<headerEnd], as: UTF8.self)
            for line in headerText.split(separator: "\r\n") {
                let pair = line.split(separator: ":", maxSplits: 1)
                guard pair.count == 2 else { throw Malformed(description: "multipart header line without a colon") }
                let value = pair[1].trimmingSpaces
                switch pair[0].trimmingSpaces.lowercased() {
                case "content-disposition":
                    part.name = Self.parameter("name", in: value)
                    part.fileName = Self.parameter("filename", in: value)
                case "content-type": part.contentType = value
                default: break
                }
            }
            let contentStart = headerEnd + 4
            guard let next = Self.find([13, 10] + delimiter, in: body, from: contentStart) else {
                throw Malformed(description: "multipart part not closed by the boundary (body truncated?)")
            }
            part.bytes = body[contentStart..<next]
            parts.append(part)
            guard parts.count <= maximumParts else {
                throw Malformed(description: "more than \(maximumParts) parts in one request")
            }
            start = next + 2
        }
    }

    /// `name="value"` in a header value such as `form-data; name="file"; filename="a.png"`.
    private static func parameter(_ key: String, in value: String) -> String? {
        for item in value.split(separator: ";").dropFirst() {
            let pair = item.split(separator: "=", maxSplits: 1).map { $0.trimmingSpaces }
            guard pair.count == 2, pair[0].lowercased() == key else { continue }
            let text = pair[1]
            return text.hasPrefix("\"") && text.hasSuffix("\"") && text.count >= 2 ? String(text.dropFirst().dropLast()) : text
        }
        return nil
    }

    /// The first index of `needle` in `haystack` at or after `from`.
    private static func find(_ needle: [UInt8], in haystack: [UInt8], from: Int) -> Int? {
        guard let first = needle.first, needle.count <= haystack.count else { return nil }
        var index = from
        let last = haystack.count - needle.count
        while index <= last {
            if haystack[index] == first && haystack[index..<index + needle.count].elementsEqual(needle) { return index }
            index += 1
        }
        return nil
    }
}

extension Substring {
    fileprivate var trimmingSpaces: String {
        String(drop(while: { $0 == " " || $0 == "\t" }).reversed().drop(while: { $0 == " " || $0 == "\t" }).reversed())
    }
}
