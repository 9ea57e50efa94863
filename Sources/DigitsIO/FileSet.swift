#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Writes several files into one folder all or nothing (a report: pictures and JSON that belong together).
///
/// Every file is first written and fsynced into a private temporary folder inside the destination
/// (same file system), so a full disk or a kill while writing leaves the destination as it was;
/// only then is each moved into place by `rename`, which replaces a symbolic link planted at a
/// name instead of writing through it to its target.
public enum FileSet {
    @discardableResult
    public static func write(_ files: [(name: String, bytes: [UInt8])], into directory: String) throws(FileIOError) -> [String] {
        try makeDirectories(directory)
        var template = Array((directory + "/.digits-report.XXXXXX").utf8CString)
        let created = template.withUnsafeMutableBufferPointer { buffer -> Bool in
            guard let base = buffer.baseAddress else { return false }
            return mkdtemp(base) != nil
        }
        guard created else { throw .writeFailed(path: directory, step: "create temporary folder", reason: systemErrorText()) }
        let staging = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
        defer {
            for file in files { unlink(staging + "/" + file.name) }
            rmdir(staging)
        }
        for file in files {
            guard !file.name.contains("/"), !file.name.isEmpty else {
                throw .refusedTarget(path: directory + "/" + file.name, reason: "not a plain file name")
            }
            try AtomicFile.requireReplaceable(directory + "/" + file.name)
            do {
                try AtomicFile.write(file.bytes, to: staging + "/" + file.name)
            } catch {
                throw .writeFailed(path: directory + "/" + file.name, step: "write", reason: error.reason)
            }
        }
        var placed: [String] = []
        for file in files {
            let destination = directory + "/" + file.name
            guard rename(staging + "/" + file.name, destination) == 0 else {
                throw .writeFailed(path: destination, step: AtomicFile.Step.rename.rawValue, reason: systemErrorText())
            }
            placed.append(destination)
        }
        try AtomicFile.syncDirectory(directory, path: directory)
        return placed
    }

    /// `mkdir -p`: creates `directory` and its missing parents; an existing directory is fine.
    /// Errors name `directory`, the folder the caller asked for, whichever part of the way failed.
    /// An empty path is refused: joined with a file's name it would be `/NAME`, the root folder
    /// (`--report ""` wrote its five files into `/` before failing on fsync).
    public static func makeDirectories(_ directory: String) throws(FileIOError) {
        guard !directory.isEmpty else { throw .refusedTarget(path: "\"\"", reason: "an empty path names no folder") }
        var prefix = directory.hasPrefix("/") ? "/" : ""
        for component in directory.split(separator: "/") {
            prefix += (prefix.isEmpty || prefix.hasSuffix("/") ? "" : "/") + component
            var status = stat()
            if stat(prefix, &status) == 0 {
                guard (status.st_mode & S_IFMT) == S_IFDIR else {
                    throw .writeFailed(
                        path: directory, step: "create folder",
                        reason: "\(prefix) is \(fileKindText(status.st_mode)), not a folder")
                }
                continue
            }
            guard mkdir(prefix, 0o755) == 0 || errno == EEXIST else {
                throw .writeFailed(path: directory, step: "create folder", reason: systemErrorText())
            }
        }
    }
}
