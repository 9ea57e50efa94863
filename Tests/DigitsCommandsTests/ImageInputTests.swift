import DigitsTestSupport
import Foundation
import Testing

/// The inputs people have, end to end: JPEGs (turned by EXIF), other formats named, and (below)
/// folders, standard input and `evaluate --folder`.
@Suite struct ImageInputTests {
    static let shippedModel = repositoryRoot.appendingPathComponent("models/default.safetensors").path
    static let fixtures = repositoryRoot.appendingPathComponent("Tests/DigitsDataTests/Fixtures")
    static func fixture(_ name: String) -> String { fixtures.appendingPathComponent(name).path }

    /// The phone photo of a 2, stored a quarter turn sideways with EXIF orientation 6, as phones do.
    @Test func rotatedPhoneJPEGIsReadUpright() throws {
        try withTemporaryDirectory { directory in
            let file = Self.fixture("jpeg-two-rotated.jpg")
            let result = try run("digits", ["classify", "--model", Self.shippedModel, file], in: directory)
            #expect(result.exited(0), "\(result)")
            #expect(result.standardError.isEmpty, "\(result)")
            #expect(result.standardOutput.hasPrefix("\(file): 2 ("), "\(result)")
        }
    }

    /// A GIF, a BMP and a text file, each named for what it is, with what is supported; the PNG
    /// among them is still classified.
    @Test func otherFormatsAreNamed() throws {
        try withTemporaryDirectory { directory in
            let files = ["tiny.gif", "tiny.bmp", "notes.txt"].map(Self.fixture)
            let sample = repositoryRoot.appendingPathComponent("Resources/samples/7-mnist-original.png").path
            let result = try run("digits", ["classify", "--model", Self.shippedModel] + files + [sample], in: directory)
            #expect(result.exited(1), "\(result)")
            #expect(result.standardOutputLines == ["\(sample): 7 (100.0%)"], "\(result)")
            #expect(result.standardErrorLines == zip(files, ["a GIF image", "a BMP image", "a text file"]).map { file, what in
                "digits classify: error: \(file): \(what), not a picture digits can read (digits reads PNG and JPEG images)"
            }, "\(result)")
        }
    }

    @Test func damagedJPEGsGiveOneLineEach() throws {
        for name in ["jpeg-truncated.jpg", "jpeg-corrupt.jpg", "jpeg-huge-header.jpg"] {
            try withTemporaryDirectory { directory in
                let result = try run("digits-classify", ["--model", Self.shippedModel, Self.fixture(name)], in: directory)
                expectOneErrorLine(result, tool: "digits classify", mentioning: [Self.fixture(name)])
                #expect(result.standardOutput.isEmpty, "\(result)")
            }
        }
    }
}

/// `digits classify DIR` and `digits classify -`.
@Suite struct FolderAndStandardInputTests {
    static let shippedModel = ImageInputTests.shippedModel
    static func fixture(_ name: String) -> String { ImageInputTests.fixture(name) }
    static func sample(_ name: String) -> String { repositoryRoot.appendingPathComponent("Resources/samples/\(name)").path }

