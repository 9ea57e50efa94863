import DigitsIO
import CLibPNG

public enum PNGError: Error, Equatable, Sendable, CustomStringConvertible {
    case unreadable(path: String, reason: String)
    /// The file does not start with the PNG signature, whatever its name says.
    case notPNG(path: String)
    /// libpng refused the data (truncated, bad CRC, bad chunk…); `reason` is libpng's message.
    case corrupt(path: String, reason: String)
    /// The header's size is over the reader's limit; checked before any pixel is decoded.
    case tooLarge(path: String, width: Int, height: Int, limit: Int)
    case pixelCountMismatch(path: String, expected: Int, found: Int)
    case unwritable(path: String, reason: String)

    public var description: String {
        switch self {
        case .unreadable(let path, let reason): "\(path): cannot read: \(reason)"
        case .notPNG(let path): "\(path): not a PNG file (no PNG signature)"
        case .corrupt(let path, let reason): "\(path): corrupt PNG: \(reason)"
        case .tooLarge(let path, let width, let height, let limit):
            "\(path): image is \(width) × \(height), larger than the limit of \(limit) × \(limit)"
        case .pixelCountMismatch(let path, let expected, let found):
            "\(path): \(found) pixel values given, the image needs \(expected)"
        case .unwritable(let path, let reason): "\(path): cannot write PNG: \(reason)"
        }
    }
}

/// Reads PNG files of every colour type and bit depth through libpng's simplified API.
public enum PNGReader {
    /// 10,000 × 10,000 grey bytes is 100 MB: more than any digit photo needs, little enough to hold.
    public static let defaultSideLimit = 10_000
    /// A PNG file over this many bytes is refused unread (a 10,000² grey image is 100 MB uncompressed).
    public static let fileByteLimit = 256 << 20

    private static let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

    /// The image as grey values in [0, 1] (0 = black), with transparent pixels composited over white:
    /// a digit drawn on a transparent canvas is ink on paper, its alpha the ink's coverage. Colour becomes grey by libpng's
    /// sRGB luminance; 16-bit samples are reduced to 8 bits (ample for a 16 × 16 input), and
    /// 16-bit files without colour-space information are read as sRGB, like 8-bit ones.
    public static func read(_ path: String, sideLimit: Int = defaultSideLimit) throws -> GrayImage {
        let bytes: [UInt8]
        do {
            bytes = try InputFile.readAll(path, limit: fileByteLimit, what: "a picture")
        } catch {
            throw PNGError.unreadable(path: path, reason: error.reason)
        }
        return try decode(bytes, path: path, sideLimit: sideLimit)
    }

    /// Decodes a whole PNG file already in memory, as `read` does after reading it; `path` only names it in errors.
    public static func decode(_ bytes: [UInt8], path: String = "<memory>", sideLimit: Int = defaultSideLimit) throws -> GrayImage {
        guard bytes.starts(with: signature) else { throw PNGError.notPNG(path: path) }
        // libpng reads from `bytes` until finish_read, so both calls stay inside one access.
        return try bytes.withUnsafeBytes { file in try decode(file, path: path, sideLimit: sideLimit) }
    }

    private static func decode(_ file: UnsafeRawBufferPointer, path: String, sideLimit: Int) throws -> GrayImage {
        var image = png_image()
        image.version = png_uint_32(PNG_IMAGE_VERSION)
        defer { png_image_free(&image) }
        guard png_image_begin_read_from_memory(&image, file.baseAddress, file.count) != 0 else {
            throw PNGError.corrupt(path: path, reason: message(of: image))
        }
        let (width, height) = (Int(image.width), Int(image.height))
        guard width <= sideLimit, height <= sideLimit else {
            throw PNGError.tooLarge(path: path, width: width, height: height, limit: sideLimit)
        }
        // A 16-bit file without gAMA/sRGB is taken as sRGB-encoded, as image viewers show it
        // (libpng's default would read it as linear light and brighten every mid-tone).
        image.flags |= png_uint_32(PNG_IMAGE_FLAG_16BIT_sRGB)
        // Grey and alpha, 8 bits each, alpha not premultiplied; libpng turns colour into grey and
        // tRNS into alpha. We composite over white ourselves, in the file's sRGB-encoded values:
        // black ink at alpha a becomes grey 1 − a, so an anti-aliased edge keeps its coverage as
        // ink strength, the way MNIST's edges do. (libpng's own compositing works in linear light,
        // which would turn a half-covered edge pixel into ink 0.27 and thin every stroke.)
        image.format = png_uint_32(PNG_FORMAT_GA)
        var greyAlpha = [UInt8](repeating: 0, count: width * height * 2)
        let finished = greyAlpha.withUnsafeMutableBytes { buffer in
            png_image_finish_read(&image, nil, buffer.baseAddress, png_int_32(width * 2), nil)
        }
        guard finished != 0 else { throw PNGError.corrupt(path: path, reason: message(of: image)) }
        let pixels = (0..<width * height).map { index in
            let (grey, alpha) = (Float(greyAlpha[2 * index]), Float(greyAlpha[2 * index + 1]))
            return (grey * alpha + 255 * (255 - alpha)) / (255 * 255)
        }
        return GrayImage(width: width, height: height, pixels: pixels)
    }

