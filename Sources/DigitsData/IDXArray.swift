/// The element types of the IDX format, by their type code (the third byte of the magic number).
public enum IDXElementType: UInt8, CaseIterable, Sendable {
    case uint8 = 0x08
    case int8 = 0x09
    case int16 = 0x0B
    case int32 = 0x0C
    case float32 = 0x0D
    case float64 = 0x0E

    /// Bytes per element in the file (all multi-byte types are big-endian there).
    public var size: Int {
        switch self {
        case .uint8, .int8: 1
        case .int16: 2
        case .int32, .float32: 4
        case .float64: 8
        }
    }
}

/// The elements of an IDX array, in the file's row-major order, converted to native byte order.
public enum IDXElements: Equatable, Sendable {
    case uint8([UInt8])
    case int8([Int8])
    case int16([Int16])
    case int32([Int32])
    case float32([Float])
    case float64([Double])

    public var elementType: IDXElementType {
        switch self {
        case .uint8: .uint8
        case .int8: .int8
        case .int16: .int16
        case .int32: .int32
        case .float32: .float32
        case .float64: .float64
        }
    }

    public var count: Int {
        switch self {
        case .uint8(let values): values.count
        case .int8(let values): values.count
        case .int16(let values): values.count
        case .int32(let values): values.count
        case .float32(let values): values.count
        case .float64(let values): values.count
        }
    }

    /// The elements as exact integers, or nil for the floating-point types.
    public var integers: [Int]? {
        switch self {
        case .uint8(let values): values.map(Int.init)
        case .int8(let values): values.map(Int.init)
        case .int16(let values): values.map(Int.init)
        case .int32(let values): values.map(Int.init)
        case .float32, .float64: nil
        }
    }
}

/// An n-dimensional array as stored in an IDX file: dimensions (outermost first) and elements.
///
/// MNIST images are `[count, rows, columns]` of `.uint8`; labels are `[count]` of `.uint8`.
public struct IDXArray: Equatable, Sendable {
    public var dimensions: [Int]
    public var elements: IDXElements

    public init(dimensions: [Int], elements: IDXElements) {
        self.dimensions = dimensions
        self.elements = elements
    }

    public var elementType: IDXElementType { elements.elementType }
}
