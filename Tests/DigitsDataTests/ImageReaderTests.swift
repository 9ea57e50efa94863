import DigitsIO
import DigitsTestSupport
import Foundation
import Testing
@testable import DigitsData

/// `ImageReader`: the format is told from the bytes, whatever the file is called.
@Suite("Reading any picture")
struct ImageReaderTests {
    @Test("PNG and JPEG are read whatever their names say")
    func byContent() throws {
        let directory = try TemporaryDirectory()
        let misnamedJPEG = try directory.write(readBytes(fixture("jpeg-gray.jpg")), to: "photo.png")
        let misnamedPNG = try directory.write(readBytes(fixture("gray-8.png")), to: "scan.jpg")
        #expect(try ImageReader.read(misnamedJPEG) == JPEGReader.read(fixture("jpeg-gray.jpg")))
        #expect(try ImageReader.read(misnamedPNG) == PNGReader.read(fixture("gray-8.png")))
        #expect(try ImageReader.format(of: misnamedJPEG) == .jpeg)
        #expect(try ImageReader.format(of: misnamedPNG) == .png)
    }

    @Test(
        "other formats are named, with what is supported",
        arguments: [
            ("tiny.gif", "a GIF image"), ("tiny.bmp", "a BMP image"), ("tiny.webp", "a WebP image"),
            ("tiny.tif", "a TIFF image"), ("notes.txt", "a text file"), ("u8.idx", "an IDX array"),
            ("u8.idx.gz", "gzip-compressed data"), ("empty.idx", "an empty file")
        ])
    func unsupported(name: String, what: String) throws {
        let path = fixture(name)
        let error = try #require(caught(ImageError.self) { try ImageReader.read(path) })
        let text = "\(error)"
        #expect(text.hasPrefix("\(path): \(what)"), "\(text)")
        #expect(text.contains("digits reads PNG and JPEG images"), "\(text)")
        #expect(try !ImageReader.format(of: path).isSupported)
    }

    @Test("signatures told apart from their first bytes")
    func sniffing() {
        func what(_ bytes: [UInt8]) -> String { ImageFormat(sniffing: bytes).description }
        #expect(what(Array("%PDF-1.7\n".utf8)) == "a PDF document")
        #expect(what([0, 0, 0, 0x18] + Array("ftypheic".utf8)) == "a HEIC/HEIF image")
        #expect(what([0, 0, 0, 0x1C] + Array("ftypavif".utf8)) == "an AVIF image")
        #expect(what(Array("<?xml version=\"1.0\"?><svg xmlns=…".utf8)) == "an SVG drawing (text)")
        #expect(what(Array("PK".utf8) + [3, 4, 0, 0]) == "a ZIP archive")
        #expect(what([0xFF, 0xD8, 0xFF]) == "a JPEG image")
        #expect(what([0xFF, 0xD8]) == "not an image format digits knows (it starts with 0xFF 0xD8)")
        #expect(what([0x00, 0x01, 0x02, 0x03, 0x04]) == "not an image format digits knows (it starts with 0x00 0x01 0x02 0x03)")
        // "BM" alone is text, not a bitmap; "héllo" cut inside its é is still text.
        #expect(what(Array("BMW 320d, 2011".utf8)) == "a text file")
        #expect(what(Array(Array("h\u{E9}llo".utf8).prefix(2))) == "a text file")
    }

    @Test("FIFOs and folders are refused by the sniffer without blocking")
    func notRegular() throws {
        let directory = try TemporaryDirectory()
        let fifo = directory.file("pipe")
        #expect(mkfifo(fifo, 0o600) == 0)
        #expect(throws: FileIOError.self) { try ImageReader.format(of: fifo) }
        #expect(throws: FileIOError.self) { try ImageReader.read(directory.path) }
    }
}
