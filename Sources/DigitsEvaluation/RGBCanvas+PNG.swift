import DigitsData

/// The one place a canvas becomes a PNG file: through libpng, via the data module's writer.
func writePNG(_ canvas: RGBCanvas, to path: String) throws {
    try PNGWriter.writeRGB(canvas.pixels, width: canvas.width, height: canvas.height, to: path)
}
