// libFuzzer entry: picture sniffing, JPEG decoding through libjpeg-turbo (behind the CJPEGDecoder
// shim that longjmps out of libjpeg's errors), the EXIF orientation walk, then the preprocessor.
// Built only with DIGITS_FUZZ=1 (see tools/fuzz/README.md); libFuzzer supplies `main`.
import DigitsData

/// Small, so that a header honestly promising a large image is not what the fuzzer finds.
private let sideLimit = 256
/// libjpeg's own working memory: a 256² progressive colour image needs under 1 MiB of coefficients.
private let memoryLimit = 64 << 20

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJPEG(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    _ = "\(ImageFormat(sniffing: bytes))"
    _ = EXIFOrientation(jpeg: bytes)
    decode(bytes)
    // Mutations that break the start-of-image marker would stop at the signature check; with it
    // put back, the same bytes reach libjpeg's marker parser.
    if !bytes.starts(with: [0xFF, 0xD8, 0xFF]) { decode([0xFF, 0xD8, 0xFF] + bytes) }
    return 0
}

private func decode(_ bytes: [UInt8]) {
    do {
        let image = try JPEGReader.decode(bytes, path: "fuzz", sideLimit: sideLimit, memoryLimit: memoryLimit)
        // The preprocessor's photo path (shorter side ≥ 48) costs milliseconds under ASan and is
        // FuzzPNG's to cover; here the decoder gets the executions, small images the preprocessor.
        if min(image.width, image.height) < Preprocessor.photoMinimumSide {
            _ = try Preprocessor(settings: .standard).process(image)
        }
    } catch {
        _ = "\(error)"
    }
}
