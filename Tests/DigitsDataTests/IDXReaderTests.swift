import DigitsTestSupport
import Foundation
import Testing
@testable import DigitsData

/// Element i of the fixture arrays, as tools/make-fixtures.py writes them (shape [2, 3, 4]).
enum FixtureValues {
    static let dimensions = [2, 3, 4]
    static let indices = 0..<24

    static func elements(_ type: IDXElementType) -> IDXElements {
        switch type {
        case .uint8: .uint8(indices.map { UInt8($0 * 10) })
        case .int8: .int8(indices.map { Int8($0 * 10 - 120) })
        case .int16: .int16(indices.map { Int16($0 * 1000 - 12000) })
        case .int32: .int32(indices.map { Int32($0 * 100_000 - 1_000_000) })
        case .float32: .float32(indices.map { Float($0 - 12) * 0.25 })
        case .float64: .float64(indices.map { Double($0) / 3 })
        }
    }

    static func fileStem(_ type: IDXElementType) -> String {
        switch type {
        case .uint8: "u8"
        case .int8: "i8"
        case .int16: "i16"
        case .int32: "i32"
        case .float32: "f32"
        case .float64: "f64"
        }
    }
}

@Suite("IDX reading")
struct IDXReaderTests {
    @Test(
        "decoding bytes in memory gives what reading the file gives, errors included",
        arguments: [
            "u8.idx", "f32.idx.gz", "u8-two-members.idx.gz", "truncated.idx", "lying-header.idx.gz",
            "trailing-garbage.idx.gz", "huge-dimensions.idx"
        ])
    func decodeInMemory(name: String) throws {
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: fixture(name))))
        let fromFile = Outcome { try IDXReader.read(fixture(name)) }
        let fromMemory = Outcome { try IDXReader.decode(bytes, path: fixture(name)) }
        #expect(fromMemory == fromFile)
    }

    @Test(
        "each element type reads from a raw file and a gzipped one, every value exact",
        arguments: IDXElementType.allCases, ["", ".gz"])
    func readsFixture(type: IDXElementType, suffix: String) throws {
        let array = try IDXReader.read(fixture("\(FixtureValues.fileStem(type)).idx\(suffix)"))
        #expect(array.dimensions == FixtureValues.dimensions)
        #expect(array.elementType == type)
        #expect(array.elements == FixtureValues.elements(type))
    }

    @Test("gzip is recognised by its magic bytes, not by the file name")
    func gzipWithoutSuffix() throws {
        let array = try IDXReader.read(fixture("u8-gzipped-without-suffix.idx"))
        #expect(array.elements == FixtureValues.elements(.uint8))
    }

    @Test("a gzip file of two members (cat a.gz b.gz) reads as one stream")
    func twoMembers() throws {
        let array = try IDXReader.read(fixture("u8-two-members.idx.gz"))
        #expect(array.elements == FixtureValues.elements(.uint8))
    }

    @Test(
        "every element type round-trips write → read, raw and gzipped, bit for bit",
        arguments: IDXElementType.allCases, [false, true])
    func roundTrip(type: IDXElementType, compressed: Bool) throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("array.idx")
        let array = IDXArray(dimensions: FixtureValues.dimensions, elements: FixtureValues.elements(type))
        try IDXWriter.write(array, to: path, compressed: compressed)
        #expect(try IDXReader.read(path) == array)
    }

    @Test(
        "the writer produces exactly the bytes of the fixture generator (raw files)",
        arguments: IDXElementType.allCases)
    func writerMatchesGenerator(type: IDXElementType) throws {
        let array = IDXArray(dimensions: FixtureValues.dimensions, elements: FixtureValues.elements(type))
        let expected = try readBytes(fixture("\(FixtureValues.fileStem(type)).idx"))
        #expect(try IDXWriter.encode(array) == expected)
    }

    @Test("extreme values survive: Int32.min, −0.0, infinities, NaN bit patterns")
    func extremeValues() throws {
        let directory = try TemporaryDirectory()
        let cases: [IDXArray] = [
            IDXArray(dimensions: [3], elements: .int32([.min, .max, 0])),
            IDXArray(dimensions: [4], elements: .float32([-0.0, .infinity, -.infinity, .leastNonzeroMagnitude])),
            IDXArray(dimensions: [1, 1], elements: .float64([.greatestFiniteMagnitude]))
        ]
        for array in cases {
            try IDXWriter.write(array, to: directory.file("x.idx"), compressed: true)
            #expect(try IDXReader.read(directory.file("x.idx")) == array)
        }
        let nan = IDXArray(dimensions: [1], elements: .float32([Float(bitPattern: 0x7FC0_1234)]))
        try IDXWriter.write(nan, to: directory.file("nan.idx"))
        guard case .float32(let values) = try IDXReader.read(directory.file("nan.idx")).elements else {
            Issue.record("not float32")
            return
        }
        #expect(values.map(\.bitPattern) == [0x7FC0_1234])
    }

    @Test("the writer refuses elements that do not fill the dimensions")
    func writerChecksShape() throws {
        let error = caught(IDXError.self) {
            try IDXWriter.encode(IDXArray(dimensions: [2, 3], elements: .uint8([1, 2, 3])))
        }
        #expect(error == .elementCountMismatch(path: "<memory>", dimensions: [2, 3], elementCount: 3))
    }
}

