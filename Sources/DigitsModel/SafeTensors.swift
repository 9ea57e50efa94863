import DigitsCore
import DigitsIO
import DigitsJSON

/// A safetensors container (https://huggingface.co/docs/safetensors): named float32 tensors and a
/// string-to-string metadata map, in the layout Python's `safetensors` and NumPy read:
///
///     [8 bytes]  N, the header length, little-endian UInt64
///     [N bytes]  UTF-8 JSON: {"__metadata__": {"key": "value", …},
///                             "name": {"dtype": "F32", "shape": [rows, cols], "data_offsets": [begin, end]}, …}
///                padded with spaces so the data starts at a multiple of 8 bytes
///     [rest]     the tensors' bytes, little-endian, row-major; offsets count from the start of this section
///
/// Reading checks every byte of that against the file: each kind of damage is its own `SafeTensorsError`.
public struct SafeTensors: Equatable, Sendable {
    /// One tensor: its shape and its row-major elements (`values.count` = product of `shape`).
    public struct Tensor: Equatable, Sendable {
        public var shape: [Int]
        public var values: [Float]

        public init(shape: [Int], values: [Float]) {
            self.shape = shape
            self.values = values
        }

        /// A matrix as a 2-D tensor (rows, columns).
        public init(_ matrix: Matrix) {
            self.init(shape: [matrix.rows, matrix.columns], values: matrix.elements)
        }

        /// A 1 × n matrix (how `Linear` holds a bias) as the 1-D tensor (n) a bias is stored as.
        public init(vector matrix: Matrix) {
            self.init(shape: [matrix.rows * matrix.columns], values: matrix.elements)
        }

        /// Bit-for-bit equality, so that -0.0 ≠ 0.0 and a NaN equals the same NaN.
        public static func == (lhs: Tensor, rhs: Tensor) -> Bool {
            lhs.shape == rhs.shape && lhs.values.count == rhs.values.count
                && zip(lhs.values, rhs.values).allSatisfy { $0.bitPattern == $1.bitPattern }
        }
    }

    /// The `__metadata__` map.
    public var metadata: [String: String]
    /// Tensors in file order (the order they were added when written).
    public private(set) var tensors: [(name: String, tensor: Tensor)]

    public init(metadata: [String: String] = [:]) {
        self.metadata = metadata
        tensors = []
    }

    /// Largest model or checkpoint file this reader accepts, checked before reading: a 256-512-256-10
    /// model is 1 MB, its checkpoint 3 MB; an MLP too big for 256 MiB is far beyond 16 × 16 inputs.
    public static let fileByteLimit = 256 << 20

    /// Largest header this reader accepts; real headers of this project are a few kilobytes.
    public static let maximumHeaderLength = 100 * 1024 * 1024
    static let metadataKey = "__metadata__"

    public var tensorNames: [String] { tensors.map(\.name) }

    public subscript(name: String) -> Tensor? {
        tensors.first(where: { $0.name == name })?.tensor
    }

    /// Adds a tensor, or replaces the one of the same name in place.
    public mutating func set(_ name: String, _ tensor: Tensor) {
        if let index = tensors.firstIndex(where: { $0.name == name }) {
            tensors[index].tensor = tensor
        } else {
            tensors.append((name, tensor))
        }
    }

    /// Removes the tensor of that name, if there is one.
    public mutating func remove(_ name: String) {
        tensors.removeAll { $0.name == name }
    }

    public static func == (lhs: SafeTensors, rhs: SafeTensors) -> Bool {
        lhs.metadata == rhs.metadata && lhs.tensors.count == rhs.tensors.count
            && zip(lhs.tensors, rhs.tensors).allSatisfy { $0.name == $1.name && $0.tensor == $1.tensor }
    }
}

// MARK: - Writing

