import DigitsData

extension RGBCanvas {
    /// The one place a canvas becomes PNG bytes: through libpng, via the data module's encoder.
    func pngBytes() throws -> [UInt8] {
        try PNGWriter.encodeRGB(pixels, width: width, height: height)
    }
}
