import DigitsTestSupport
import Foundation
import Testing
@testable import DigitsData

/// The PNG fixtures are 5 × 3; pixel i (row-major) encodes its index (see tools/make-fixtures.py).
@Suite("PNG reading")
struct PNGReaderTests {
    static let pixelCount = 15

    /// Grey fixtures: the reader hands back exactly the file's 8-bit samples over 255
    /// (low depths are expanded by bit replication: 1 → 255, 2-bit 1 → 85, 4-bit 1 → 17;
    /// 16-bit i·0x1111 reduces to i·17), so these are compared to within float rounding.
    static let exactTolerance: Float = 1e-6

    static func indexGrey(depth: Int) -> [Float] {
        (0..<pixelCount).map { i in
            depth < 8 ? Float(i % (1 << depth)) / Float((1 << depth) - 1) : Float(i * 17) / 255
        }
    }

    @Test(
        "grey at every bit depth, plain and interlaced, decodes to the encoded values",
        arguments: ["gray-1", "gray-2", "gray-4", "gray-8", "gray-16", "gray-1-interlaced", "gray-8-interlaced"])
    func grey(name: String) throws {
        let depth = Int(name.split(separator: "-")[1]) ?? 0
        let image = try PNGReader.read(fixture("\(name).png"))
        #expect((image.width, image.height) == (5, 3))
        expectClose(image.pixels, Self.indexGrey(depth: depth), within: Self.exactTolerance)
    }

    @Test("palette at every bit depth: entry k is grey 17k", arguments: [1, 2, 4, 8])
    func palette(depth: Int) throws {
        let image = try PNGReader.read(fixture("palette-\(depth).png"))
        let entries = min(1 << depth, 16)
        expectClose(image.pixels, (0..<Self.pixelCount).map { Float($0 % entries * 17) / 255 }, within: Self.exactTolerance)
    }

    /// RGB with R = G = B is grey already; libpng still converts through its sRGB luminance
    /// weights (which sum to 1 in fixed point), so allow one 8-bit step of rounding.
    @Test(
        "RGB with equal channels, 8 and 16 bits and interlaced, decodes to that grey",
        arguments: ["rgb-8", "rgb-16", "rgb-8-interlaced"])
    func rgbGrey(name: String) throws {
        let image = try PNGReader.read(fixture("\(name).png"))
        expectClose(image.pixels, Self.indexGrey(depth: 8), within: 1.01 / 255)
    }

    /// Pure colours go to grey by luminance (sRGB: 0.2126 R + 0.7152 G + 0.0722 B in linear light,
    /// then sRGB-encoded: red ≈ 127, green ≈ 220, blue ≈ 76 of 255). The tolerance of 4/255 covers
    /// libpng's fixed-point coefficients and gamma tables; the order blue < red < green is the point.
    @Test("colours go to grey by luminance")
    func colours() throws {
        let image = try PNGReader.read(fixture("rgb-colours.png"))
        expectClose(image.pixels, [0, 1, 127 / 255, 220 / 255, 76 / 255], within: 4 / 255)
    }

    /// Black ink with alpha: alpha 0 → white paper, alpha 255 → black, pixel 7 at alpha 128 →
    /// grey 1 − 128/255: compositing keeps coverage as ink (16-bit alpha 128·257 reduces to 128).
    @Test(
        "transparent pixels are composited over white",
        arguments: ["gray-alpha-8", "gray-alpha-16", "rgba-8", "rgba-16", "rgba-8-interlaced"])
    func alpha(name: String) throws {
        let image = try PNGReader.read(fixture("\(name).png"))
        for i in 0..<Self.pixelCount where i != 7 {
            #expect(image.pixels[i] == (i % 2 == 0 ? 1 : 0), "pixel \(i)")
        }
        #expect(abs(image.pixels[7] - (1 - 128 / 255)) < 1e-6, "half-transparent black: \(image.pixels[7])")
    }

    @Test("tRNS transparency (palette entry, grey value) also becomes white")
    func transparencyChunk() throws {
        let palette = try PNGReader.read(fixture("palette-transparent.png"))
        #expect(palette.pixels == (0..<Self.pixelCount).map { $0 % 2 == 0 ? 1 : 0 })
        let grey = try PNGReader.read(fixture("gray-transparent.png"))
        expectClose(grey.pixels, (0..<Self.pixelCount).map { $0 % 2 == 0 ? 1 : 85 / 255 }, within: Self.exactTolerance)
    }