extension SafeTensors {
    /// The file's bytes. Same tensors and metadata ⇒ same bytes (metadata keys are written sorted).
    /// `path` only names the destination in errors.
    public func encoded(path: String = "<memory>") throws(SafeTensorsError) -> [UInt8] {
        var members: [(key: String, value: JSONValue)] = []
        if !metadata.isEmpty {
            let pairs = metadata.keys.sorted().map { (key: $0, value: JSONValue.string(metadata[$0] ?? "")) }
            members.append((Self.metadataKey, .object(pairs)))
        }
        var offset = 0
        for (name, tensor) in tensors {
            guard name != Self.metadataKey, !name.isEmpty else { throw .reservedTensorName(path: path, name: name) }
            guard tensor.shape.allSatisfy({ $0 >= 0 }),
                let count = Self.elementCount(tensor.shape), count == tensor.values.count
            else {
                throw .valueCountMismatch(path: path, tensor: name, shape: tensor.shape, valueCount: tensor.values.count)
            }
            let end = offset + 4 * count
            members.append(
                (
                    name,
                    .object([
                        ("dtype", .string("F32")), ("shape", .array(tensor.shape.map(JSONValue.integer))),
                        ("data_offsets", .array([.integer(offset), .integer(end)]))
                    ])
                ))
            offset = end
        }
        let header = JSONWriter.write(.object(members), style: .compact)
        var headerBytes = Array(header.utf8)
        // Pad with spaces (allowed by the format) so the data section starts 8-byte aligned.
        while (8 + headerBytes.count) % 8 != 0 { headerBytes.append(0x20) }

        var bytes: [UInt8] = []
        bytes.reserveCapacity(8 + headerBytes.count + offset)
        var length = UInt64(headerBytes.count).littleEndian
        withUnsafeBytes(of: &length) { bytes.append(contentsOf: $0) }
        bytes.append(contentsOf: headerBytes)
        for (_, tensor) in tensors {
            for value in tensor.values {
                let bits = value.bitPattern.littleEndian
                withUnsafeBytes(of: bits) { bytes.append(contentsOf: $0) }
            }
        }
        return bytes
    }

    /// Writes the file atomically: a temporary file beside `path`, fsync, rename over `path`, fsync of the
    /// directory. On failure the temporary file is removed and whatever was at `path` is left untouched.
    public func save(to path: String) throws(SafeTensorsError) {
        let bytes = try encoded(path: path)
        do {
            try AtomicFile.write(bytes, to: path)
        } catch {
            switch error {
            case .writeFailed(_, let step, let reason): throw .writeFailed(path: path, step: step, reason: reason)
            default: throw .writeFailed(path: path, step: "check the target", reason: error.reason)
            }
        }
    }

    /// Product of the dimensions, or nil on overflow.
    static func elementCount(_ shape: [Int]) -> Int? {
        var product = 1
        for dimension in shape {
            let (result, overflow) = product.multipliedReportingOverflow(by: dimension)
            if overflow { return nil }
            product = result
        }
        return product
    }
}

// MARK: - Reading

extension SafeTensors {
    /// Reads and validates the file at `path`: the header first, checked against the file's size,
    /// then each tensor's bytes read straight into its values (no copy of the whole file first:
    /// for the shipped model that copy was a tenth of a `digits classify` process). Every check and
    /// error is `decode`'s.
    public static func load(from path: String) throws(SafeTensorsError) -> SafeTensors {
        let (file, layout) = try openLayout(path)
        func failure(_ error: FileIOError) -> SafeTensorsError { .unreadable(path: path, reason: error.reason) }
        let shrank = SafeTensorsError.unreadable(path: path, reason: "the file shrank while it was read")
        // The tensors tile the data section in offset order: read them in that order.
        var values = [[Float]](repeating: [], count: layout.entries.count)
        for index in layout.entries.indices.sorted(by: { layout.entries[$0].begin < layout.entries[$1].begin }) {
            let entry = layout.entries[index]
            let count = (entry.end - entry.begin) / 4
            var outcome: Result<Int, FileIOError> = .success(0)
            values[index] = [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
                outcome = Result { () throws(FileIOError) in try file.read(into: UnsafeMutableRawBufferPointer(buffer)) }
                initialized = (try? outcome.get()) == 4 * count ? count : 0
            }
            switch outcome {
            case .failure(let error): throw failure(error)
            case .success(let bytes) where bytes != 4 * count: throw shrank
            case .success: break
            }
            #if _endian(big)
                values[index] = values[index].map { Float(bitPattern: UInt32(littleEndian: $0.bitPattern)) }
            #endif
        }
        var result = SafeTensors(metadata: layout.metadata)
        for (entry, tensorValues) in zip(layout.entries, values) {
            result.tensors.append((entry.name, Tensor(shape: entry.shape, values: tensorValues)))
        }
        return result
    }

