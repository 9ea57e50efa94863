// libFuzzer entry: IDX decoding (raw and gzip), on untrusted bytes.
// Built only with DIGITS_FUZZ=1 (see tools/fuzz/README.md); libFuzzer supplies `main`.
import DigitsData

/// Small, so that a header honestly promising a large array is not what the fuzzer finds.
private let byteLimit = 1 << 20

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzIDX(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    do {
        let array = try IDXReader.decode(bytes, path: "fuzz", byteLimit: byteLimit)
        _ = array.dimensions
    } catch {
        _ = "\(error)"
    }
    return 0
}