@Suite("IDX damage: each kind its own error")
struct IDXDamageTests {
    static let limit = IDXReader.defaultByteLimit

    /// (fixture, the error it must give, given the fixture's path).
    static let exactCases: [(String, @Sendable (String) -> IDXError)] = [
        ("empty.idx", { .truncatedHeader(path: $0, expectedBytes: 4, foundBytes: 0) }),
        ("text.idx", { .badMagic(path: $0, bytes: Array("hell".utf8)) }),
        ("bad-magic.idx", { .badMagic(path: $0, bytes: [1, 2, 8, 1]) }),
        ("bad-type.idx", { .unknownElementType(path: $0, code: 0x0A) }),
        ("zero-dimensions.idx", { .badDimensionCount(path: $0, found: 0, expected: 1...8) }),
        ("truncated-header.idx", { .truncatedHeader(path: $0, expectedBytes: 12, foundBytes: 4) }),
        ("truncated.idx", { .truncated(path: $0, promisedBytes: 10, foundBytes: 7) }),
        ("truncated.idx.gz", { .truncated(path: $0, promisedBytes: 10, foundBytes: 7) }),
        ("overlong.idx", { .overlong(path: $0, promisedBytes: 10, foundBytes: 12, exact: true) }),
        ("overlong.idx.gz", { .overlong(path: $0, promisedBytes: 10, foundBytes: 12, exact: true) }),
        ("huge-dimensions.idx", { .tooLarge(path: $0, promisedBytes: 6_000_000_000_000, limit: limit) }),
        ("overflowing-dimensions.idx", { .tooLarge(path: $0, promisedBytes: nil, limit: limit) }),
        // Found by tools/fuzz FuzzIDX: u8 [0, 4278190079, 4294967295] passed (no data promised) and
        // Preprocessor.inputs trapped multiplying rows by columns.
        ("empty-huge-dimensions.idx", { .dimensionsTooLarge(path: $0, dimensions: [0, 4_278_190_079, 4_294_967_295], limit: limit) }),
        ("lying-header.idx.gz", { .impossibleCompression(path: $0, promisedBytes: 1_000_000_000, compressedBytes: fileSize($0)) }),
        ("no-such-file.idx", { .unreadable(path: $0, reason: "No such file or directory") })
    ]

    static func fileSize(_ path: String) -> Int {
        (try? readBytes(path).count) ?? -1
    }

    @Test("damaged file → its own error, exactly", arguments: exactCases.map(\.0))
    func exactError(name: String) throws {
        let path = fixture(name)
        let expected = try #require(Self.exactCases.first { $0.0 == name }).1(path)
        let error = caught(IDXError.self) { try IDXReader.read(path) }
        #expect(error == expected)
    }

    @Test("an empty image set whose rows × columns overflow: a typed error from load, not a trap in preprocessing")
    func emptyButHugeImages() throws {
        let directory = try TemporaryDirectory()
        let labels = directory.file("labels.idx")
        try Data([0, 0, 8, 1, 0, 0, 0, 0]).write(to: URL(fileURLWithPath: labels))  // u8 [0]: no labels
        let images = fixture("empty-huge-dimensions.idx")
        let error = caught(IDXError.self) { try LabeledImages.load(imagesPath: images, labelsPath: labels) }
        #expect(error == .dimensionsTooLarge(path: images, dimensions: [0, 4_278_190_079, 4_294_967_295], limit: Self.limit))
        #expect(error.map { "\($0)".contains("\n") } == false)

        // A genuinely empty set of 28 × 28 images is still fine.
        let empty = directory.file("empty-images.idx")
        try Data([0, 0, 8, 3, 0, 0, 0, 0, 0, 0, 0, 28, 0, 0, 0, 28]).write(to: URL(fileURLWithPath: empty))
        let set = try LabeledImages.load(imagesPath: empty, labelsPath: labels)
        #expect(set.count == 0 && set.rows == 28 && set.columns == 28)
        #expect(try Preprocessor().inputs(for: set).rows == 0)
    }