    /// A folder of pictures with a text file, a GIF, a FIFO, a hidden folder and a nested JPEG
    /// without an extension: every picture classified in sorted order, each other file named once
    /// as skipped, nothing for hidden entries, and exit 0 (skipping is not failing).
    @Test func folderIsWalkedSortedByContent() throws {
        try withTemporaryDirectory { directory in
            let folder = directory.appendingPathComponent("scans")
            let manager = FileManager.default
            try manager.createDirectory(at: folder.appendingPathComponent("later/deeper"), withIntermediateDirectories: true)
            try manager.createDirectory(at: folder.appendingPathComponent(".thumbnails"), withIntermediateDirectories: true)
            try manager.copyItem(atPath: Self.sample("7-mnist-original.png"), toPath: folder.appendingPathComponent("b-seven.png").path)
            try manager.copyItem(atPath: Self.sample("3-drawn-in-paint.png"), toPath: folder.appendingPathComponent("a-three.png").path)
            try manager.copyItem(atPath: Self.fixture("jpeg-two-rotated.jpg"), toPath: folder.appendingPathComponent("later/deeper/IMG_0001").path)
            try manager.copyItem(atPath: Self.fixture("notes.txt"), toPath: folder.appendingPathComponent("notes.txt").path)
            try manager.copyItem(atPath: Self.fixture("tiny.gif"), toPath: folder.appendingPathComponent("later/old.gif").path)
            try manager.copyItem(atPath: Self.fixture("tiny.gif"), toPath: folder.appendingPathComponent(".thumbnails/t.png").path)
            #expect(mkfifo(folder.appendingPathComponent("pipe").path, 0o600) == 0)
            let result = try run("digits", ["classify", "--model", Self.shippedModel, "scans"], in: directory)
            #expect(result.exited(0), "\(result)")
            #expect(result.standardOutputLines == ["scans/a-three.png: 3 (100.0%)", "scans/b-seven.png: 7 (100.0%)",
                                                   "scans/later/deeper/IMG_0001: 2 (100.0%)"], "\(result)")
            #expect(result.standardErrorLines == ["digits classify: skipped scans/later/old.gif: a GIF image",
                                                  "digits classify: skipped scans/notes.txt: a text file",
                                                  "digits classify: skipped scans/pipe: a FIFO (named pipe)"], "\(result)")
        }
    }

    /// A damaged picture in a folder is an error line (exit 1); the others are still classified.
    /// A folder with no pictures at all is an error too.
    @Test func damagedAndEmptyFolders() throws {
        try withTemporaryDirectory { directory in
            let manager = FileManager.default
            try manager.createDirectory(at: directory.appendingPathComponent("mixed"), withIntermediateDirectories: true)
            try manager.createDirectory(at: directory.appendingPathComponent("texts"), withIntermediateDirectories: true)
            try manager.copyItem(atPath: Self.fixture("jpeg-truncated.jpg"), toPath: directory.appendingPathComponent("mixed/cut.jpg").path)
            try manager.copyItem(atPath: Self.sample("7-mnist-original.png"), toPath: directory.appendingPathComponent("mixed/seven.png").path)
            try manager.copyItem(atPath: Self.fixture("notes.txt"), toPath: directory.appendingPathComponent("texts/notes.txt").path)
            let mixed = try run("digits", ["classify", "--model", Self.shippedModel, "mixed"], in: directory)
            #expect(mixed.exited(1), "\(mixed)")
            #expect(mixed.standardOutputLines == ["mixed/seven.png: 7 (100.0%)"], "\(mixed)")
            #expect(mixed.standardErrorLines == ["digits classify: error: mixed/cut.jpg: corrupt JPEG: Premature end of JPEG file"], "\(mixed)")
            let texts = try run("digits", ["classify", "--model", Self.shippedModel, "texts"], in: directory)
            #expect(texts.exited(1), "\(texts)")
            #expect(texts.standardErrorLines == ["digits classify: skipped texts/notes.txt: a text file",
                                                 "digits classify: error: texts: no PNG or JPEG pictures in this folder (1 file skipped)"], "\(texts)")
        }
    }

    /// `-` reads one picture from stdin, PNG or JPEG alike, and names it "-"; with files around it,
    /// the order of the arguments is kept.
    @Test func standardInput() throws {
        try withTemporaryDirectory { directory in
            let digits = try BuiltExecutable("digits")
            let jpeg = URL(fileURLWithPath: Self.fixture("jpeg-two-rotated.jpg"))
            let seven = Self.sample("7-mnist-original.png")
            let result = try digits.run(["classify", "--model", Self.shippedModel, seven, "-"], unsetting: hermeticUnset,
                                        workingDirectory: directory, standardInput: jpeg)
            #expect(result.exited(0), "\(result)")
            #expect(result.standardOutputLines == ["\(seven): 7 (100.0%)", "-: 2 (100.0%)"], "\(result)")
            let json = try digits.run(["classify", "--json", "--model", Self.shippedModel, "-"], unsetting: hermeticUnset,
                                      workingDirectory: directory, standardInput: URL(fileURLWithPath: seven))
            #expect(json.standardOutput.hasPrefix(#"{"file": "-", "digit": 7"#), "\(json)")
            let text = try digits.run(["classify", "--model", Self.shippedModel, "-"], unsetting: hermeticUnset,
                                      workingDirectory: directory, standardInput: URL(fileURLWithPath: Self.fixture("notes.txt")))
            expectOneErrorLine(text, tool: "digits classify", mentioning: ["standard input: a text file", "PNG and JPEG"])
            let empty = try digits.run(["classify", "--model", Self.shippedModel, "-"], unsetting: hermeticUnset,
                                       workingDirectory: directory)
            expectOneErrorLine(empty, tool: "digits classify", mentioning: ["standard input: an empty file"])
        }
    }

    @Test func standardInputOnlyOnce() throws {
        try withTemporaryDirectory { directory in
            let result = try run("digits", ["classify", "--model", Self.shippedModel, "-", "-"], in: directory)
            expectUsageError(result, mentioning: "- (standard input) can be given once")
        }
    }
}
