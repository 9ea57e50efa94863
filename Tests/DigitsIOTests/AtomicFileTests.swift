import DigitsTestSupport
import Foundation
import Testing
@testable import DigitsIO

@Suite("atomic file writes")
struct AtomicFileTests {
    @Test(
        "a write that fails at any step before the rename leaves the previous file byte-identical and no temporary file",
        arguments: AtomicFile.Step.allCases)
    func failureKeepsOldFile(step: AtomicFile.Step) throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write(Array("older contents".utf8), to: "model.safetensors")
        let newer = [UInt8](repeating: 7, count: 10_000)
        let error = #expect(throws: FileIOError.self) { try AtomicFile.write(newer, to: path, failing: step) }
        #expect(error == .writeFailed(path: path, step: step.rawValue, reason: "injected failure"))
        #expect(try directory.contents() == ["model.safetensors"])
        if step == .syncDirectory {
            #expect(try readBytes(path) == newer)  // renamed already: the new file is complete
        } else {
            #expect(try readBytes(path) == Array("older contents".utf8))
        }
    }

    @Test("a device, a FIFO or a directory at the target is refused before anything is created")
    func refusesSpecialTargets() throws {
        let directory = try TemporaryDirectory()
        let fifo = directory.file("pipe")
        #expect(mkfifo(fifo, 0o644) == 0)
        let folder = directory.file("folder")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: false)
        for target in ["/dev/null", fifo, folder] {
            let error = #expect(throws: FileIOError.self) { try AtomicFile.write([1, 2, 3], to: target) }
            guard case .refusedTarget(let path, let reason)? = error else {
                Issue.record("expected a refused target for \(target), got \(String(describing: error))")
                continue
            }
            #expect(path == target)
            #expect(reason.contains("not a regular file"))
        }
        var status = stat()
        #expect(stat("/dev/null", &status) == 0 && (status.st_mode & S_IFMT) == S_IFCHR)
        #expect(try directory.contents() == ["folder", "pipe"])
    }

    @Test("a symbolic link at the target is replaced by the file; the link's target is untouched")
    func replacesSymlinkNotItsTarget() throws {
        let directory = try TemporaryDirectory()
        let victim = try directory.write(Array("precious".utf8), to: "victim")
        let link = directory.file("link")
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: victim)
        try AtomicFile.write(Array("new".utf8), to: link)
        #expect(try readBytes(victim) == Array("precious".utf8))
        #expect(try readBytes(link) == Array("new".utf8))
        #expect((try? FileManager.default.destinationOfSymbolicLink(atPath: link)) == nil)
    }

    /// `--output data/usps`, where data/usps was a link to the USPS folder, used to replace the link with
    /// a model file (the folder itself was safe, the link was lost).
    @Test("a symbolic link to a folder or a device at the target is refused, and left as it was")
    func refusesLinksToSpecialFiles() throws {
        let directory = try TemporaryDirectory()
        let folder = directory.file("folder")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: false)
        for (name, destination) in [("to-folder", folder), ("to-null", "/dev/null")] {
            let link = directory.file(name)
            try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: destination)
            let error = #expect(throws: FileIOError.self) { try AtomicFile.write([1, 2, 3], to: link) }
            guard case .refusedTarget(_, let reason)? = error else {
                Issue.record("expected a refused target for \(name), got \(String(describing: error))")
                continue
            }
            #expect(reason.hasPrefix("it is a symbolic link to a"), "\(reason)")
            #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link) == destination)
        }
    }

    @Test("stale temporary files of a killed writer are removed, other files are not")
    func removesStaleTemporaries() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("m.safetensors")
        try directory.write([1], to: ".m.safetensors.AbC123.tmp")
        try directory.write([1], to: ".m.safetensors.lock")
        try directory.write([1], to: ".other.safetensors.AbC123.tmp")
        try directory.write([1], to: "m.safetensors")
        let removed = AtomicFile.removeStaleTemporaries(for: path)
        #expect(removed == [directory.file(".m.safetensors.AbC123.tmp")])
        #expect(try directory.contents() == [".m.safetensors.lock", ".other.safetensors.AbC123.tmp", "m.safetensors"])
    }

    @Test("paths split into folder and name")
    func split() {
        #expect(AtomicFile.split("model.safetensors") == (".", "model.safetensors"))
        #expect(AtomicFile.split("/model.safetensors") == ("/", "model.safetensors"))
        #expect(AtomicFile.split("models/a/b.safetensors") == ("models/a", "b.safetensors"))
    }
}

