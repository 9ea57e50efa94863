/// What a file is, told from its first bytes (never from its name): the formats digits reads, and
/// the ones people are likely to hand it instead, so the error can say what the file is.
public enum ImageFormat: Equatable, Sendable, CustomStringConvertible {
    case png
    case jpeg
    /// Anything else, described for a person: "a GIF image", "a text file", "an empty file".
    case unsupported(String)

    /// How many leading bytes `init(sniffing:)` looks at; fewer are fine for short files.
    public static let sniffLength = 512

    /// The formats `ImageReader` decodes, for messages.
    public static let supportedText = "digits reads PNG and JPEG images"

    public var isSupported: Bool {
        if case .unsupported = self { return false }
        return true
    }

    public var description: String {
        switch self {
        case .png: "a PNG image"
        case .jpeg: "a JPEG image"
        case .unsupported(let what): what
        }
    }

    public init<Bytes: Collection<UInt8>>(sniffing prefix: Bytes) {
        let bytes = Array(prefix.prefix(Self.sniffLength))
        func starts(_ signature: [UInt8], at offset: Int = 0) -> Bool {
            bytes.count >= offset + signature.count && Array(bytes[offset..<offset + signature.count]) == signature
        }
        func starts(_ text: String, at offset: Int = 0) -> Bool { starts(Array(text.utf8), at: offset) }

        if starts([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) {
            self = .png
            return
        }
        if starts([0xFF, 0xD8, 0xFF]) {
            self = .jpeg
            return
        }
        let other: String
        if bytes.isEmpty {
            other = "an empty file"
        } else if starts("GIF87a") || starts("GIF89a") {
            other = "a GIF image"
        } else if starts("BM"), bytes.count >= 18,
            [12, 40, 52, 56, 64, 108, 124].contains(Int(bytes[14]) | Int(bytes[15]) << 8 | Int(bytes[16]) << 16 | Int(bytes[17]) << 24)
        {
            other = "a BMP image"
        } else if starts([0x49, 0x49, 0x2A, 0x00]) || starts([0x4D, 0x4D, 0x00, 0x2A]) {
            other = "a TIFF image"
        } else if starts("RIFF"), starts("WEBP", at: 8) {
            other = "a WebP image"
        } else if starts("ftyp", at: 4),
            ["heic", "heix", "heim", "heis", "hevc", "hevx", "mif1", "msf1"].contains(where: { starts($0, at: 8) })
        {
            other = "a HEIC/HEIF image"
        } else if starts("ftyp", at: 4), starts("avif", at: 8) || starts("avis", at: 8) {
            other = "an AVIF image"
        } else if starts([0x00, 0x00, 0x00, 0x0C, 0x6A, 0x50, 0x20, 0x20]) || starts([0xFF, 0x4F, 0xFF, 0x51]) {
            other = "a JPEG 2000 image"
        } else if starts("%PDF-") {
            other = "a PDF document"
        } else if starts([0x1F, 0x8B]) {
            other = "gzip-compressed data"
        } else if starts("PK") && bytes.count >= 4 && bytes[2] == 3 && bytes[3] == 4 {
            other = "a ZIP archive"
        } else if starts([0x00, 0x00]) && bytes.count >= 4 && [0x08, 0x09, 0x0B, 0x0C, 0x0D, 0x0E].contains(bytes[2])
            && (1...4).contains(bytes[3])
        {
            other = "an IDX array (give it to digits evaluate with --images and --labels)"
        } else if let text = Self.textKind(bytes) {
            other = text
        } else {
            other =
                "not an image format digits knows (it starts with "
                + bytes.prefix(4).map { "0x" + String($0, radix: 16, uppercase: true).leftPadded(to: 2) }.joined(separator: " ") + ")"
        }
        self = .unsupported(other)
    }

    /// "a text file" or "an SVG drawing" when the bytes are UTF-8 text without control characters
    /// (other than tab, newlines and form feed), else nil. The last character may be cut by the prefix.
    private static func textKind(_ bytes: [UInt8]) -> String? {
        guard !bytes.contains(where: { $0 < 0x20 && ![0x09, 0x0A, 0x0C, 0x0D].contains($0) || $0 == 0x7F }) else { return nil }
        // Valid UTF-8 apart from a sequence cut at the end of the prefix.
        var valid = bytes
        for _ in 0..<3 where String(validating: valid, as: UTF8.self) == nil && !valid.isEmpty { valid.removeLast() }
        guard !valid.isEmpty, let text = String(validating: valid, as: UTF8.self) else { return nil }
        let lowered = text.lowercased()
        if lowered.contains("<svg") { return "an SVG drawing (text)" }
        if lowered.hasPrefix("p1") || lowered.hasPrefix("p2") || lowered.hasPrefix("p3") {
            return "a text file (perhaps a plain PBM/PGM/PPM image)"
        }
        return "a text file"
    }
}

private extension String {
    func leftPadded(to length: Int) -> String { String(repeating: "0", count: max(0, length - count)) + self }
}
