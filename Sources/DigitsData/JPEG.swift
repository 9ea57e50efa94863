import CJPEGDecoder
import DigitsIO
#if canImport(Glibc)
    import Glibc
#endif

public enum JPEGError: Error, Equatable, Sendable, CustomStringConvertible {
    case unreadable(path: String, reason: String)
    /// The bytes do not start with a JPEG's start-of-image marker (FF D8 FF), whatever the name says.
    case notJPEG(path: String)
    /// libjpeg refused the data (truncated, bad Huffman code, bad marker…); `reason` is its message.
    case corrupt(path: String, reason: String)
    /// The header's size is over the reader's limit; checked before any pixel is decoded.
    case tooLarge(path: String, width: Int, height: Int, limit: Int)
    case outOfMemory(path: String, width: Int, height: Int)

    public var description: String {
        switch self {
        case .unreadable(let path, let reason): "\(path): cannot read: \(reason)"
        case .notJPEG(let path): "\(path): not a JPEG file (no JPEG start-of-image marker)"
        case .corrupt(let path, let reason): "\(path): corrupt JPEG: \(reason)"
        case .tooLarge(let path, let width, let height, let limit):
            "\(path): image is \(width) × \(height), larger than the limit of \(limit) × \(limit)"
        case .outOfMemory(let path, let width, let height):
            "\(path): not enough memory to decode a \(width) × \(height) JPEG"
        }
    }
}

/// Reads baseline and progressive JPEGs (grey, YCbCr, RGB, CMYK and YCCK, Adobe-inverted CMYK
/// included) through libjpeg-turbo, and turns them the way their EXIF orientation tag says.
///
/// libjpeg never ends the process here: the small C target `CJPEGDecoder` catches its errors with
/// setjmp/longjmp and returns them as a status and a message.
public enum JPEGReader {
    /// As for PNG: 10,000 × 10,000 grey bytes is 100 MB.
    public static let defaultSideLimit = PNGReader.defaultSideLimit
    public static let fileByteLimit = PNGReader.fileByteLimit
    /// What libjpeg may allocate for its own work: a progressive 10,000² colour image keeps 600 MB of
    /// coefficients; 1 GiB holds that and refuses worse.
    public static let memoryLimit = 1 << 30
    /// libjpeg-turbo's own tools suggest 500 scans as the most any honest progressive file has.
    public static let scanLimit = 500

    public static func read(_ path: String, sideLimit: Int = defaultSideLimit) throws -> GrayImage {
        let bytes: [UInt8]
        do {
            bytes = try InputFile.readAll(path, limit: fileByteLimit, what: "a picture")
        } catch {
            throw JPEGError.unreadable(path: path, reason: error.reason)
        }
        return try decode(bytes, path: path, sideLimit: sideLimit)
    }

    /// Decodes a whole JPEG file already in memory, with its EXIF orientation applied; `path` only names it in errors.
    public static func decode(
        _ bytes: [UInt8], path: String = "<memory>", sideLimit: Int = defaultSideLimit,
        memoryLimit: Int = memoryLimit
    ) throws -> GrayImage {
        guard bytes.starts(with: [0xFF, 0xD8, 0xFF]) else { throw JPEGError.notJPEG(path: path) }
        var result = digits_jpeg_result()
        let limit = Int32(clamping: sideLimit)
        let decoded = bytes.withUnsafeBufferPointer { file in
            digits_jpeg_decode_gray(file.baseAddress, file.count, limit, memoryLimit, Int32(scanLimit), &result)
        }
        guard let decoded else {
            let (width, height) = (Int(result.width), Int(result.height))
            switch result.status {
            case Int32(DIGITS_JPEG_TOO_LARGE):
                throw JPEGError.tooLarge(path: path, width: width, height: height, limit: sideLimit)
            case Int32(DIGITS_JPEG_NO_MEMORY):
                throw JPEGError.outOfMemory(path: path, width: width, height: height)
            default:
                throw JPEGError.corrupt(path: path, reason: message(of: result))
            }
        }
        defer { free(decoded) }
        let (width, height) = (Int(result.width), Int(result.height))
        // An image with no pixels is refused by libjpeg itself ("Empty JPEG image"); checked again
        // because GrayImage requires a positive size.
        guard width > 0, height > 0 else { throw JPEGError.corrupt(path: path, reason: "image has no pixels") }
        let grey = UnsafeBufferPointer(start: decoded, count: width * height)
        let pixels = unitGrey.withUnsafeBufferPointer { table in grey.map { table[Int($0)] } }
        let stored = GrayImage(width: width, height: height, pixels: pixels)
        return EXIFOrientation(jpeg: bytes).map { stored.displayed(as: $0) } ?? stored
    }

    /// libjpeg's message: a 200-byte C string inside the result, imported as a tuple.
    static func message(of result: digits_jpeg_result) -> String {
        withUnsafeBytes(of: result.message) { raw in
            let text = raw.prefix { $0 != 0 }
            return text.isEmpty ? "libjpeg gave no reason" : String(decoding: text, as: UTF8.self)
        }
    }
}
