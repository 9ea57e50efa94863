import DigitsCore
import DigitsTestSupport
import Foundation
import Testing
@testable import DigitsData

/// The JPEG fixtures (tools/make-jpeg-fixtures.py, encoded by Pillow) are flat 8 × 8 blocks, which
/// JPEG keeps as their DC value alone: the decoded grey is the written one within `tolerance`.
@Suite("JPEG reading")
struct JPEGReaderTests {
    /// Three 8-bit steps: DC quantisation at quality 95 and libjpeg's fixed-point colour conversion.
    static let tolerance: Float = 3 / 255

    /// The mean of each 8 × 8 block of a 16 × 8 image, left and right.
    static func blockMeans(_ image: GrayImage) -> [Float] {
        [0, 8].map { x0 in
            var sum: Float = 0
            for y in 0..<8 { for x in x0..<x0 + 8 { sum += image[x, y] } }
            return sum / 64
        }
    }

    @Test(
        "grey, baseline and progressive: the two blocks are grey 40 and 200",
        arguments: ["jpeg-gray", "jpeg-progressive"])
    func grey(name: String) throws {
        let image = try JPEGReader.read(fixture("\(name).jpg"))
        #expect((image.width, image.height) == (16, 8))
        expectClose(Self.blockMeans(image), [40 / 255, 200 / 255], within: Self.tolerance)
    }

    /// Colour becomes luminance: red (255, 0, 0) → 0.299 · 255 = 76.2; cyan (0, 255, 255) →
    /// (0.587 + 0.114) · 255 = 178.8.
    @Test("RGB goes to grey by luminance")
    func rgb() throws {
        let image = try JPEGReader.read(fixture("jpeg-rgb.jpg"))
        expectClose(Self.blockMeans(image), [76.2 / 255, 178.8 / 255], within: Self.tolerance)
    }

    /// Left block: black ink only (K = 100 %) → 0. Right block: cyan ink only → RGB (0, 255, 255) →
    /// 178.8. Photoshop (and Pillow) store CMYK inverted behind an Adobe marker; without the marker
    /// the samples are the ink itself. Read the wrong way round, the left block would come out white.
    @Test(
        "CMYK, Adobe-inverted and plain, goes to the same grey",
        arguments: ["jpeg-cmyk-adobe", "jpeg-cmyk-plain"])
    func cmyk(name: String) throws {
        let image = try JPEGReader.read(fixture("\(name).jpg"))
        expectClose(Self.blockMeans(image), [0, 178.8 / 255], within: Self.tolerance)
    }