    @Test("a 1 × 1 image and a blank 16 × 16 one")
    func tinyAndBlank() throws {
        let one = try PNGReader.read(fixture("one-pixel.png"))
        #expect((one.width, one.height, one.pixels) == (1, 1, [0]))
        let blank = try PNGReader.read(fixture("blank.png"))
        #expect((blank.width, blank.height) == (16, 16))
        #expect(blank.pixels.allSatisfy { $0 == 1 })
    }

    @Test("damaged files: a typed error each, never a crash")
    func damaged() {
        let truncated = fixture("truncated.png")
        guard case .corrupt(truncated, _) = caught(PNGError.self, { try PNGReader.read(truncated) }) else {
            Issue.record("truncated PNG should be corrupt")
            return
        }
        let notPNG = fixture("not-a-png.png")
        #expect(caught(PNGError.self) { try PNGReader.read(notPNG) } == .notPNG(path: notPNG))
        let idx = fixture("u8.idx")
        #expect(caught(PNGError.self) { try PNGReader.read(idx) } == .notPNG(path: idx))
        let missing = fixture("missing.png")
        #expect(
            caught(PNGError.self) { try PNGReader.read(missing) }
                == .unreadable(path: missing, reason: "No such file or directory"))
    }

    @Test(
        "decoding bytes in memory gives what reading the file gives, errors included",
        arguments: ["gray-8.png", "rgba-8-interlaced.png", "palette-4.png", "truncated.png", "not-a-png.png"])
    func decodeInMemory(name: String) throws {
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: fixture(name))))
        let fromFile = Outcome { try PNGReader.read(fixture(name)) }
        let fromMemory = Outcome { try PNGReader.decode(bytes, path: fixture(name)) }
        #expect(fromMemory == fromFile)
    }

    @Test("the size limit is checked from the header, before decoding")
    func sizeLimit() {
        let huge = fixture("huge-header.png")
        #expect(
            caught(PNGError.self) { try PNGReader.read(huge) }
                == .tooLarge(path: huge, width: 20_000, height: 20_000, limit: 10_000))
        let small = fixture("gray-8.png")
        #expect(
            caught(PNGError.self) { try PNGReader.read(small, sideLimit: 4) }
                == .tooLarge(path: small, width: 5, height: 3, limit: 4))
    }

    @Test("error descriptions are one line naming the file")
    func descriptions() throws {
        for name in ["truncated.png", "not-a-png.png", "huge-header.png"] {
            let path = fixture(name)
            let error = try #require(caught(PNGError.self) { try PNGReader.read(path) })
            #expect(error.description.hasPrefix(path + ": "))
            #expect(!error.description.contains("\n"))
        }
    }
}

@Suite("PNG writing")
struct PNGWriterTests {
    @Test("8-bit grey round-trips exactly")
    func greyRoundTrip() throws {
        let directory = try TemporaryDirectory()
        let pixels = (0..<35).map { UInt8($0 * 7) }
        try PNGWriter.writeGray(pixels, width: 7, height: 5, to: directory.file("g.png"))
        let image = try PNGReader.read(directory.file("g.png"))
        #expect((image.width, image.height) == (7, 5))
        #expect(image.pixels == pixels.map { Float($0) / 255 })
    }

    @Test("8-bit RGB writes; read back as grey, equal channels give that grey, colours their luminance")
    func rgbRoundTrip() throws {
        let directory = try TemporaryDirectory()
        let pixels: [UInt8] = [0, 0, 0, 255, 255, 255, 100, 100, 100, 255, 0, 0]
        try PNGWriter.writeRGB(pixels, width: 2, height: 2, to: directory.file("c.png"))
        let image = try PNGReader.read(directory.file("c.png"))
        expectClose(image.pixels, [0, 1, 100 / 255, 127 / 255], within: 4 / 255)
    }

    @Test("wrong pixel counts and unwritable paths are typed errors")
    func writeErrors() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("x.png")
        #expect(
            caught(PNGError.self) { try PNGWriter.writeRGB([1, 2, 3], width: 2, height: 1, to: path) }
                == .pixelCountMismatch(path: path, expected: 6, found: 3))
        let nowhere = directory.file("no/such/folder/x.png")
        guard case .unwritable(nowhere, _) = caught(PNGError.self, { try PNGWriter.writeGray([0], width: 1, height: 1, to: nowhere) })
        else {
            Issue.record("expected unwritable")
            return
        }
    }
}

func expectClose(
    _ actual: [Float], _ expected: [Float], within tolerance: Float,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    #expect(actual.count == expected.count, sourceLocation: sourceLocation)
    for (index, (a, e)) in zip(actual, expected).enumerated() where !(abs(a - e) <= tolerance) {
        Issue.record("element \(index): \(a), expected \(e) ± \(tolerance)", sourceLocation: sourceLocation)
    }
}
