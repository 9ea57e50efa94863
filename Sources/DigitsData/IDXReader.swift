import DigitsIO

/// Reads IDX files (the MNIST format), raw or gzipped — told apart by their first bytes, not their names.
///
/// Layout: magic `00 00 TYPE NDIMS`, NDIMS big-endian `UInt32` dimensions, then the elements,
/// row-major and big-endian. Nothing is trusted before it is checked: the magic, the type code,
/// the dimension count, that the data is exactly as long as the dimensions say, and that it fits
/// under `byteLimit` — checked from the header, before anything that large is allocated.
public enum IDXReader {
    /// 1 GiB of decoded data: twenty times MNIST (47 MB), below what a lying header could make us allocate.
    public static let defaultByteLimit = 1 << 30
    /// The format allows up to 255; no real data set needs more than a handful.
    public static let dimensionCountRange = 1...8
    /// The header is read from this much of the file's start, before the rest is trusted.
    static let headerProbeBytes = 1 << 16

    /// Reads an IDX file, raw or gzipped. The header is read first, from the file's first bytes,
    /// and everything after it is checked against what the header promises before the rest is read:
    /// a raw file must be exactly as long as promised (a 2 GB file promising 1 byte is refused
    /// unread), a gzip file no longer than deflate could need, and no more than `maximumItems`
    /// items (the first dimension: images or labels) are accepted.
    public static func read(_ path: String, byteLimit: Int = defaultByteLimit, maximumItems: Int = .max) throws -> IDXArray {
        let file: InputFile
        let start: [UInt8]
        do {
            file = try InputFile(path)
            start = try file.read(headerProbeBytes)
        } catch {
            throw IDXError.unreadable(path: path, reason: error.reason)
        }
        if start.count < file.size {
            var probe = try DecodedBytes(start, path: path)
            let header = try readHeader(&probe, path: path, byteLimit: byteLimit, maximumItems: maximumItems)
            let headerBytes = headerSize(dimensionCount: header.dimensions.count)
            if isGzip(start) {
                // Stored (uncompressed) deflate blocks cost 5 bytes per 65,535; gzip's own header and
                // trailer are small. A gzip file larger than this holds more than the header promises.
                let largest = (headerBytes + header.promised) + (headerBytes + header.promised) / 8192 + headerProbeBytes
                if file.size > largest {
                    throw IDXError.overlong(path: path, promisedBytes: header.promised, foundBytes: file.size, exact: false)
                }
            } else if file.size - headerBytes > header.promised {
                throw IDXError.overlong(path: path, promisedBytes: header.promised, foundBytes: file.size - headerBytes, exact: true)
            }
        }
        let rest: [UInt8]
        do {
            rest = try file.read(file.size - start.count)
        } catch {
            throw IDXError.unreadable(path: path, reason: error.reason)
        }
        return try decode(start + rest, path: path, byteLimit: byteLimit, maximumItems: maximumItems)
    }

    /// Decodes a whole IDX file (raw or gzipped) already in memory; `path` only names it in errors.
    /// The same checks as `read`, so fuzzing this exercises everything `read` does after the file read.
    public static func decode(
        _ file: [UInt8], path: String = "<memory>", byteLimit: Int = defaultByteLimit,
        maximumItems: Int = .max
    ) throws -> IDXArray {
        var source = try DecodedBytes(file, path: path)
        let header = try readHeader(&source, path: path, byteLimit: byteLimit, maximumItems: maximumItems)
        let payload = try source.payload(count: header.promised, path: path)
        return IDXArray(dimensions: header.dimensions, elements: decode(payload, as: header.elementType))
    }

    /// Magic, element type and dimensions, each checked; `promised` is the data's length in bytes.
    private static func readHeader(_ source: inout DecodedBytes, path: String, byteLimit: Int, maximumItems: Int) throws
        -> (elementType: IDXElementType, dimensions: [Int], promised: Int)
    {
        let magic = try source.header(count: 4, path: path)
        guard magic[0] == 0, magic[1] == 0 else { throw IDXError.badMagic(path: path, bytes: Array(magic.prefix(4))) }
        guard let elementType = IDXElementType(rawValue: magic[2]) else {
            throw IDXError.unknownElementType(path: path, code: magic[2])
        }
        let dimensionCount = Int(magic[3])
        guard dimensionCountRange.contains(dimensionCount) else {
            throw IDXError.badDimensionCount(path: path, found: dimensionCount, expected: dimensionCountRange)
        }
        let dimensionBytes = try source.header(count: 4 * dimensionCount, path: path)
        let dimensions = (0..<dimensionCount).map { index in
            dimensionBytes[4 * index..<4 * index + 4].reduce(0) { $0 << 8 | Int($1) }
        }
        guard dimensions[0] <= maximumItems else {
            throw IDXError.tooManyItems(path: path, count: dimensions[0], limit: maximumItems)
        }

        // product(dimensions) × element size, refusing overflow and anything over the limit.
        var promised = elementType.size
        for dimension in dimensions {
            let (product, overflow) = promised.multipliedReportingOverflow(by: dimension)
            guard !overflow else { throw IDXError.tooLarge(path: path, promisedBytes: nil, limit: byteLimit) }
            promised = product
        }
        guard promised <= byteLimit else {
            throw IDXError.tooLarge(path: path, promisedBytes: promised, limit: byteLimit)
        }
        // A zero dimension empties the array whatever the others say, but they must still describe
        // something that could fit: [0, 2³², 2³²] "images" overflow whoever multiplies rows by columns.
        var sliceBytes = elementType.size
        for dimension in dimensions where dimension > 0 {
            let (product, overflow) = sliceBytes.multipliedReportingOverflow(by: dimension)
            guard !overflow, product <= byteLimit else {
                throw IDXError.dimensionsTooLarge(path: path, dimensions: dimensions, limit: byteLimit)
            }
            sliceBytes = product
        }
        return (elementType, dimensions, promised)
    }

