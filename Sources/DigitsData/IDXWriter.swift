import DigitsIO

/// Writes IDX files, raw or gzipped; the inverse of `IDXReader`.
public enum IDXWriter {
    /// The file's bytes: magic `00 00 TYPE NDIMS`, big-endian dimensions, big-endian elements.
    public static func encode(_ array: IDXArray, path: String = "<memory>") throws -> [UInt8] {
        let dimensions = array.dimensions
        guard IDXReader.dimensionCountRange.contains(dimensions.count) else {
            throw IDXError.badDimensionCount(path: path, found: dimensions.count, expected: IDXReader.dimensionCountRange)
        }
        guard dimensions.allSatisfy({ (0...Int(UInt32.max)).contains($0) }),
            dimensions.reduce(1, *) == array.elements.count
        else {
            throw IDXError.elementCountMismatch(path: path, dimensions: dimensions, elementCount: array.elements.count)
        }
        var bytes: [UInt8] = [0, 0, array.elementType.rawValue, UInt8(dimensions.count)]
        bytes.reserveCapacity(
            IDXReader.headerSize(dimensionCount: dimensions.count)
                + array.elements.count * array.elementType.size)
        for dimension in dimensions { appendBigEndian(UInt32(dimension), to: &bytes) }
        switch array.elements {
        case .uint8(let values): bytes += values
        case .int8(let values): bytes += values.map { UInt8(bitPattern: $0) }
        case .int16(let values): for value in values { appendBigEndian(UInt16(bitPattern: value), to: &bytes) }
        case .int32(let values): for value in values { appendBigEndian(UInt32(bitPattern: value), to: &bytes) }
        case .float32(let values): for value in values { appendBigEndian(value.bitPattern, to: &bytes) }
        case .float64(let values): for value in values { appendBigEndian(value.bitPattern, to: &bytes) }
        }
        return bytes
    }

    /// Writes `array` to `path` (gzipped when `compressed`), through a temporary file and a rename.
    public static func write(_ array: IDXArray, to path: String, compressed: Bool = false) throws {
        var bytes = try encode(array, path: path)
        if compressed {
            do {
                bytes = try gzipCompress(bytes)
            } catch {
                throw IDXError.unwritable(path: path, reason: "\(error)")
            }
        }
        do {
            try AtomicFile.write(bytes, to: path)
        } catch {
            throw IDXError.unwritable(path: path, reason: error.reason)
        }
    }

    private static func appendBigEndian<Value: FixedWidthInteger>(_ value: Value, to bytes: inout [UInt8]) {
        withUnsafeBytes(of: value.bigEndian) { bytes.append(contentsOf: $0) }
    }
}