    /// Shown upright, every orientation fixture is 24 × 16, white with a black 8 × 8 square in the
    /// top-left corner; each is stored turned so that its EXIF tag (1…8) turns it back. A wrong turn
    /// moves the square to another corner, or makes the image 16 × 24.
    @Test("each EXIF orientation 1…8 is applied", arguments: 1...8)
    func orientation(value: Int) throws {
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: fixture("jpeg-orientation-\(value).jpg"))))
        #expect(EXIFOrientation(jpeg: bytes)?.rawValue == value)
        let image = try JPEGReader.read(fixture("jpeg-orientation-\(value).jpg"))
        try #require((image.width, image.height) == (24, 16))
        #expect(Self.cornerMeans(image) == ["dark", "light", "light", "light"], "orientation \(value)")
    }

    /// Top-left, top-right, bottom-left, bottom-right 8 × 8 corners, each "dark" or "light".
    static func cornerMeans(_ image: GrayImage) -> [String] {
        [(0, 0), (image.width - 8, 0), (0, image.height - 8), (image.width - 8, image.height - 8)].map { x0, y0 in
            var sum: Float = 0
            for y in y0..<y0 + 8 { for x in x0..<x0 + 8 { sum += image[x, y] } }
            return sum / 64 < 0.25 ? "dark" : sum / 64 > 0.75 ? "light" : "grey"
        }
    }

    /// These are stored turned as for orientation 6, but their tag is not usable (a LONG instead of
    /// a SHORT, the value 9, an IFD offset past the end, 65,535 entries promised in 6 bytes): the
    /// pixels are taken as stored, 16 × 24, and nothing crashes or loops.
    @Test(
        "an unusable or lying EXIF tag leaves the image as stored",
        arguments: ["jpeg-orientation-long", "jpeg-orientation-9", "jpeg-exif-lying-offset", "jpeg-exif-lying-count"])
    func unusableOrientation(name: String) throws {
        let image = try JPEGReader.read(fixture("\(name).jpg"))
        #expect((image.width, image.height) == (16, 24))
    }

    @Test("the EXIF walk stops safely on hand-made damage")
    func exifWalk() {
        // Length 30 = 2 (the length itself) + 6 ("Exif\0\0") + 22 (TIFF header 8, entry count 2, one entry 12).
        let app1: [UInt8] =
            [0xFF, 0xE1, 0x00, 0x1E] + Array("Exif\0\0".utf8)
            + [
                0x4D, 0x4D, 0x00, 0x2A, 0x00, 0x00, 0x00, 0x08, 0x00, 0x01, 0x01, 0x12, 0x00, 0x03, 0x00, 0x00, 0x00, 0x01, 0x00, 0x06,
                0x00, 0x00
            ]
        #expect(EXIFOrientation(jpeg: [0xFF, 0xD8] + app1)?.rawValue == 6)
        // Fill bytes and an APP0 before it are stepped over.
        #expect(EXIFOrientation(jpeg: [0xFF, 0xD8, 0xFF, 0xFF, 0xE0, 0x00, 0x02] + app1)?.rawValue == 6)
        // The segment claims more bytes than there are; a length below 2; a scan before the EXIF; no marker at all.
        #expect(EXIFOrientation(jpeg: [0xFF, 0xD8] + app1.dropLast()) == nil)
        #expect(EXIFOrientation(jpeg: [0xFF, 0xD8, 0xFF, 0xE1, 0x00, 0x01] + app1) == nil)
        #expect(EXIFOrientation(jpeg: [0xFF, 0xD8, 0xFF, 0xDA, 0x00, 0x02] + app1) == nil)
        #expect(EXIFOrientation(jpeg: [0xFF, 0xD8, 0x00, 0x00] + app1) == nil)
        // A run of fill bytes to the end, and every prefix of a good file.
        #expect(EXIFOrientation(jpeg: [0xFF, 0xD8] + [UInt8](repeating: 0xFF, count: 1000)) == nil)
        for length in 0..<app1.count + 2 { _ = EXIFOrientation(jpeg: Array(([0xFF, 0xD8] + app1).prefix(length))) }
    }

    /// Damaged files: one line naming the file and libjpeg's reason, never a crash, an exit() or
    /// a grey-filled half image.
    @Test(
        "truncated and corrupt JPEGs give one-line errors",
        arguments: [
            ("jpeg-truncated", "Premature end of JPEG file"),
            ("jpeg-corrupt", "Corrupt JPEG data"),
            ("jpeg-bad-precision", "precision 7"),
            ("jpeg-only-start", "corrupt JPEG")
        ])
    func damaged(name: String, reason: String) throws {
        let path = fixture("\(name).jpg")
        let error = try #require(caught(JPEGError.self) { try JPEGReader.read(path) })
        guard case .corrupt = error else {
            Issue.record("\(error)")
            return
        }
        let text = "\(error)"
        #expect(text.hasPrefix("\(path): corrupt JPEG: "), "\(text)")
        #expect(text.contains(reason), "\(text)")
        #expect(!text.contains("\n"))
    }

    @Test("a header of 60,000 × 60,000 is refused before decoding")
    func hugeHeader() {
        let path = fixture("jpeg-huge-header.jpg")
        #expect(
            caught(JPEGError.self) { try JPEGReader.read(path) }
                == .tooLarge(path: path, width: 60000, height: 60000, limit: JPEGReader.defaultSideLimit))
        #expect(
            caught(JPEGError.self) { try JPEGReader.read(fixture("jpeg-gray.jpg"), sideLimit: 15) }
                == .tooLarge(path: fixture("jpeg-gray.jpg"), width: 16, height: 8, limit: 15))
    }

    @Test("every prefix and many byte flips of a JPEG decode or fail with an error")
    func mangled() throws {
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: fixture("jpeg-orientation-6.jpg"))))
        for length in stride(from: 0, through: bytes.count, by: 7) {
            _ = try? JPEGReader.decode(Array(bytes.prefix(length)), path: "prefix")
        }
        var generator = SeededGenerator(seed: 9)  // the same 300 mangled files every run
        for _ in 0..<300 {
            var flipped = bytes
            for _ in 0..<3 { flipped[Int.random(in: 3..<bytes.count, using: &generator)] = UInt8.random(in: 0...255, using: &generator) }
            _ = try? JPEGReader.decode(flipped, path: "flipped")
        }
    }

    @Test("not a JPEG and a missing file")
    func notJPEG() {
        #expect(caught(JPEGError.self) { try JPEGReader.read(fixture("gray-8.png")) } == .notJPEG(path: fixture("gray-8.png")))
        let missing = fixture("no-such.jpg")
        #expect(
            caught(JPEGError.self) { try JPEGReader.read(missing) }
                == .unreadable(path: missing, reason: "No such file or directory"))
    }
}
