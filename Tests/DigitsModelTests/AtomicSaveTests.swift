import DigitsCore
import DigitsTestSupport
import Foundation
import Testing
@testable import DigitsModel

@Suite("atomic save")
struct AtomicSaveTests {
    @Test("a save replaces the file whole and leaves nothing else behind")
    func replaces() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("model.safetensors")
        try Data("old contents".utf8).write(to: URL(fileURLWithPath: path))
        let model = try makeTinyModel()
        try model.save(to: path)
        #expect(try readBytes(path) == model.encoded())
        #expect(try directory.contents() == ["model.safetensors"])
        let permissions = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        #expect(permissions == 0o644)
    }

    @Test("saving into a directory that does not exist names the path and creates nothing")
    func missingDirectory() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("no/such/dir/model.safetensors")
        let error = #expect(throws: ModelFileError.self) { try makeTinyModel().save(to: path) }
        #expect(caseName(try #require(error)) == "file.writeFailed")
        #expect(error?.description.hasPrefix(path + ": cannot save (create temporary file): No such file or directory") == true)
        #expect(try directory.contents().isEmpty)
    }

    @Test("saving over a directory is refused before anything is written, and leaves the directory alone")
    func targetIsADirectory() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("taken")
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
        let error = #expect(throws: ModelFileError.self) { try makeTinyModel().save(to: path) }
        #expect(error?.description.contains("cannot save (check the target): it is a directory, not a regular file") == true)
        #expect(try directory.contents() == ["taken"])
    }
}
