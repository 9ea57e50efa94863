#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A file opened for reading that is known to be a regular file of a known size.
///
/// Opening never blocks: the file is opened with `O_NONBLOCK` (a FIFO with no writer would
/// otherwise hang `open` forever) and checked with `fstat` on the descriptor itself (no window
/// between a check and the open). FIFOs, devices, directories and sockets are refused with their
/// own error; a symbolic link is followed, as a reader expects. Every read is bounded by a limit
/// the caller gives for its kind of file, checked before anything is allocated.
public final class InputFile {
    public let path: String
    /// The size `fstat` reported when the file was opened.
    public let size: Int
    public let identity: FileIdentity
    private let descriptor: Int32
    private var offset = 0

    public init(_ path: String) throws(FileIOError) {
        self.path = path
        let descriptor = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard descriptor >= 0 else {
            let code = errno
            if code == ENOENT { throw .missing(path: path) }
            throw .unreadable(path: path, reason: systemErrorText(code))
        }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else {
            let reason = systemErrorText()
            close(descriptor)
            throw .unreadable(path: path, reason: reason)
        }
        guard (status.st_mode & S_IFMT) == S_IFREG else {
            close(descriptor)
            throw .notRegularFile(path: path, kind: fileKindText(status.st_mode))
        }
        // A regular file never blocks; clearing the flag keeps reads ordinary on every file system.
        _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) & ~O_NONBLOCK)
        self.descriptor = descriptor
        size = Int(status.st_size)
        identity = FileIdentity(device: UInt64(status.st_dev), inode: UInt64(status.st_ino))
    }

    deinit { close(descriptor) }

    /// Refuses the file when it is larger than `limit` bytes; `what` names the kind of file in the message.
    public func requireSize(atMost limit: Int, what: String) throws(FileIOError) {
        guard size <= limit else { throw .tooLarge(path: path, bytes: size, limit: limit, what: what) }
    }

    /// The next `count` bytes or fewer at the end of the file.
    public func read(_ count: Int) throws(FileIOError) -> [UInt8] {
        let wanted = max(0, min(count, size - offset))
        var outcome: Result<Int, FileIOError> = .success(0)
        let bytes = [UInt8](unsafeUninitializedCapacity: wanted) { buffer, initialized in
            outcome = Result { () throws(FileIOError) in try read(into: UnsafeMutableRawBufferPointer(buffer)) }
            initialized = (try? outcome.get()) ?? 0
        }
        if case .failure(let error) = outcome { throw error }
        return bytes
    }

    /// Fills `buffer` with the next bytes of the file, straight from the file (a model's weights go
    /// into their arrays without a copy of the whole file first), and returns how many it read:
    /// fewer than `buffer.count` only at the end of the file (a file that shrank since it was opened).
    public func read(into buffer: UnsafeMutableRawBufferPointer) throws(FileIOError) -> Int {
        guard let base = buffer.baseAddress else { return 0 }
        var filled = 0
        while filled < buffer.count {
            let got = Glibc.read(descriptor, base + filled, buffer.count - filled)
            if got < 0 && errno == EINTR { continue }
            if got < 0 { throw .unreadable(path: path, reason: systemErrorText()) }
            if got == 0 { break }  // the file shrank while we read it; the caller's checks see the short count
            filled += got
        }
        offset += filled
        return filled
    }

    /// All that is left of the file, refusing a file over `limit` bytes before reading it.
    public func readRest(limit: Int, what: String) throws(FileIOError) -> [UInt8] {
        try requireSize(atMost: limit, what: what)
        return try read(size - offset)
    }

    /// The whole file at `path`, if it is a regular file of at most `limit` bytes.
    public static func readAll(_ path: String, limit: Int, what: String) throws(FileIOError) -> [UInt8] {
        try InputFile(path).readRest(limit: limit, what: what)
    }
}

/// Which file a path leads to (device and inode), to tell when two paths are the same file.
public struct FileIdentity: Hashable, Sendable {
    public var device: UInt64
    public var inode: UInt64

    /// The file `path` leads to, following symbolic links; nil when there is none.
    public static func of(_ path: String) -> FileIdentity? {
        var status = stat()
        guard stat(path, &status) == 0 else { return nil }
        return FileIdentity(device: UInt64(status.st_dev), inode: UInt64(status.st_ino))
    }
}