    /// The metadata of the file at `path`, after the same checks of its header as `load` (the tensors'
    /// bytes are not read): what a caller needs before the weights, at the cost of a few kilobytes.
    public static func loadMetadata(from path: String) throws(SafeTensorsError) -> [String: String] {
        try openLayout(path).layout.metadata
    }

    /// The file opened and its header read and checked against its size; the file is left at the data.
    private static func openLayout(_ path: String) throws(SafeTensorsError) -> (file: InputFile, layout: Layout) {
        func failure(_ error: FileIOError) -> SafeTensorsError {
            if case .missing = error { return .missingFile(path: path) }
            return .unreadable(path: path, reason: error.reason)
        }
        let file: InputFile
        do {
            file = try InputFile(path)
            try file.requireSize(atMost: fileByteLimit, what: "a model file")
        } catch {
            throw failure(error)
        }
        func read(_ count: Int) throws(SafeTensorsError) -> [UInt8] {
            let bytes: [UInt8]
            do { bytes = try file.read(count) } catch { throw failure(error) }
            guard bytes.count == count else { throw .unreadable(path: path, reason: "the file shrank while it was read") }
            return bytes
        }
        let layout = try Layout(
            totalLength: file.size, lengthField: try read(min(8, file.size)), path: path,
            maximumHeaderLength: maximumHeaderLength, header: read)
        return (file, layout)
    }

    /// Validates and decodes a whole file's bytes; `path` names the file in errors.
    public static func decode(_ bytes: [UInt8], path: String = "<memory>") throws(SafeTensorsError) -> SafeTensors {
        try decode(bytes, path: path, maximumHeaderLength: maximumHeaderLength)
    }

    /// `maximumHeaderLength` is a parameter so tests can check the limit without a 100 MB file.
    static func decode(_ bytes: [UInt8], path: String, maximumHeaderLength: Int) throws(SafeTensorsError) -> SafeTensors {
        let layout = try Layout(
            totalLength: bytes.count, lengthField: Array(bytes.prefix(8)), path: path,
            maximumHeaderLength: maximumHeaderLength
        ) { length throws(SafeTensorsError) in Array(bytes[8..<8 + length]) }
        var result = SafeTensors(metadata: layout.metadata)
        for entry in layout.entries {
            let values = littleEndianFloats(bytes, from: layout.dataStart + entry.begin, count: (entry.end - entry.begin) / 4)
            result.tensors.append((entry.name, Tensor(shape: entry.shape, values: values)))
        }
        return result
    }

    /// What the header says, checked against the file's length: the metadata, and where each
    /// tensor's bytes are (offsets from `dataStart`), in header order. `header(N)` gives the N bytes
    /// after the length field, asked for only once N is known to fit in the file and the limit.
    struct Layout {
        var metadata: [String: String] = [:]
        var entries: [(name: String, shape: [Int], begin: Int, end: Int)] = []
        var dataStart: Int