    @Test("a gzip stream cut in half is truncated, with fewer bytes found than promised")
    func cutGzip() {
        let error = caught(IDXError.self) { try IDXReader.read(fixture("cut-gzip.idx.gz")) }
        guard case .truncated(_, 1000, let found) = error else {
            Issue.record("got \(String(describing: error))")
            return
        }
        #expect(found < 1000)
    }

    @Test("garbage where deflate data should be is corrupt gzip")
    func corruptGzip() {
        let error = caught(IDXError.self) { try IDXReader.read(fixture("corrupt-gzip.idx.gz")) }
        guard case .corruptGzip = error else {
            Issue.record("got \(String(describing: error))")
            return
        }
    }

    @Test("bytes after the gzip stream are damage, not silently ignored")
    func trailingGarbage() {
        let error = caught(IDXError.self) { try IDXReader.read(fixture("trailing-garbage.idx.gz")) }
        guard case .corruptGzip(_, let reason) = error else {
            Issue.record("got \(String(describing: error))")
            return
        }
        #expect(reason.contains("4 bytes of non-gzip data"))
    }

    @Test("the byte limit is checked from the header: 24 bytes promised, limit 23")
    func byteLimit() throws {
        let path = fixture("u8.idx")
        #expect(
            caught(IDXError.self) { try IDXReader.read(path, byteLimit: 23) }
                == .tooLarge(path: path, promisedBytes: 24, limit: 23))
        #expect(try IDXReader.read(path, byteLimit: 24).elements.count == 24)
    }

    @Test(
        "every description is one line that names the file",
        arguments: exactCases.map(\.0) + ["cut-gzip.idx.gz", "corrupt-gzip.idx.gz", "trailing-garbage.idx.gz"])
    func oneLineDescriptions(name: String) throws {
        let path = fixture(name)
        let error = try #require(caught(IDXError.self) { try IDXReader.read(path) })
        #expect(error.description.hasPrefix(path + ": "))
        #expect(!error.description.contains("\n"))
    }

    @Test("the truncation message reads as the issue asks")
    func truncationWording() {
        #expect(
            IDXError.truncated(path: "data/x.idx", promisedBytes: 7_840_000, foundBytes: 1200).description
                == "data/x.idx: truncated: header promises 7840000 bytes of data, file has 1200")
    }
}

@Suite("IDX memory bounds")
struct IDXMemoryBoundsTests {
    /// A gzip stream whose deflate data is whole but whose CRC-32 and length trailer were cut off used
    /// to be accepted: the payload was all there, and nothing checked that the stream had ended.
    @Test("a gzip without its CRC trailer is refused")
    func gzipWithoutTrailer() throws {
        let idx = try IDXWriter.encode(IDXArray(dimensions: [3], elements: .uint8([1, 2, 3])))
        let whole = try gzipCompress(idx)
        #expect(try IDXReader.decode(whole, path: "ok.gz").dimensions == [3])
        let error = caught(IDXError.self) { try IDXReader.decode(Array(whole.dropLast(8)), path: "cut.gz") }
        #expect(error == .missingGzipTrailer(path: "cut.gz"))
        #expect(error?.description == "cut.gz: truncated gzip: the stream ends without its CRC-32 and length trailer")
    }

    @Test("a gzip bomb behind a modest header is over-long, found without inflating it all")
    func gzipBomb() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("bomb.idx.gz")
        // Header promises 10 bytes; 64 MiB of zeros follow, compressing to about 64 KB.
        let header: [UInt8] = [0, 0, 0x08, 1, 0, 0, 0, 10]
        try directory.write(try gzipCompress(header + [UInt8](repeating: 0, count: 64 << 20)), to: "bomb.idx.gz")
        let error = caught(IDXError.self) { try IDXReader.decode(readBytes(path), path: path) }
        guard case .overlong(path, 10, let found, exact: false) = error else {
            Issue.record("got \(String(describing: error))")
            return
        }
        // Counting stops after 16 MiB of surplus: enough to say "over-long", cheap to find out.
        #expect(found >= 10 + (1 << 24) && found < 10 + (1 << 24) + (1 << 16) + 1)
    }

    @Test("a directory is not an IDX file")
    func directory() throws {
        let directory = try TemporaryDirectory()
        #expect(
            caught(IDXError.self) { try IDXReader.read(directory.path) }
                == .unreadable(path: directory.path, reason: "it is a directory, not a regular file"))
    }
}
