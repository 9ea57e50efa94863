import DigitsIO
import DigitsTestSupport
import Foundation
import Testing
@testable import DigitsData

@Suite("Folders of pictures")
struct ImageFolderTests {
    /// A tree with pictures named any way, a text file, a GIF and a picture outside the digit folders.
    static func makeTree() throws -> TemporaryDirectory {
        let root = try TemporaryDirectory()
        for folder in ["3", "7/deeper", "10", "extra", ".cache"] {
            try FileManager.default.createDirectory(atPath: root.file(folder), withIntermediateDirectories: true)
        }
        try root.write(readBytes(fixture("jpeg-gray.jpg")), to: "3/b")
        try root.write(readBytes(fixture("seven-light-on-dark.png")), to: "7/deeper/a.jpg")  // a PNG named .jpg
        try root.write(readBytes(fixture("jpeg-truncated.jpg")), to: "3/a-cut.jpg")
        try root.write(readBytes(fixture("notes.txt")), to: "3/notes.txt")
        try root.write(readBytes(fixture("tiny.gif")), to: "7/old.gif")
        try root.write(readBytes(fixture("gray-8.png")), to: "10/ten.png")
        try root.write(readBytes(fixture("gray-8.png")), to: "extra/x.png")
        try root.write(readBytes(fixture("gray-8.png")), to: "top.png")
        try root.write(readBytes(fixture("gray-8.png")), to: ".cache/hidden.png")
        return root
    }

    @Test func picturesByContentAndTheRestSkipped() throws {
        let root = try Self.makeTree()
        let folder = try PictureFolder(root.path)
        #expect(
            folder.pictures.map { String($0.dropFirst(root.path.count + 1)) }
                == ["10/ten.png", "3/a-cut.jpg", "3/b", "7/deeper/a.jpg", "extra/x.png", "top.png"])
        #expect(
            folder.skipped.map { String($0.path.dropFirst(root.path.count + 1)) + " " + $0.reason }
                == ["3/notes.txt a text file", "7/old.gif a GIF image"])
    }

    /// Labels from the digit folder at the top, at any depth below it; "10", "extra" and files at the
    /// top are not digit folders. The truncated JPEG is a picture by its bytes, so it is listed and
    /// then reported as unusable when read, while the others become rows of the input matrix.
    @Test func labelsAndUnusablePictures() throws {
        let root = try Self.makeTree()
        let folder = try ImageFolder(root.path)
        #expect(folder.files.map { String($0.dropFirst(root.path.count + 1)) } == ["3/a-cut.jpg", "3/b", "7/deeper/a.jpg"])
        #expect(folder.labels == [3, 3, 7])
        #expect(
            folder.skipped.map { String($0.path.dropFirst(root.path.count + 1)) }
                == ["10/ten.png", "3/notes.txt", "7/old.gif", "extra/x.png", "top.png"])
        #expect(folder.skipped.first?.reason == "not inside a digit folder (\(root.path)/0/ … \(root.path)/9/)")
        var reported: [String] = []
        let read = folder.inputs(preprocessor: Preprocessor()) { reported.append("\($0.error)") }
        #expect(read.labels == [3, 7])
        #expect(read.inputs.rows == 2 && read.inputs.columns == 256)
        #expect(read.unusable.map(\.path) == [root.file("3/a-cut.jpg")])
        #expect(reported == ["\(root.file("3/a-cut.jpg")): corrupt JPEG: Premature end of JPEG file"])
        // Row 1 is the PNG seven, exactly as the one preprocessor makes it from the file.
        let seven = try Preprocessor().process(PNGReader.read(fixture("seven-light-on-dark.png")))
        #expect(Array(read.inputs.elements[256..<512]) == seven)
    }
}
