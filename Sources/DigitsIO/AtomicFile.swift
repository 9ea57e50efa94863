#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Replacing a file so that a crash or failure at any moment leaves either the old or the new
/// contents at the path, never a mixture or nothing. The one writer of the project: models,
/// checkpoints, IDX files, PNGs and reports all go through it.
public enum AtomicFile {
    /// The steps of a save, in order; tests make one of them fail to check the old file survives.
    public enum Step: String, CaseIterable, Sendable {
        case createTemporary = "create temporary file"
        case write = "write"
        case sync = "fsync"
        case close = "close"
        case rename = "rename"
        case syncDirectory = "fsync directory"
    }

    /// Suffix of the temporary files: `.NAME.XXXXXX.tmp` beside `NAME`.
    static let temporarySuffix = ".tmp"

    /// Writes `bytes` to `path`: to a temporary `.NAME.XXXXXX.tmp` in the same directory, fsync,
    /// rename over `path`, fsync the directory. Any failure before the rename removes the temporary
    /// file and leaves `path` as it was. Only a regular file (or a symbolic link, which the rename
    /// replaces without touching its target) or a new path is written: a device, a FIFO or a
    /// directory at `path` is refused before anything is created. `failing` simulates an error at
    /// that step (for tests).
    public static func write(_ bytes: [UInt8], to path: String, failing injected: Step? = nil) throws(FileIOError) {
        try requireReplaceable(path)
        let (directory, name) = split(path)
        func failure(_ step: Step, _ code: Int32) -> FileIOError {
            .writeFailed(path: path, step: step.rawValue, reason: systemErrorText(code))
        }
        func injectedFailure(_ step: Step) -> FileIOError {
            .writeFailed(path: path, step: step.rawValue, reason: "injected failure")
        }

        var template = Array((directory + "/." + name + ".XXXXXX" + temporarySuffix).utf8CString)
        if injected == .createTemporary { throw injectedFailure(.createTemporary) }
        var fd = template.withUnsafeMutableBufferPointer { buffer -> Int32 in
            guard let base = buffer.baseAddress else { return -1 }
            return mkstemps(base, Int32(temporarySuffix.utf8.count))
        }
        guard fd >= 0 else { throw failure(.createTemporary, errno) }
        let temporaryPath = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
        var renamed = false
        defer {
            if fd >= 0 { close(fd) }
            if !renamed { unlink(temporaryPath) }
        }
        // mkstemp creates 0600; a model file is for sharing like any file the user writes.
        _ = fchmod(fd, 0o644)

        // An injected write failure strikes after half the file is on disk.
        let limit = injected == .write ? bytes.count / 2 : bytes.count
        var written = 0
        while written < limit {
            let n = bytes.withUnsafeBytes { buffer -> Int in
                guard let base = buffer.baseAddress else { return 0 }
                return Glibc.write(fd, base + written, min(limit - written, 1 << 20))
            }
            if n < 0 {
                if errno == EINTR { continue }
                throw failure(.write, errno)
            }
            written += n
        }
        if injected == .write { throw injectedFailure(.write) }
        if injected == .sync { throw injectedFailure(.sync) }
        guard fsync(fd) == 0 else { throw failure(.sync, errno) }
        let closing = fd
        fd = -1
        if injected == .close {
            close(closing)
            throw injectedFailure(.close)
        }
        guard close(closing) == 0 else { throw failure(.close, errno) }
        if injected == .rename { throw injectedFailure(.rename) }
        guard rename(temporaryPath, path) == 0 else { throw failure(.rename, errno) }
        renamed = true

        // Make the rename itself durable. The new file is in place already, so a failure here is
        // reported but there is nothing to undo.
        if injected == .syncDirectory { throw injectedFailure(.syncDirectory) }
        try syncDirectory(directory, path: path)
    }

    /// Refuses to replace anything at `path` but a regular file or a symbolic link (a device, FIFO,
    /// socket or directory), and `path`s that end in a slash.
    public static func requireReplaceable(_ path: String) throws(FileIOError) {
        let (_, name) = split(path)
        guard !name.isEmpty, name != ".", name != ".." else {
            throw .refusedTarget(path: path, reason: "the path names a directory, not a file")
        }
        var status = stat()
        guard lstat(path, &status) == 0 else { return }  // nothing there (or unreachable: the write will say)
        let kind = status.st_mode & S_IFMT
        guard kind == S_IFREG || kind == S_IFLNK else {
            throw .refusedTarget(path: path, reason: "it is \(fileKindText(status.st_mode)), not a regular file")
        }
        // A link is replaced by the new file (its target is never written through), but only a link to a
        // regular file or to nothing: a link to a folder or a device names something that is not a file.
        var target = stat()
        if kind == S_IFLNK, stat(path, &target) == 0, (target.st_mode & S_IFMT) != S_IFREG {
            throw .refusedTarget(
                path: path, reason: "it is a symbolic link to \(fileKindText(target.st_mode)), not to a regular file")
        }
    }

    /// Moves `source` onto `destination` in one step (same folder) and makes it durable.
    public static func move(_ source: String, to destination: String) throws(FileIOError) {
        try requireReplaceable(destination)
        guard rename(source, destination) == 0 else {
            throw .writeFailed(path: destination, step: Step.rename.rawValue, reason: systemErrorText())
        }
        try syncDirectory(split(destination).directory, path: destination)
    }

    /// Removes temporary files that a killed writer left beside `path` (`.NAME.XXXXXX.tmp`).
    /// Call it only while holding the lock on `path`: then no other writer's file can match.
    @discardableResult
    public static func removeStaleTemporaries(for path: String) -> [String] {
        let (directory, name) = split(path)
        guard let folder = opendir(directory) else { return [] }
        defer { closedir(folder) }
        let prefix = "." + name + "."
        var removed: [String] = []
        while let entry = readdir(folder) {
            let entryName = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            // ".NAME." + six characters of mkstemp + ".tmp"
            guard entryName.hasPrefix(prefix), entryName.hasSuffix(temporarySuffix),
                entryName.utf8.count == prefix.utf8.count + 6 + temporarySuffix.utf8.count
            else { continue }
            let full = directory + "/" + entryName
            if unlink(full) == 0 { removed.append(full) }
        }
        return removed
    }

    static func syncDirectory(_ directory: String, path: String) throws(FileIOError) {
        let directoryFD = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard directoryFD >= 0 else {
            throw .writeFailed(path: path, step: Step.syncDirectory.rawValue, reason: systemErrorText())
        }
        defer { close(directoryFD) }
        guard fsync(directoryFD) == 0 else {
            throw .writeFailed(path: path, step: Step.syncDirectory.rawValue, reason: systemErrorText())
        }
    }

    /// ("dir", "name") of "dir/name"; "." for a bare name.
    public static func split(_ path: String) -> (directory: String, name: String) {
        guard let slash = path.lastIndex(of: "/") else { return (".", path) }
        let directory = String(path[..<slash])
        return (directory.isEmpty ? "/" : directory, String(path[path.index(after: slash)...]))
    }
}
