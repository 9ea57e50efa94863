#if canImport(Glibc)
    import Glibc
#endif
/// A grey image as stored in its file: row-major, values in [0, 1], 0 = black.
///
/// Nothing about ink is assumed here: MNIST stores light ink on black, a scanned page dark ink
/// on white. `Preprocessor` decides which is which.
public struct GrayImage: Sendable, Equatable {
    public let width: Int
    public let height: Int
    public var pixels: [Float]

    public init(width: Int, height: Int, pixels: [Float]) {
        precondition(
            width > 0 && height > 0 && pixels.count == width * height,
            "\(pixels.count) pixels do not make a \(width) × \(height) image")
        self.width = width
        self.height = height
        self.pixels = pixels
    }

    public subscript(x: Int, y: Int) -> Float { pixels[y * width + x] }
}

/// Byte b as grey b/255: one table, so every path turns bytes into exactly the same floats.
let unitGrey: [Float] = (0...255).map { Float($0) / 255 }

/// Equally sized grey images with a digit label each, e.g. one split of MNIST.
public struct LabeledImages: Sendable {
    /// Pixel storage: bytes as in the IDX file (0…255, kept compact: MNIST is 47 MB this way,
    /// 188 MB as floats), or floats in [0, 1].
    public enum Pixels: Sendable, Equatable {
        case bytes([UInt8])
        case floats([Float])

        var count: Int {
            switch self {
            case .bytes(let values): values.count
            case .floats(let values): values.count
            }
        }
    }

    public let rows: Int
    public let columns: Int
    public let pixels: Pixels
    public var labels: [Int]
    /// Which way the ink runs, when known. IDX digit sets (MNIST, USPS) are light ink on black,
    /// so `Preprocessor` need not guess for them; `.auto` makes it decide image by image.
    public var inkPolarity: PreprocessingSettings.Polarity

    public init(
        rows: Int, columns: Int, pixels: Pixels, labels: [Int],
        inkPolarity: PreprocessingSettings.Polarity = .lightInk
    ) {
        precondition(
            rows > 0 && columns > 0 && pixels.count == labels.count * rows * columns,
            "\(pixels.count) pixels do not make \(labels.count) images of \(rows) × \(columns)")
        self.rows = rows
        self.columns = columns
        self.pixels = pixels
        self.labels = labels
        self.inkPolarity = inkPolarity
    }

    public var count: Int { labels.count }

    /// Image `index` as a `GrayImage` (a copy of its pixels, scaled to [0, 1]).
    public func image(at index: Int) -> GrayImage {
        let size = rows * columns
        let range = index * size..<(index + 1) * size
        switch pixels {
        case .bytes(let values):
            return GrayImage(width: columns, height: rows, pixels: values[range].map { unitGrey[Int($0)] })
        case .floats(let values):
            return GrayImage(width: columns, height: rows, pixels: Array(values[range]))
        }
    }

    /// The most images one data set may hold: 2 million (EMNIST, the largest common set, has 814,255),
    /// and no more than a quarter of this machine's memory at 4 KiB each (source pixels, the
    /// preprocessed 256 floats, and the copies training makes of them).
    public static var maximumCount: Int {
        let pages = sysconf(Int32(_SC_PHYS_PAGES)), pageSize = sysconf(Int32(_SC_PAGESIZE))
        let memory = pages > 0 && pageSize > 0 ? pages * pageSize : 1 << 32
        return min(2_000_000, memory / 4 / 4096)
    }

    /// The label of a picture that is not a digit (the `nondigits` data set): the class after the ten digits.
    public static let notADigitLabel = 10

    /// Loads an IDX pair: images `[count, rows, columns]` (unsigned bytes, or floats in [0, 1])
    /// and labels `[count]` (any integer type, each in `labelRange`: 0…9, or 10 for `nondigits`).
    ///
    /// At most `maximumCount` images: each becomes 1 KiB of network input once preprocessed, so a
    /// header promising hundreds of millions of tiny images is refused before anything is allocated.
    public static func load(
        imagesPath: String, labelsPath: String,
        byteLimit: Int = IDXReader.defaultByteLimit,
        maximumCount: Int = LabeledImages.maximumCount,
        labelRange: ClosedRange<Int> = 0...9
    ) throws -> LabeledImages {
        let images = try IDXReader.read(imagesPath, byteLimit: byteLimit, maximumItems: maximumCount)
        let labelArray = try IDXReader.read(labelsPath, byteLimit: byteLimit, maximumItems: maximumCount)
        guard images.dimensions.count == 3 else {
            throw IDXError.badDimensionCount(path: imagesPath, found: images.dimensions.count, expected: 3...3)
        }
        guard labelArray.dimensions.count == 1 else {
            throw IDXError.badDimensionCount(path: labelsPath, found: labelArray.dimensions.count, expected: 1...1)
        }
        let pixels: Pixels
        switch images.elements {
        case .uint8(let values): pixels = .bytes(values)
        case .float32(let values): pixels = .floats(values)
        case .float64(let values): pixels = .floats(values.map { Float($0) })
        case .int8, .int16, .int32:
            throw IDXError.unsupportedElementType(
                path: imagesPath, type: images.elementType,
                role: "image pixels (use unsigned bytes or floats)")
        }
        guard let labels = labelArray.elements.integers else {
            throw IDXError.unsupportedElementType(
                path: labelsPath, type: labelArray.elementType,
                role: "labels (use an integer type)")
        }
        let imageCount = images.dimensions[0]
        guard imageCount == labels.count else {
            throw IDXError.countMismatch(
                imagesPath: imagesPath, images: imageCount,
                labelsPath: labelsPath, labels: labels.count)
        }
        if let index = labels.firstIndex(where: { !labelRange.contains($0) }) {
            throw IDXError.labelOutOfRange(path: labelsPath, index: index, value: labels[index], expected: labelRange)
        }
        let (rows, columns) = (images.dimensions[1], images.dimensions[2])
        guard rows > 0, columns > 0 else {
            throw IDXError.elementCountMismatch(path: imagesPath, dimensions: images.dimensions, elementCount: 0)
        }
        if case .floats(let values) = pixels,
            let bad = values.firstIndex(where: { !($0 >= 0 && $0 <= 1) })
        {  // NaN fails both tests
            throw IDXError.pixelOutOfRange(
                path: imagesPath, image: bad / (rows * columns),
                pixel: bad % (rows * columns), value: values[bad])
        }
        return LabeledImages(rows: rows, columns: columns, pixels: pixels, labels: labels)
    }
}
