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
