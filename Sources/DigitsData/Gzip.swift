import CZlib

/// Why zlib stopped.
enum GzipFailure: Error, CustomStringConvertible {
    case corrupt(String)

    var description: String {
        switch self {
        case .corrupt(let reason): reason
        }
    }
}

/// Whether `bytes` start like a gzip file (1f 8b); names are not trusted.
func isGzip(_ bytes: [UInt8]) -> Bool {
    bytes.count >= 2 && bytes[0] == 0x1F && bytes[1] == 0x8B
}

/// deflate never expands data by more than about 1032:1, so a gzip file of `n` bytes
/// cannot hold more than this many bytes; a header promising more is lying.
func maximumInflatedSize(compressedBytes n: Int) -> Int {
    n.multipliedReportingOverflow(by: 1032).overflow ? Int.max : n * 1032 + 1024
}

/// Streams the decompressed bytes of an in-memory gzip file (one or more members) through zlib.
///
/// Each `read(into:)` inflates straight into the caller's buffer, so a large payload is decoded
/// in one zlib call into memory allocated once, with no per-byte Swift work.
final class GzipInflater {
    // zlib keeps a pointer back to its z_stream, so the stream lives at a fixed heap address.
    private let stream: UnsafeMutablePointer<z_stream>
    private let input: [UInt8]
    private var consumed = 0
    /// True once the compressed data is used up (whether or not the last member ended properly).
    private(set) var isFinished = false
    /// True once the last member ended with its CRC-32 and length trailer checked by zlib.
    private(set) var endedCleanly = false

    init(_ input: [UInt8]) throws(GzipFailure) {
        self.input = input
        stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
        // windowBits 15 + 16: a gzip wrapper, not zlib's own.
        let status = inflateInit2_(stream, 15 + 16, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        guard status == Z_OK else {
            stream.deallocate()
            throw .corrupt("zlib could not start (status \(status))")
        }
    }

    deinit {
        inflateEnd(stream)
        stream.deallocate()
    }

    /// Fills `buffer` as far as the data goes and returns how many bytes it wrote:
    /// fewer than `buffer.count` only at the end of the data.
    func read(into buffer: UnsafeMutableRawBufferPointer) throws(GzipFailure) -> Int {
        var produced = 0
        while produced < buffer.count && !isFinished {
            let status: Int32 = input.withUnsafeBufferPointer { source in
                let inputBefore = source.count - consumed
                let outputBefore = buffer.count - produced
                stream.pointee.next_in = source.baseAddress.map { UnsafeMutablePointer(mutating: $0 + consumed) }
                stream.pointee.avail_in = UInt32(clamping: inputBefore)
                stream.pointee.next_out = buffer.baseAddress.map { ($0 + produced).assumingMemoryBound(to: UInt8.self) }
                stream.pointee.avail_out = UInt32(clamping: outputBefore)
                let inputOffered = Int(stream.pointee.avail_in)
                let outputOffered = Int(stream.pointee.avail_out)
                let status = inflate(stream, Z_NO_FLUSH)
                consumed += inputOffered - Int(stream.pointee.avail_in)
                produced += outputOffered - Int(stream.pointee.avail_out)
                return status
            }
            switch status {
            case Z_OK:
                continue
            case Z_STREAM_END:
                try startNextMemberOrFinish()
            case Z_BUF_ERROR where consumed == input.count:
                isFinished = true  // the compressed data stops mid-stream: the caller sees a short count
            default:
                let message = stream.pointee.msg.map { String(cString: $0) } ?? "zlib status \(status)"
                throw .corrupt(message)
            }
        }
        return produced
    }

    /// gzip allows several members back to back (`cat a.gz b.gz`); anything else after a member is damage.
    private func startNextMemberOrFinish() throws(GzipFailure) {
        let remaining = input.count - consumed
        if remaining == 0 {
            isFinished = true
            endedCleanly = true
        } else if remaining >= 2 && input[consumed] == 0x1F && input[consumed + 1] == 0x8B {
            inflateReset(stream)
            endedCleanly = false
        } else {
            throw .corrupt("\(remaining) bytes of non-gzip data after the compressed stream")
        }
    }
}

/// Compresses `bytes` into a single gzip member.
func gzipCompress(_ bytes: [UInt8], level: Int32 = 6) throws(GzipFailure) -> [UInt8] {
    let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
    stream.initialize(to: z_stream())
    defer { stream.deallocate() }
    // windowBits 15 + 16: write a gzip wrapper; memLevel 8 is zlib's default.
    let started = deflateInit2_(
        stream, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY,
        ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
    guard started == Z_OK else { throw .corrupt("zlib could not start (status \(started))") }
    defer { deflateEnd(stream) }

    // deflateBound plus the gzip header and trailer (18 bytes) is enough for one Z_FINISH call.
    guard bytes.count <= Int(UInt32.max) else { throw .corrupt("\(bytes.count) bytes is more than one deflate call takes") }
    let capacity = Int(deflateBound(stream, UInt(bytes.count))) + 18
    var status = Z_OK
    let compressed = [UInt8](unsafeUninitializedCapacity: capacity) { output, initializedCount in
        bytes.withUnsafeBufferPointer { input in
            stream.pointee.next_in = input.baseAddress.map { UnsafeMutablePointer(mutating: $0) }
            stream.pointee.avail_in = UInt32(input.count)
            stream.pointee.next_out = output.baseAddress
            stream.pointee.avail_out = UInt32(output.count)
            status = deflate(stream, Z_FINISH)
            initializedCount = output.count - Int(stream.pointee.avail_out)
        }
    }
    guard status == Z_STREAM_END else { throw .corrupt("deflate did not finish (status \(status))") }
    return compressed
}