    /// libpng's message: a 64-byte C string inside the struct, imported as a tuple.
    static func message(of image: png_image) -> String {
        withUnsafeBytes(of: image.message) { raw in
            let text = raw.prefix { $0 != 0 }
            return text.isEmpty ? "libpng gave no reason" : String(decoding: text, as: UTF8.self)
        }
    }
}

/// Writes 8-bit PNGs (sample grids, report pictures).
public enum PNGWriter {
    /// 8-bit greyscale, pixels.count == width*height, 0 = black; written atomically.
    public static func writeGray(_ pixels: [UInt8], width: Int, height: Int, to path: String) throws {
        try write(pixels, width: width, height: height, channels: 1, format: png_uint_32(PNG_FORMAT_GRAY), to: path)
    }

    /// 8-bit RGB interleaved, pixels.count == width*height*3.
    public static func writeRGB(_ pixels: [UInt8], width: Int, height: Int, to path: String) throws {
        try write(pixels, width: width, height: height, channels: 3, format: png_uint_32(PNG_FORMAT_RGB), to: path)
    }

    private static func write(
        _ pixels: [UInt8], width: Int, height: Int, channels: Int,
        format: png_uint_32, to path: String
    ) throws {
        let bytes = try encode(pixels, width: width, height: height, channels: channels, format: format, path: path)
        do {
            try AtomicFile.write(bytes, to: path)
        } catch {
            throw PNGError.unwritable(path: path, reason: error.reason)
        }
    }

    /// 8-bit grey PNG file bytes (for reports written as one set).
    public static func encodeGray(_ pixels: [UInt8], width: Int, height: Int) throws -> [UInt8] {
        try encode(pixels, width: width, height: height, channels: 1, format: png_uint_32(PNG_FORMAT_GRAY), path: "<memory>")
    }

    /// 8-bit RGB PNG file bytes (for reports written as one set).
    public static func encodeRGB(_ pixels: [UInt8], width: Int, height: Int) throws -> [UInt8] {
        try encode(pixels, width: width, height: height, channels: 3, format: png_uint_32(PNG_FORMAT_RGB), path: "<memory>")
    }

    private static func encode(
        _ pixels: [UInt8], width: Int, height: Int, channels: Int,
        format: png_uint_32, path: String
    ) throws -> [UInt8] {
        guard width > 0, height > 0, width <= Int(Int32.max) / channels, height <= Int(Int32.max) else {
            throw PNGError.unwritable(path: path, reason: "size \(width) × \(height) is not a PNG size")
        }
        let expected = width * height * channels
        guard pixels.count == expected else {
            throw PNGError.pixelCountMismatch(path: path, expected: expected, found: pixels.count)
        }
        var image = png_image()
        image.version = png_uint_32(PNG_IMAGE_VERSION)
        image.width = png_uint_32(width)
        image.height = png_uint_32(height)
        image.format = format
        defer { png_image_free(&image) }
        // Encoded in memory, then written by the one atomic writer: a symbolic link planted at `path`
        // is replaced, never written through, and a failed write leaves the old file.
        let rowStride = png_int_32(width * channels)
        var size: png_alloc_size_t = 0
        let measured = pixels.withUnsafeBytes { buffer in
            png_image_write_to_memory(&image, nil, &size, 0, buffer.baseAddress, rowStride, nil)
        }
        guard measured != 0 else { throw PNGError.unwritable(path: path, reason: PNGReader.message(of: image)) }
        var encoded = [UInt8](repeating: 0, count: Int(size))
        let written = pixels.withUnsafeBytes { buffer in
            encoded.withUnsafeMutableBytes { out in
                png_image_write_to_memory(&image, out.baseAddress, &size, 0, buffer.baseAddress, rowStride, nil)
            }
        }
        guard written != 0 else { throw PNGError.unwritable(path: path, reason: PNGReader.message(of: image)) }
        encoded.removeLast(encoded.count - Int(size))
        return encoded
    }
}
