import DigitsIO
import DigitsTestSupport
import Foundation
import Testing

@Suite("Folders and standard input")
struct DirectoryListingTests {
    /// Sorted by path byte by byte, recursive, hidden entries left out, a link to a folder (here its
    /// own parent: a loop) and a FIFO listed as skipped, a link to a file followed.
    @Test func listing() throws {
        let root = try TemporaryDirectory()
        let manager = FileManager.default
        for folder in ["b", "a/z", ".git"] {
            try manager.createDirectory(atPath: root.file(folder), withIntermediateDirectories: true)
        }
        for file in ["b/2", "a/z/1", "a.txt", ".git/HEAD", "a/.DS_Store"] { try root.write([1], to: file) }
        try manager.createSymbolicLink(atPath: root.file("b/loop"), withDestinationPath: "..")
        try manager.createSymbolicLink(atPath: root.file("link-to-file"), withDestinationPath: "a.txt")
        try manager.createSymbolicLink(atPath: root.file("dangling"), withDestinationPath: "nowhere")
        #expect(mkfifo(root.file("fifo"), 0o600) == 0)
        let entries = try DirectoryListing.entries(under: root.path)
        let relative = entries.map { (String($0.path.dropFirst(root.path.count + 1)), $0.skipReason) }
        #expect(relative.map(\.0) == ["a.txt", "a/z/1", "b/2", "b/loop", "dangling", "fifo", "link-to-file"])
        #expect(relative.map { $0.1 == nil } == [true, true, true, false, false, false, true])
        #expect(relative[3].1 == "a symbolic link to a folder, not followed")
        #expect(relative[5].1 == "a FIFO (named pipe)")
    }

    @Test func limits() throws {
        let root = try TemporaryDirectory()
        for index in 0..<5 { try root.write([1], to: "f\(index)") }
        #expect(throws: FileIOError.unreadable(path: root.path, reason: "more than 3 entries under the folder")) {
            try DirectoryListing.entries(under: root.path, entryLimit: 3)
        }
        try FileManager.default.createDirectory(atPath: root.file("1/2/3/4"), withIntermediateDirectories: true)
        #expect(throws: FileIOError.self) { try DirectoryListing.entries(under: root.path, depthLimit: 3) }
        #expect(throws: FileIOError.unreadable(path: root.file("f0"), reason: "it is a regular file, not a folder")) {
            try DirectoryListing.entries(under: root.file("f0"))
        }
        // A path that leads nowhere is named as such, not as "not a folder".
        #expect(throws: FileIOError.unreadable(path: root.file("nowhere"), reason: "No such file or directory")) {
            try DirectoryListing.entries(under: root.file("nowhere"))
        }
    }

    /// Read through a pipe, as from another program: all of it up to end of file, and an error as
    /// soon as more than the limit has come, while the writer would go on for ever.
    @Test func standardInputThroughAPipe() throws {
        func piped(_ bytes: [UInt8], limit: Int) throws(FileIOError) -> [UInt8] {
            var ends: [Int32] = [0, 0]
            _ = pipe(&ends)
            let (readEnd, writeEnd) = (ends[0], ends[1])
            let writer = Thread {
                bytes.withUnsafeBytes { raw in
                    var offset = 0
                    while offset < raw.count {
                        let wrote = write(writeEnd, raw.baseAddress! + offset, raw.count - offset)
                        if wrote <= 0 { break }  // the reader closed its end (EPIPE): stop
                        offset += wrote
                    }
                }
                close(writeEnd)
            }
            writer.start()
            defer { close(readEnd) }
            return try StandardInput.readAll(limit: limit, what: "a picture", descriptor: readEnd)
        }
        signal(SIGPIPE, SIG_IGN)
        let data = (0..<200_000).map { UInt8(truncatingIfNeeded: $0) }
        #expect(try piped(data, limit: 200_000) == data)
        #expect(try piped([], limit: 10) == [])
        #expect(throws: FileIOError.unreadable(path: "standard input", reason: "more than 100 KiB, over the limit for a picture")) {
            try piped(data, limit: 100 << 10)
        }
    }
}
