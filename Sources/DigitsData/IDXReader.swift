/// Reads IDX files (the MNIST format), raw or gzipped — told apart by their first bytes, not their names.
///
/// Layout: magic `00 00 TYPE NDIMS`, NDIMS big-endian `UInt32` dimensions, then the elements,
/// row-major and big-endian. Nothing is trusted before it is checked: the magic, the type code,
/// the dimension count, that the data is exactly as long as the dimensions say, and that it fits
/// under `byteLimit` — checked from the header, before anything that large is allocated.
public enum IDXReader {
    /// 2 GiB of decoded data: far above MNIST (47 MB) yet below what a lying header could make us allocate.
    public static let defaultByteLimit = 1 << 31
    /// The format allows up to 255; no real data set needs more than a handful.
    public static let dimensionCountRange = 1...8

    public static func read(_ path: String, byteLimit: Int = defaultByteLimit) throws -> IDXArray {
        let file: [UInt8]
        do {
            file = try readWholeFile(path, limit: byteLimit + headerSize(dimensionCount: dimensionCountRange.upperBound))
        } catch {
            switch error {
            case .system(let reason): throw IDXError.unreadable(path: path, reason: reason)
            case .tooLarge(let bytes): throw IDXError.tooLarge(path: path, promisedBytes: bytes, limit: byteLimit)
            }
        }
        return try decode(file, path: path, byteLimit: byteLimit)
    }

    /// Decodes a whole IDX file (raw or gzipped) already in memory; `path` only names it in errors.
    /// The same checks as `read`, so fuzzing this exercises everything `read` does after the file read.
    public static func decode(_ file: [UInt8], path: String = "<memory>", byteLimit: Int = defaultByteLimit) throws -> IDXArray {
        var source = try DecodedBytes(file, path: path)

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
            dimensionBytes[4 * index ..< 4 * index + 4].reduce(0) { $0 << 8 | Int($1) }
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
        let payload = try source.payload(count: promised, path: path)
        return IDXArray(dimensions: dimensions, elements: decode(payload, as: elementType))
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
