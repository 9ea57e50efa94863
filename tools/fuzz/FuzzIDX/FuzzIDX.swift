// libFuzzer entry: IDX decoding (raw and gzip), on untrusted bytes; a decoded image array then goes
// through the preprocessor as a data set would (LabeledImages.load's own checks are mirrored here).
// Built only with DIGITS_FUZZ=1 (see tools/fuzz/README.md); libFuzzer supplies `main`.
import DigitsData

/// Small, so that a header honestly promising a large array is not what the fuzzer finds.
private let byteLimit = 1 << 20

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzIDX(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    do {
        let array = try IDXReader.decode(bytes, path: "fuzz", byteLimit: byteLimit)
        try preprocess(array)
    } catch {
        _ = "\(error)"
    }
    return 0
}

/// An array of shape [count, rows, columns] with unsigned bytes or floats in [0, 1], as `LabeledImages.load` accepts.
private func preprocess(_ array: IDXArray) throws {
    guard array.dimensions.count == 3 else { return }
    let (count, rows, columns) = (array.dimensions[0], array.dimensions[1], array.dimensions[2])
    guard rows > 0, columns > 0 else { return }
    let pixels: LabeledImages.Pixels
    switch array.elements {
    case .uint8(let values): pixels = .bytes(values)
    case .float32(let values) where values.allSatisfy({ $0 >= 0 && $0 <= 1 }): pixels = .floats(values)
    case .float64(let values) where values.allSatisfy({ Float($0) >= 0 && Float($0) <= 1 }):
        pixels = .floats(values.map { Float($0) })
    default: return
    }
    let images = LabeledImages(
        rows: rows, columns: columns, pixels: pixels,
        labels: [Int](repeating: 0, count: count), inkPolarity: .auto)
    _ = try Preprocessor(settings: .standard).inputs(for: images)
}
