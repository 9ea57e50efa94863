// The 16 × 16 the network received, as a picture a person can look at (`--save-input`).

extension Preprocessor {
    /// PNG bytes of a processed input (256 values, ink high), each input pixel drawn as a
    /// `scale × scale` square (nearest neighbour: no smoothing, so every cell is what the network
    /// got). Ink is light on black, as the network sees it and as MNIST stores it.
    public static func inputPicturePNG(_ input: [Float], scale: Int = 8) throws -> [UInt8] {
        let side = PreprocessingSettings.frameSide
        precondition(input.count == side * side && scale >= 1, "a 16 × 16 input and a positive scale")
        let width = side * scale
        var pixels = [UInt8](repeating: 0, count: width * width)
        for y in 0..<width {
            for x in 0..<width {
                let value = unitClamped(input[(y / scale) * side + x / scale])
                pixels[y * width + x] = UInt8((value * 255).rounded())
            }
        }
        return try PNGWriter.encodeGray(pixels, width: width, height: width)
    }
}
