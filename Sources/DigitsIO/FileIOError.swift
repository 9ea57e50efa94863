#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Why reading or writing a file failed. Every case names the file, so its description is the
/// one line a command prints; the readers of each format (IDX, PNG, model files) pass it on as it is.
public enum FileIOError: Error, Equatable, Sendable, CustomStringConvertible {
    case missing(path: String)
    /// Not a regular file: a FIFO (would block forever), a device (endless or dangerous), a directory, a socket.
    case notRegularFile(path: String, kind: String)
    /// Over the limit for this kind of file; checked from `fstat`, before anything is read.
    case tooLarge(path: String, bytes: Int, limit: Int, what: String)
    case unreadable(path: String, reason: String)
    /// A write the command must not make: over a device, over one of its own inputs, and the like.
    case refusedTarget(path: String, reason: String)
    case writeFailed(path: String, step: String, reason: String)
    /// Another process holds the lock on this output.
    case locked(path: String, lockFile: String)

    public var path: String {
        switch self {
        case .missing(let path), .notRegularFile(let path, _), .tooLarge(let path, _, _, _), .unreadable(let path, _),
            .refusedTarget(let path, _), .writeFailed(let path, _, _), .locked(let path, _):
            path
        }
    }

    /// The problem without the path, for readers that wrap it in their own error type.
    public var reason: String {
        switch self {
        case .missing: "No such file or directory"
        case .notRegularFile(_, let kind): "it is \(kind), not a regular file"
        case .tooLarge(_, let bytes, let limit, let what):
            "file is \(byteCountText(bytes)), over the limit of \(byteCountText(limit)) for \(what)"
        case .unreadable(_, let reason): reason
        case .refusedTarget(_, let reason): reason
        case .writeFailed(_, _, let reason): reason
        case .locked(_, let lockFile):
            "another run is writing this file now (lock \(lockFile) is held); wait for it or choose another --output"
        }
    }

    public var description: String {
        switch self {
        case .missing, .notRegularFile, .tooLarge, .unreadable: "\(path): cannot read: \(reason)"
        case .refusedTarget: "\(path): will not write there: \(reason)"
        case .writeFailed(_, let step, _): "\(path): cannot save (\(step)): \(reason)"
        case .locked: "\(path): \(reason)"
        }
    }
}

/// "3.0 GiB", "512 bytes": sizes people read, with the exact count only when it is small.
public func byteCountText(_ bytes: Int) -> String {
    let units = ["KiB", "MiB", "GiB", "TiB", "PiB", "EiB"]
    guard bytes >= 1024 else { return bytes == 1 ? "1 byte" : "\(bytes) bytes" }
    var value = Double(bytes) / 1024
    var unit = 0
    while value >= 1024 && unit < units.count - 1 {
        value /= 1024
        unit += 1
    }
    let rounded = value >= 100 ? String(Int(value.rounded())) : String(Double(Int(value * 10 + 0.5)) / 10)
    return "\(rounded) \(units[unit])"
}

/// `strerror(code)` as a Swift string.
public func systemErrorText(_ code: Int32 = errno) -> String {
    guard let message = strerror(code) else { return "error \(code)" }
    return String(cString: message)
}

/// What kind of file a `st_mode` describes, in words for an error message ("a FIFO").
func fileKindText(_ mode: mode_t) -> String {
    switch mode & S_IFMT {
    case S_IFIFO: "a FIFO (named pipe)"
    case S_IFCHR: "a character device"
    case S_IFBLK: "a block device"
    case S_IFDIR: "a directory"
    case S_IFSOCK: "a socket"
    case S_IFLNK: "a symbolic link"
    case S_IFREG: "a regular file"
    default: "not a regular file"
    }
}
