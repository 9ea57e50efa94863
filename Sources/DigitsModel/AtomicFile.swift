import Glibc

/// Reading whole files with plain POSIX calls, errors naming the path.
enum FileIO {
    static func readAll(_ path: String) throws(SafeTensorsError) -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            let code = errno
            if code == ENOENT { throw .missingFile(path: path) }
            throw .unreadable(path: path, reason: errnoDescription(code))
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw .unreadable(path: path, reason: errnoDescription(errno)) }
        guard (info.st_mode & S_IFMT) == S_IFREG else { throw .unreadable(path: path, reason: "not a regular file") }
        var bytes = [UInt8](repeating: 0, count: Int(info.st_size))
        var filled = 0
        while filled < bytes.count {
            let n = bytes.withUnsafeMutableBytes { buffer -> Int in
                guard let base = buffer.baseAddress else { return 0 }
                return read(fd, base + filled, buffer.count - filled)
            }
            if n < 0 {
                if errno == EINTR { continue }
                throw .unreadable(path: path, reason: errnoDescription(errno))
            }
            if n == 0 { break }   // the file shrank while we read it
            filled += n
        }
        if filled < bytes.count { bytes.removeLast(bytes.count - filled) }
        return bytes
    }

    static func errnoDescription(_ code: Int32) -> String {
        guard let message = strerror(code) else { return "error \(code)" }
        return String(cString: message)
    }
}

/// Replacing a file so that a crash or failure at any moment leaves either the old or the new
/// contents at the path, never a mixture or nothing.
enum AtomicFile {
    /// The steps of a save, in order; tests make one of them fail to check the old file survives.
    enum Step: String, CaseIterable, Sendable {
        case createTemporary = "create temporary file"
        case write = "write"
        case sync = "fsync"
        case close = "close"
        case rename = "rename"
        case syncDirectory = "fsync directory"
    }

    /// Writes `bytes` to `path`: to a temporary `.NAME.XXXXXX.tmp` in the same directory, fsync,
    /// rename over `path`, fsync the directory. Any failure before the rename removes the temporary
    /// file and leaves `path` as it was. `failing` simulates an error at that step (for tests).
    static func write(_ bytes: [UInt8], to path: String, failing injected: Step? = nil) throws(SafeTensorsError) {
        let (directory, name) = split(path)
        guard !name.isEmpty else {
            throw .writeFailed(path: path, step: Step.createTemporary.rawValue, reason: "the path names a directory")
        }
        func failure(_ step: Step, _ code: Int32) -> SafeTensorsError {
            .writeFailed(path: path, step: step.rawValue, reason: errnoDescription(code))
        }
        func injectedFailure(_ step: Step) -> SafeTensorsError {
            .writeFailed(path: path, step: step.rawValue, reason: "injected failure")
        }

        var template = Array((directory + "/." + name + ".XXXXXX.tmp").utf8CString)
        if injected == .createTemporary { throw injectedFailure(.createTemporary) }
        var fd = template.withUnsafeMutableBufferPointer { buffer -> Int32 in
            guard let base = buffer.baseAddress else { return -1 }
            return mkstemps(base, 4)
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
        if injected == .close { close(closing); throw injectedFailure(.close) }
        guard close(closing) == 0 else { throw failure(.close, errno) }
        if injected == .rename { throw injectedFailure(.rename) }
        guard rename(temporaryPath, path) == 0 else { throw failure(.rename, errno) }
        renamed = true

        // Make the rename itself durable. The new file is in place already, so a failure here is
        // reported but there is nothing to undo.
        if injected == .syncDirectory { throw injectedFailure(.syncDirectory) }
        let directoryFD = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard directoryFD >= 0 else { throw failure(.syncDirectory, errno) }
        defer { close(directoryFD) }
        guard fsync(directoryFD) == 0 else { throw failure(.syncDirectory, errno) }
    }

    /// ("dir", "name") of "dir/name"; "." for a bare name.
    static func split(_ path: String) -> (directory: String, name: String) {
        guard let slash = path.lastIndex(of: "/") else { return (".", path) }
        let directory = String(path[..<slash])
        return (directory.isEmpty ? "/" : directory, String(path[path.index(after: slash)...]))
    }

    private static func errnoDescription(_ code: Int32) -> String { FileIO.errnoDescription(code) }
}
