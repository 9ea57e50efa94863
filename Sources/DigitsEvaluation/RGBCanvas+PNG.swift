import Foundation

/// The one place a canvas becomes a PNG file.
/// When the `data` branch (with `PNGWriter`) merges: add `import DigitsData`, make the body
/// `try PNGWriter.writeRGB(canvas.pixels, width: canvas.width, height: canvas.height, to: path)`,
/// and delete TemporaryPNGEncoder.swift. The tests check only what any PNG writer produces.
func writePNG(_ canvas: RGBCanvas, to path: String) throws {
    let bytes = TemporaryPNGEncoder.encodeRGB(canvas.pixels, width: canvas.width, height: canvas.height)
    try Data(bytes).write(to: URL(fileURLWithPath: path), options: .atomic)
}
