// libFuzzer entry: PNG decoding through libpng, then the preprocessor that `classify` runs on the image.
// Built only with DIGITS_FUZZ=1 (see tools/fuzz/README.md); libFuzzer supplies `main`.
import DigitsData

/// Small, so that a header honestly promising a large image is not what the fuzzer finds;
/// above 48 so the photo path of the preprocessor is reached too.
private let sideLimit = 256

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPNG(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    decode(bytes)
    // Nearly every mutation breaks a chunk CRC, and libpng stops there; with the CRCs repaired
    // the same mutation reaches the chunk parsers, the inflater and the pixel code.
    let repaired = withRepairedCRCs(bytes)
    if repaired != bytes { decode(repaired) }
    return 0
}

private func decode(_ bytes: [UInt8]) {
    do {
        let image = try PNGReader.decode(bytes, path: "fuzz", sideLimit: sideLimit)
        _ = try Preprocessor(settings: .standard).process(image)
    } catch {
        _ = "\(error)"
    }
}

/// The bytes with every complete chunk's CRC recomputed (length, type, data, CRC after the 8-byte signature).
private func withRepairedCRCs(_ bytes: [UInt8]) -> [UInt8] {
    var result = bytes
    var offset = 8
    while offset + 12 <= result.count {
        let length = result[offset..<offset + 4].reduce(0) { $0 << 8 | Int($1) }
        let end = offset + 8 + length  // where the CRC starts
        guard length <= result.count, end + 4 <= result.count else { break }
        let crc = crc32(result[offset + 4..<end])
        for k in 0..<4 { result[end + k] = UInt8(truncatingIfNeeded: crc >> (24 - 8 * k)) }
        offset = end + 4
    }
    return result
}

private let crcTable: [UInt32] = (0..<256).map { n in
    var c = UInt32(n)
    for _ in 0..<8 { c = c & 1 != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
    return c
}

private func crc32(_ bytes: ArraySlice<UInt8>) -> UInt32 {
    var c: UInt32 = 0xFFFF_FFFF
    for byte in bytes { c = crcTable[Int((c ^ UInt32(byte)) & 0xFF)] ^ (c >> 8) }
    return c ^ 0xFFFF_FFFF
}
