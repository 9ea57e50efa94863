import DigitsCore
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

    @Test("a save that fails at any step before the rename leaves the previous file byte-identical",
          arguments: AtomicFile.Step.allCases)
    func failureKeepsOldFile(step: AtomicFile.Step) throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("model.safetensors")
        var older = try makeTinyModel()
        older.provenance.dataset = "older"
        try older.save(to: path)
        let before = try readBytes(path)

        var newer = try makeTinyModel()
        newer.layers[0].weight.elements[4] = 123
        let bytes = try newer.encoded()
        let error = #expect(throws: SafeTensorsError.self) { try AtomicFile.write(bytes, to: path, failing: step) }
        let message = step == .syncDirectory
            ? "saved, but could not make the rename durable (fsync directory): injected failure"
            : "cannot save (\(step.rawValue)): injected failure; any previous file there is unchanged"
        #expect(error?.description == path + ": " + message)
        // No temporary file is left beside it, whatever the step.
        #expect(try directory.contents() == ["model.safetensors"])
        if step == .syncDirectory {
            #expect(try readBytes(path) == bytes)   // renamed already: the new file is complete
        } else {
            #expect(try readBytes(path) == before)
            #expect(try SavedModel.load(from: path) == older)
        }
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

    @Test("saving over a directory fails at the rename and leaves the directory alone")
    func targetIsADirectory() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("taken")
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
        let error = #expect(throws: ModelFileError.self) { try makeTinyModel().save(to: path) }
        #expect(error?.description.contains("cannot save (rename)") == true)
        #expect(try directory.contents() == ["taken"])
    }

    @Test("a bare file name saves in the current directory's terms")
    func split() {
        #expect(AtomicFile.split("model.safetensors") == (".", "model.safetensors"))
        #expect(AtomicFile.split("/model.safetensors") == ("/", "model.safetensors"))
        #expect(AtomicFile.split("models/a/b.safetensors") == ("models/a", "b.safetensors"))
    }
}
