#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Why a whole-file read or write failed, before the caller names the file in its own error type.
enum FileIOFailure: Error {
    case system(String)
    case tooLarge(bytes: Int)
}

func systemErrorText() -> String { String(cString: strerror(errno)) }

/// Reads a whole file into memory, refusing one larger than `limit` bytes before allocating.
func readWholeFile(_ path: String, limit: Int) throws(FileIOFailure) -> [UInt8] {
    let descriptor = open(path, O_RDONLY)
    guard descriptor >= 0 else { throw .system(systemErrorText()) }
    defer { close(descriptor) }
    var status = stat()
    guard fstat(descriptor, &status) == 0 else { throw .system(systemErrorText()) }
    guard (status.st_mode & S_IFMT) == S_IFREG else { throw .system("not a regular file") }
    let size = Int(status.st_size)
    guard size <= limit else { throw .tooLarge(bytes: size) }

    var failure: FileIOFailure?
    let bytes = [UInt8](unsafeUninitializedCapacity: size) { buffer, initializedCount in
        initializedCount = 0
        while initializedCount < size {
            let got = Glibc.read(descriptor, buffer.baseAddress.map { $0 + initializedCount }, size - initializedCount)
            if got < 0 && errno == EINTR { continue }
            if got < 0 { failure = .system(systemErrorText()); return }
            if got == 0 { break }  // the file shrank while we read it; the caller's checks see the short count
            initializedCount += got
        }
    }
    if let failure { throw failure }
    return bytes
}

/// Writes `bytes` to a temporary file beside `path`, then renames it over `path`,
/// so a reader never sees a half-written file.
func writeWholeFileAtomically(_ bytes: [UInt8], to path: String) throws(FileIOFailure) {
    let temporary = "\(path).\(getpid()).tmp"
    let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    guard descriptor >= 0 else { throw .system(systemErrorText()) }
    var written = 0
    var failure: FileIOFailure?
    bytes.withUnsafeBytes { buffer in
        while written < buffer.count {
            let count = Glibc.write(descriptor, buffer.baseAddress.map { $0 + written }, buffer.count - written)
            if count < 0 && errno == EINTR { continue }
            if count <= 0 { failure = .system(systemErrorText()); return }
            written += count
        }
    }
    if close(descriptor) != 0 && failure == nil { failure = .system(systemErrorText()) }
    if failure == nil && rename(temporary, path) != 0 { failure = .system(systemErrorText()) }
    if let failure {
        unlink(temporary)
        throw failure
    }
}