@Suite("reading files")
struct InputFileTests {
    @Test("a FIFO is refused at once instead of blocking")
    func fifoDoesNotHang() throws {
        let directory = try TemporaryDirectory()
        let fifo = directory.file("f.png")
        #expect(mkfifo(fifo, 0o644) == 0)
        let error = #expect(throws: FileIOError.self) { try InputFile(fifo) }
        #expect(error == .notRegularFile(path: fifo, kind: "a FIFO (named pipe)"))
        #expect(error?.description == "\(fifo): cannot read: it is a FIFO (named pipe), not a regular file")
    }

    @Test("devices and directories are refused with their kind")
    func specialFiles() throws {
        #expect(throws: FileIOError.notRegularFile(path: "/dev/zero", kind: "a character device")) { try InputFile("/dev/zero") }
        #expect(throws: FileIOError.notRegularFile(path: "/tmp", kind: "a directory")) { try InputFile("/tmp") }
        #expect(throws: FileIOError.missing(path: "/no/such/file")) { try InputFile("/no/such/file") }
    }

    @Test("a file over the limit is refused from its size, before reading; a sparse 64 GiB file costs nothing")
    func sizeLimit() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("huge")
        #expect(FileManager.default.createFile(atPath: path, contents: nil))
        #expect(truncate(path, 64 << 30) == 0)
        let error = #expect(throws: FileIOError.self) { try InputFile.readAll(path, limit: 1 << 20, what: "a model file") }
        #expect(error == .tooLarge(path: path, bytes: 64 << 30, limit: 1 << 20, what: "a model file"))
        #expect(error?.description == "\(path): cannot read: file is 64.0 GiB, over the limit of 1.0 MiB for a model file")
    }

    @Test("a symbolic link is followed for reading")
    func followsSymlinks() throws {
        let directory = try TemporaryDirectory()
        let target = try directory.write([1, 2, 3], to: "target")
        let link = directory.file("link")
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: target)
        #expect(try InputFile.readAll(link, limit: 10, what: "a test") == [1, 2, 3])
        #expect(FileIdentity.of(link) == FileIdentity.of(target))
    }

    @Test("sizes read as people say them")
    func byteCounts() {
        #expect(byteCountText(1) == "1 byte")
        #expect(byteCountText(1000) == "1000 bytes")
        #expect(byteCountText(3 << 30) == "3.0 GiB")
        #expect(byteCountText(256 << 20) == "256 MiB")
    }
}

@Suite("output locks")
struct OutputLockTests {
    @Test("a second lock on the same output fails at once; released, it can be taken again and the lock file is gone")
    func exclusive() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("model.safetensors")
        let first = try OutputLock(for: path)
        #expect(throws: FileIOError.locked(path: path, lockFile: directory.file(".model.safetensors.lock"))) {
            try OutputLock(for: path)
        }
        first.release()
        #expect(try directory.contents().isEmpty)
        let second = try OutputLock(for: path)
        second.release()
    }
}

@Suite("file sets")
struct FileSetTests {
    @Test("a set is written whole, through no symbolic link, into a folder created on the way")
    func writesAll() throws {
        let directory = try TemporaryDirectory()
        let victim = try directory.write(Array("precious".utf8), to: "victim")
        let folder = directory.file("report/nested")
        try FileSet.makeDirectories(folder)
        try FileManager.default.createSymbolicLink(atPath: folder + "/a.png", withDestinationPath: victim)
        let written = try FileSet.write([("a.png", [1]), ("b.json", [2])], into: folder)
        #expect(written == [folder + "/a.png", folder + "/b.json"])
        #expect(try readBytes(victim) == Array("precious".utf8))
        #expect(try readBytes(folder + "/a.png") == [1])
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder).sorted() == ["a.png", "b.json"])
    }

    /// "" + "/" + name is "/name": an empty folder path would write into the root folder.
    @Test("an empty folder path is refused, nothing written")
    func emptyFolderPathIsRefused() throws {
        #expect(throws: FileIOError.refusedTarget(path: "\"\"", reason: "an empty path names no folder")) {
            try FileSet.write([("digits-empty-path-test.png", [1])], into: "")
        }
        #expect(!FileManager.default.fileExists(atPath: "/digits-empty-path-test.png"))
    }

    @Test("a set that cannot be completed leaves the folder as it was")
    func allOrNothing() throws {
        let directory = try TemporaryDirectory()
        let folder = directory.file("report")
        try FileSet.makeDirectories(folder)
        #expect(mkfifo(folder + "/b.json", 0o644) == 0)  // the second file cannot be replaced
        #expect(throws: FileIOError.self) { try FileSet.write([("a.png", [1]), ("b.json", [2])], into: folder) }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["b.json"])
    }
}
