import Foundation

/// The one place a canvas becomes a PNG file.
/// When the `data` branch merges, the body becomes
/// `try PNGWriter.writeRGB(canvas.pixels, width: canvas.width, height: canvas.height, to: path)`
/// and TemporaryPNGEncoder.swift is deleted.
func writePNG(_ canvas: RGBCanvas, to path: String) throws {
    let bytes = TemporaryPNGEncoder.encodeRGB(canvas.pixels, width: canvas.width, height: canvas.height)
    try Data(bytes).write(to: URL(fileURLWithPath: path), options: .atomic)
}
