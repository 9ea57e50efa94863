import DigitsIO

/// What can be wrong with an IDX file or an image/label pair of them.
///
/// Every case names the file; `description` is one line, fit for a command's error output.
public enum IDXError: Error, Equatable, Sendable, CustomStringConvertible {
    case unreadable(path: String, reason: String)
    case unwritable(path: String, reason: String)
    /// The first two bytes of the (decompressed) file are not 00 00.
    case badMagic(path: String, bytes: [UInt8])
    case unknownElementType(path: String, code: UInt8)
    case badDimensionCount(path: String, found: Int, expected: ClosedRange<Int>)
    /// The header promises more data than the reader accepts (or than `Int` can count).
    case tooLarge(path: String, promisedBytes: Int?, limit: Int)
    /// More images (or labels) than digits loads at once; checked from the header, before reading.
    case tooManyItems(path: String, count: Int, limit: Int)
    /// A gzip stream that ends without its CRC-32 and length trailer (cut short, or damaged).
    case missingGzipTrailer(path: String)
    /// A zero dimension makes the array empty, but the other dimensions multiply past the limit.
    case dimensionsTooLarge(path: String, dimensions: [Int], limit: Int)
    /// The file ends inside its header (magic and dimensions).
    case truncatedHeader(path: String, expectedBytes: Int, foundBytes: Int)
    case truncated(path: String, promisedBytes: Int, foundBytes: Int)
    /// More data than the header promises; `foundBytes` is a lower bound when `exact` is false.
    case overlong(path: String, promisedBytes: Int, foundBytes: Int, exact: Bool)
    /// A gzip file too small to hold what its header promises (deflate expands at most ~1032:1).
    case impossibleCompression(path: String, promisedBytes: Int, compressedBytes: Int)
    case corruptGzip(path: String, reason: String)
    case elementCountMismatch(path: String, dimensions: [Int], elementCount: Int)
    case unsupportedElementType(path: String, type: IDXElementType, role: String)
    case countMismatch(imagesPath: String, images: Int, labelsPath: String, labels: Int)
    case labelOutOfRange(path: String, index: Int, value: Int, expected: ClosedRange<Int> = 0...9)
    /// A float image holds NaN, ∞ or a value outside [0, 1] (clamping it would hide corrupt data).
    case pixelOutOfRange(path: String, image: Int, pixel: Int, value: Float)

    public var description: String {
        switch self {
        case .unreadable(let path, let reason):
            "\(path): cannot read: \(reason)"
        case .unwritable(let path, let reason):
            "\(path): cannot write: \(reason)"
        case .badMagic(let path, let bytes):
            "\(path): not an IDX file: magic starts \(bytes.map { hex($0) }.joined(separator: " ")), expected 00 00"
        case .unknownElementType(let path, let code):
            "\(path): unknown IDX element type 0x\(hex(code)) (known: 08 09 0B 0C 0D 0E)"
        case .badDimensionCount(let path, let found, let expected):
            "\(path): \(found) dimensions, expected \(expected.lowerBound == expected.upperBound ? "\(expected.lowerBound)" : "\(expected.lowerBound)…\(expected.upperBound)")"
        case .tooLarge(let path, let promised, let limit):
            "\(path): too large: header promises \(promised.map { byteCountText($0) } ?? "more bytes than can be counted"), limit is \(byteCountText(limit))"
        case .tooManyItems(let path, let count, let limit):
            "\(path): header promises \(count) items, more than digits loads at once (\(limit))"
        case .missingGzipTrailer(let path):
            "\(path): truncated gzip: the stream ends without its CRC-32 and length trailer"
        case .dimensionsTooLarge(let path, let dimensions, let limit):
            "\(path): dimensions \(dimensions.map(String.init).joined(separator: "×")) hold no data, yet the non-zero ones describe more than the limit of \(limit) bytes"
        case .truncatedHeader(let path, let expected, let found):
            "\(path): truncated header: needs \(expected) more bytes, file has \(found)"
        case .truncated(let path, let promised, let found):
            "\(path): truncated: header promises \(promised) bytes of data, file has \(found)"
        case .overlong(let path, let promised, let found, let exact):
            "\(path): over-long: header promises \(promised) bytes of data, file has \(exact ? "" : "at least ")\(found)"
        case .impossibleCompression(let path, let promised, let compressed):
            "\(path): truncated: header promises \(promised) bytes of data, more than \(compressed) bytes of gzip can hold"
        case .corruptGzip(let path, let reason):
            "\(path): corrupt gzip data: \(reason)"
        case .elementCountMismatch(let path, let dimensions, let count):
            "\(path): \(count) elements do not fill dimensions \(dimensions.map(String.init).joined(separator: "×"))"
        case .unsupportedElementType(let path, let type, let role):
            "\(path): element type \(type) cannot hold \(role)"
        case .countMismatch(let imagesPath, let images, let labelsPath, let labels):
            "\(imagesPath): \(images) images but \(labelsPath) has \(labels) labels"
        case .labelOutOfRange(let path, let index, let value, let expected):
            "\(path): label \(index) is \(value), expected \(expected.lowerBound)…\(expected.upperBound)"
        case .pixelOutOfRange(let path, let image, let pixel, let value):
            "\(path): image \(image), pixel \(pixel) is \(value); float images must hold values in [0, 1]"
        }
    }
}

func hex(_ byte: UInt8) -> String {
    let digits = Array("0123456789ABCDEF")
    return String([digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]])
}