        init(
            totalLength: Int, lengthField: [UInt8], path: String, maximumHeaderLength: Int,
            header: (Int) throws(SafeTensorsError) -> [UInt8]
        ) throws(SafeTensorsError) {
            guard totalLength > 0 else { throw .empty(path: path) }
            guard totalLength >= 8, lengthField.count == 8 else { throw .tooShort(path: path, byteCount: totalLength) }
            var declared: UInt64 = 0
            for i in 0..<8 { declared |= UInt64(lengthField[i]) << (8 * UInt64(i)) }
            let available = totalLength - 8
            guard declared <= UInt64(available), declared <= UInt64(maximumHeaderLength) else {
                throw .headerLengthOutOfBounds(
                    path: path, headerLength: declared, available: available,
                    maximum: maximumHeaderLength)
            }
            let headerLength = Int(declared)
            let headerBytes = try header(headerLength)
            guard String(validating: headerBytes, as: UTF8.self) != nil else { throw .headerNotUTF8(path: path) }
            let json: JSONValue
            do {
                json = try JSONParser.parse(headerBytes)
            } catch {
                throw .headerNotJSON(path: path, offset: error.offset, problem: error.message)
            }
            guard case .object(let members) = json else { throw .headerNotObject(path: path, found: json.kindDescription) }

            dataStart = 8 + headerLength
            let dataLength = totalLength - dataStart
            for (name, value) in members {
                if name == SafeTensors.metadataKey {
                    guard case .object(let pairs) = value else {
                        throw .badMetadata(path: path, problem: "__metadata__ is \(value.kindDescription), not an object")
                    }
                    for (key, item) in pairs {
                        guard case .string(let text) = item else {
                            throw .badMetadata(
                                path: path, problem: "value of \(JSONWriter.quoted(key)) is \(item.kindDescription), not a string")
                        }
                        metadata[key] = text
                    }
                    continue
                }
                entries.append(try SafeTensors.parseEntry(name: name, value, path: path))
            }

            // The tensors must tile the data section: sorted by offset, each starting where the last ended.
            let sorted = entries.sorted { ($0.begin, $0.end) < ($1.begin, $1.end) }
            var expectedBegin = 0
            var previous: String?
            for entry in sorted {
                if entry.begin < expectedBegin, let previous {
                    throw .overlappingTensors(path: path, first: previous, second: entry.name)
                }
                if entry.begin > expectedBegin {
                    throw .gapInData(path: path, from: expectedBegin, to: entry.begin)
                }
                if entry.end > dataLength {
                    throw .offsetsPastEnd(
                        path: path, tensor: entry.name, begin: entry.begin, end: entry.end,
                        dataLength: dataLength)
                }
                expectedBegin = entry.end
                previous = entry.name
            }
            guard expectedBegin == dataLength else {
                throw .trailingData(path: path, used: expectedBegin, dataLength: dataLength)
            }
        }
    }

    /// `count` little-endian float32 values starting at byte `start` (bounds checked by the caller).
    /// On a little-endian machine the bytes are the values: one copy, not a loop of byte shifts
    /// (the shipped model's megabyte was a quarter of `digits classify`'s model loading).
    static func littleEndianFloats(_ bytes: [UInt8], from start: Int, count: Int) -> [Float] {
        [Float](unsafeUninitializedCapacity: count) { values, initialized in
            bytes.withUnsafeBytes { source in
                #if _endian(little)
                    UnsafeMutableRawBufferPointer(values).copyMemory(
                        from: UnsafeRawBufferPointer(rebasing: source[start..<start + 4 * count]))
                #else
                    for i in 0..<count {
                        values[i] = Float(
                            bitPattern: UInt32(littleEndian: source.loadUnaligned(fromByteOffset: start + 4 * i, as: UInt32.self)))
                    }
                #endif
            }
            initialized = count
        }
    }