    static func headerSize(dimensionCount: Int) -> Int { 4 + 4 * dimensionCount }

    /// Big-endian file bytes to native elements.
    static func decode(_ payload: [UInt8], as type: IDXElementType) -> IDXElements {
        switch type {
        case .uint8: .uint8(payload)
        case .int8: .int8(payload.map { Int8(bitPattern: $0) })
        case .int16: .int16(bigEndianValues(payload) { (raw: UInt16) in Int16(bitPattern: raw) })
        case .int32: .int32(bigEndianValues(payload) { (raw: UInt32) in Int32(bitPattern: raw) })
        case .float32: .float32(bigEndianValues(payload) { (raw: UInt32) in Float(bitPattern: raw) })
        case .float64: .float64(bigEndianValues(payload) { (raw: UInt64) in Double(bitPattern: raw) })
        }
    }

    private static func bigEndianValues<Raw: FixedWidthInteger, Value>(
        _ payload: [UInt8], _ convert: (Raw) -> Value
    ) -> [Value] {
        let size = MemoryLayout<Raw>.size
        return payload.withUnsafeBytes { bytes in
            (0..<bytes.count / size).map { index in
                convert(Raw(bigEndian: bytes.loadUnaligned(fromByteOffset: index * size, as: Raw.self)))
            }
        }
    }
}

/// The decoded bytes of an IDX file: the file itself, or what zlib inflates from it.
private struct DecodedBytes {
    private let file: [UInt8]
    private let inflater: GzipInflater?
    private var offset = 0  // into `file`, when raw

    init(_ file: [UInt8], path: String) throws {
        self.file = file
        do {
            inflater = isGzip(file) ? try GzipInflater(file) : nil
        } catch {
            throw IDXError.corruptGzip(path: path, reason: "\(error)")
        }
    }

    /// The next `count` header bytes; a file that ends inside its header is truncated.
    mutating func header(count: Int, path: String) throws -> [UInt8] {
        let bytes = try read(count, path: path)
        guard bytes.count == count else {
            // Too short to even hold its magic: say what is there, so a stray text file reads as "not IDX".
            if bytes.count >= 2 && (bytes[0] != 0 || bytes[1] != 0) {
                throw IDXError.badMagic(path: path, bytes: bytes)
            }
            throw IDXError.truncatedHeader(path: path, expectedBytes: count, foundBytes: bytes.count)
        }
        return bytes
    }

    /// Exactly `count` bytes of data, which must be all the rest of the file.
    mutating func payload(count: Int, path: String) throws -> [UInt8] {
        guard let inflater else {
            let available = file.count - offset
            if available < count { throw IDXError.truncated(path: path, promisedBytes: count, foundBytes: available) }
            if available > count {
                throw IDXError.overlong(path: path, promisedBytes: count, foundBytes: available, exact: true)
            }
            return Array(file[offset...])
        }
        // A header promising more than the compressed file can hold is refused before allocating.
        guard count <= maximumInflatedSize(compressedBytes: file.count) else {
            throw IDXError.impossibleCompression(path: path, promisedBytes: count, compressedBytes: file.count)
        }
        let data = try read(count, path: path)
        guard data.count == count else {
            throw IDXError.truncated(path: path, promisedBytes: count, foundBytes: data.count)
        }
        // Count what follows, in a small scratch buffer and only so far: a bomb is not worth inflating.
        var extra = 0
        var scratch = [UInt8](repeating: 0, count: 1 << 16)
        while !inflater.isFinished && extra < 1 << 24 {
            extra += try inflate(inflater, into: &scratch, path: path)
        }
        if extra > 0 {
            throw IDXError.overlong(path: path, promisedBytes: count, foundBytes: count + extra, exact: inflater.isFinished)
        }
        guard inflater.endedCleanly else { throw IDXError.missingGzipTrailer(path: path) }
        return data
    }

    private mutating func read(_ count: Int, path: String) throws -> [UInt8] {
        guard let inflater else {
            let end = min(file.count, offset + count)
            defer { offset = end }
            return Array(file[offset..<end])
        }
        var failure: Error?
        let bytes = [UInt8](unsafeUninitializedCapacity: count) { buffer, initializedCount in
            do {
                initializedCount = try inflater.read(into: UnsafeMutableRawBufferPointer(buffer))
            } catch {
                initializedCount = 0
                failure = IDXError.corruptGzip(path: path, reason: "\(error)")
            }
        }
        if let failure { throw failure }
        return bytes
    }

    private func inflate(_ inflater: GzipInflater, into scratch: inout [UInt8], path: String) throws -> Int {
        do {
            return try scratch.withUnsafeMutableBytes { try inflater.read(into: $0) }
        } catch {
            throw IDXError.corruptGzip(path: path, reason: "\(error)")
        }
    }
}
