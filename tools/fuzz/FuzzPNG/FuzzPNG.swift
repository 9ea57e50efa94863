// libFuzzer entry: PNG decoding through libpng, then the preprocessor that `classify` runs on the image.
// Built only with DIGITS_FUZZ=1 (see tools/fuzz/README.md); libFuzzer supplies `main`.
import DigitsData

/// Small, so that a header honestly promising a large image is not what the fuzzer finds;
/// above 48 so the photo path of the preprocessor is reached too.
private let sideLimit = 256

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPNG(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    do {
        let image = try PNGReader.decode(bytes, path: "fuzz", sideLimit: sideLimit)
        _ = try Preprocessor(settings: .standard).process(image)
    } catch {
        _ = "\(error)"
    }
    return 0
}
