import DigitsIO

public enum ImageError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Not a format digits decodes; `format` says what it is when that can be told.
    case unsupported(path: String, format: String)

    public var description: String {
        switch self {
        case .unsupported(let path, let format): "\(path): \(format), not a picture digits can read (\(ImageFormat.supportedText))"
        }
    }
}

/// The one way a picture comes in: the format is told from the file's first bytes (never from its
/// name) and the bytes go to `PNGReader` or `JPEGReader`; anything else is refused with what it is.
public enum ImageReader {
    public static let defaultSideLimit = PNGReader.defaultSideLimit
    /// The most bytes one picture may have, in a file or on standard input.
    public static let byteLimit = max(PNGReader.fileByteLimit, JPEGReader.fileByteLimit)

    /// The picture at `path` as grey in [0, 1] (0 = black), turned upright for a JPEG with an EXIF orientation.
    public static func read(_ path: String, sideLimit: Int = defaultSideLimit) throws -> GrayImage {
        let bytes = try InputFile.readAll(path, limit: byteLimit, what: "a picture")
        return try decode(bytes, path: path, sideLimit: sideLimit)
    }

    /// One picture from standard input, at most `byteLimit` bytes; "standard input" names it in errors.
    public static func readStandardInput(sideLimit: Int = defaultSideLimit) throws -> GrayImage {
        let bytes = try StandardInput.readAll(limit: byteLimit, what: "a picture")
        return try decode(bytes, path: StandardInput.name, sideLimit: sideLimit)
    }

    /// A whole picture file already in memory; `path` only names it in errors.
    public static func decode(_ bytes: [UInt8], path: String, sideLimit: Int = defaultSideLimit) throws -> GrayImage {
        switch ImageFormat(sniffing: bytes) {
        case .png: try PNGReader.decode(bytes, path: path, sideLimit: sideLimit)
        case .jpeg: try JPEGReader.decode(bytes, path: path, sideLimit: sideLimit)
        case .unsupported(let what): throw ImageError.unsupported(path: path, format: what)
        }
    }

    /// What the file at `path` is, from its first bytes, without reading the rest. Throws `FileIOError`
    /// for what cannot be opened as a regular file (a FIFO never blocks this).
    public static func format(of path: String) throws(FileIOError) -> ImageFormat {
        ImageFormat(sniffing: try InputFile(path).read(ImageFormat.sniffLength))
    }
}
