#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// An exclusive lock on an output path, held for as long as the value lives, so two runs writing
/// the same model cannot both say "saved" while one result silently vanishes.
///
/// The lock is `flock` on a hidden file beside the output (`.NAME.lock`). The kernel releases it
/// when the process dies, however it dies, so a killed run never leaves a stale lock; the file
/// itself is removed on release.
public final class OutputLock {
    public let path: String
    public let lockPath: String
    private var descriptor: Int32

    /// Takes the lock or fails at once (never waits) with `FileIOError.locked`.
    public init(for path: String) throws(FileIOError) {
        let (directory, name) = AtomicFile.split(path)
        self.path = path
        lockPath = directory + "/." + name + ".lock"
        while true {
            let fd = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o644)
            guard fd >= 0 else {
                throw .writeFailed(path: path, step: "create lock file", reason: systemErrorText())
            }
            guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
                let code = errno
                close(fd)
                if code == EWOULDBLOCK { throw .locked(path: path, lockFile: lockPath) }
                throw .writeFailed(path: path, step: "lock", reason: systemErrorText(code))
            }
            // The holder before us may have removed the file between our open and our flock: then
            // we hold a lock on a file nobody else will see. Check it is still the one at the path.
            var held = stat(), current = stat()
            if fstat(fd, &held) == 0, stat(lockPath, &current) == 0,
                held.st_dev == current.st_dev, held.st_ino == current.st_ino
            {
                descriptor = fd
                return
            }
            close(fd)
        }
    }

    /// Removes the lock file and releases the lock (also done when the value is freed).
    public func release() {
        guard descriptor >= 0 else { return }
        unlink(lockPath)
        close(descriptor)
        descriptor = -1
    }

    deinit { release() }
}
