#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Reading what another program pipes in (`digits classify -`), bounded like every file read.
public enum StandardInput {
    /// How errors name it.
    public static let name = "standard input"

    /// Everything on standard input up to end of file. More than `limit` bytes is refused as soon as
    /// byte `limit + 1` arrives, so an endless stream (`cat /dev/zero |`) costs at most `limit` bytes.
    public static func readAll(
        limit: Int, what: String,
        descriptor: Int32 = STDIN_FILENO
    ) throws(FileIOError) -> [UInt8] {
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let got = chunk.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
            if got < 0 && errno == EINTR { continue }
            if got < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) {
                // A non-blocking descriptor with nothing yet: wait for data rather than spin.
                var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
                _ = poll(&poller, 1, -1)
                continue
            }
            if got < 0 { throw .unreadable(path: name, reason: systemErrorText()) }
            if got == 0 { return bytes }
            guard bytes.count + got <= limit else {
                throw .unreadable(path: name, reason: "more than \(byteCountText(limit)), over the limit for \(what)")
            }
            bytes.append(contentsOf: chunk[..<got])
        }
    }
}