    private static func parseEntry(name: String, _ value: JSONValue, path: String)
        throws(SafeTensorsError) -> (name: String, shape: [Int], begin: Int, end: Int)
    {
        guard case .object(let fields) = value else {
            throw .badTensorEntry(path: path, tensor: name, problem: "entry is \(value.kindDescription), not an object")
        }
        func field(_ key: String) throws(SafeTensorsError) -> JSONValue {
            guard let found = fields.first(where: { $0.key == key })?.value else {
                throw .badTensorEntry(path: path, tensor: name, problem: "no \"\(key)\"")
            }
            return found
        }
        guard case .string(let dtype) = try field("dtype") else {
            throw .badTensorEntry(path: path, tensor: name, problem: "\"dtype\" is not a string")
        }
        guard case .array(let shapeItems) = try field("shape") else {
            throw .badTensorEntry(path: path, tensor: name, problem: "\"shape\" is not an array")
        }
        var shape: [Int] = []
        for item in shapeItems {
            guard let dimension = item.nonNegativeInteger else {
                throw .badTensorEntry(
                    path: path, tensor: name,
                    problem: "shape dimension \(item.kindDescription) is not a non-negative integer")
            }
            shape.append(dimension)
        }
        guard case .array(let offsetItems) = try field("data_offsets"), offsetItems.count == 2 else {
            throw .badTensorEntry(path: path, tensor: name, problem: "\"data_offsets\" is not an array of two integers")
        }
        guard let begin = offsetItems[0].nonNegativeInteger, let end = offsetItems[1].nonNegativeInteger else {
            throw .badTensorEntry(
                path: path, tensor: name,
                problem: "\"data_offsets\" are not non-negative integers")
        }
        if let unknown = fields.first(where: { !["dtype", "shape", "data_offsets"].contains($0.key) }) {
            throw .badTensorEntry(path: path, tensor: name, problem: "unknown field \(JSONWriter.quoted(unknown.key))")
        }
        guard dtype == "F32" else { throw .unsupportedDType(path: path, tensor: name, dtype: dtype) }
        guard end >= begin else { throw .reversedOffsets(path: path, tensor: name, begin: begin, end: end) }
        guard let count = elementCount(shape), count <= (Int.max / 4), count * 4 == end - begin else {
            throw .shapeDoesNotMatchOffsets(path: path, tensor: name, shape: shape, begin: begin, end: end)
        }
        return (name, shape, begin, end)
    }
}

// MARK: - Errors

/// What can be wrong with a safetensors file, one case per kind of damage.
/// `description` is one line naming the file and the problem.
public enum SafeTensorsError: Error, Equatable, CustomStringConvertible {
    case missingFile(path: String)
    case unreadable(path: String, reason: String)
    case empty(path: String)
    case tooShort(path: String, byteCount: Int)
    case headerLengthOutOfBounds(path: String, headerLength: UInt64, available: Int, maximum: Int)
    case headerNotUTF8(path: String)
    case headerNotJSON(path: String, offset: Int, problem: String)
    case headerNotObject(path: String, found: String)
    case badMetadata(path: String, problem: String)
    case badTensorEntry(path: String, tensor: String, problem: String)
    case unsupportedDType(path: String, tensor: String, dtype: String)
    case reversedOffsets(path: String, tensor: String, begin: Int, end: Int)
    case shapeDoesNotMatchOffsets(path: String, tensor: String, shape: [Int], begin: Int, end: Int)
    case overlappingTensors(path: String, first: String, second: String)
    case gapInData(path: String, from: Int, to: Int)
    case offsetsPastEnd(path: String, tensor: String, begin: Int, end: Int, dataLength: Int)
    case trailingData(path: String, used: Int, dataLength: Int)
    // Writing
    case reservedTensorName(path: String, name: String)
    case valueCountMismatch(path: String, tensor: String, shape: [Int], valueCount: Int)
    case writeFailed(path: String, step: String, reason: String)

    public var path: String {
        switch self {
        case .missingFile(let path), .unreadable(let path, _), .empty(let path), .tooShort(let path, _),
            .headerLengthOutOfBounds(let path, _, _, _), .headerNotUTF8(let path), .headerNotJSON(let path, _, _),
            .headerNotObject(let path, _), .badMetadata(let path, _), .badTensorEntry(let path, _, _),
            .unsupportedDType(let path, _, _), .reversedOffsets(let path, _, _, _),
            .shapeDoesNotMatchOffsets(let path, _, _, _, _), .overlappingTensors(let path, _, _),
            .gapInData(let path, _, _), .offsetsPastEnd(let path, _, _, _, _), .trailingData(let path, _, _),
            .reservedTensorName(let path, _), .valueCountMismatch(let path, _, _, _), .writeFailed(let path, _, _):
            path
        }
    }

    public var description: String {
        let problem: String =
            switch self {
            case .missingFile:
                "no such file"
            case .unreadable(_, let reason):
                "cannot read: \(reason)"
            case .empty:
                "the file is empty, not a safetensors model"
            case .tooShort(_, let count):
                "only \(count) bytes, too short for the 8-byte header length of a safetensors file"
            case .headerLengthOutOfBounds(_, let length, let available, let maximum):
                length > UInt64(available)
                    ? "header length \(length) runs past the end of the file (\(available) bytes after the length field); truncated or not a safetensors file"
                    : "header length \(length) exceeds the limit of \(maximum) bytes"
            case .headerNotUTF8:
                "the header is not valid UTF-8"
            case .headerNotJSON(_, let offset, let message):
                "the header is not valid JSON: \(message) at byte \(offset) of the header"
            case .headerNotObject(_, let found):
                "the header is \(found), not a JSON object"
            case .badMetadata(_, let problem):
                "bad __metadata__: \(problem)"
            case .badTensorEntry(_, let tensor, let problem):
                "tensor \(JSONWriter.quoted(tensor)): \(problem)"
            case .unsupportedDType(_, let tensor, let dtype):
                "tensor \(JSONWriter.quoted(tensor)) has dtype \(JSONWriter.quoted(dtype)); only \"F32\" is supported"
            case .reversedOffsets(_, let tensor, let begin, let end):
                "tensor \(JSONWriter.quoted(tensor)) data_offsets [\(begin), \(end)] end before they begin"
            case .shapeDoesNotMatchOffsets(_, let tensor, let shape, let begin, let end):
                "tensor \(JSONWriter.quoted(tensor)) of shape \(shape) needs \(SafeTensors.elementCount(shape).map { "\($0 &* 4)" } ?? "too many") bytes but data_offsets [\(begin), \(end)] hold \(end - begin)"
            case .overlappingTensors(_, let first, let second):
                "tensors \(JSONWriter.quoted(first)) and \(JSONWriter.quoted(second)) overlap in the data section"
            case .gapInData(_, let from, let to):
                "bytes \(from)..<\(to) of the data section belong to no tensor"
            case .offsetsPastEnd(_, let tensor, let begin, let end, let length):
                "tensor \(JSONWriter.quoted(tensor)) data_offsets [\(begin), \(end)] run past the end of the data (\(length) bytes); the file is truncated"
            case .trailingData(_, let used, let length):
                "the data section has \(length) bytes but the tensors use only \(used)"
            case .reservedTensorName(_, let name):
                "cannot write a tensor named \(JSONWriter.quoted(name))"
            case .valueCountMismatch(_, let tensor, let shape, let count):
                "cannot write tensor \(JSONWriter.quoted(tensor)): shape \(shape) does not hold \(count) values"
            case .writeFailed(_, let step, let reason):
                step == AtomicFile.Step.syncDirectory.rawValue
                    ? "saved, but could not make the rename durable (\(step)): \(reason)"
                    : "cannot save (\(step)): \(reason); any previous file there is unchanged"
            }
        return "\(path): \(problem)"
    }
}
