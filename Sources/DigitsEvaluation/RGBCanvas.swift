/// An 8-bit RGB colour.
public struct RGBColor: Equatable, Sendable {
    public var red: UInt8
    public var green: UInt8
    public var blue: UInt8

    public init(_ red: UInt8, _ green: UInt8, _ blue: UInt8) {
        self.red = red
        self.green = green
        self.blue = blue
    }

    public static let white = RGBColor(255, 255, 255)
    public static let black = RGBColor(0, 0, 0)

    /// Straight-line mix: `t = 0` gives `self`, `t = 1` gives `other`; `t` is clamped to [0, 1].
    public func mixed(with other: RGBColor, _ t: Double) -> RGBColor {
        let t = min(1, max(0, t))
        func channel(_ a: UInt8, _ b: UInt8) -> UInt8 { UInt8((Double(a) + (Double(b) - Double(a)) * t).rounded()) }
        return RGBColor(channel(red, other.red), channel(green, other.green), channel(blue, other.blue))
    }

    /// Perceived brightness in [0, 255] (Rec. 601 weights), to choose dark or light text on a fill.
    public var luminance: Double { 0.299 * Double(red) + 0.587 * Double(green) + 0.114 * Double(blue) }
}

/// An in-memory picture to draw reports on, origin at the top left.
///
/// Drawing outside the canvas is clipped silently, so layout code need not check every rectangle.
public struct RGBCanvas: Equatable, Sendable {
    public let width: Int
    public let height: Int
    /// Interleaved RGB, row-major, `width * height * 3` bytes: the layout a PNG writer takes.
    public private(set) var pixels: [UInt8]

    /// Negative sizes are treated as 0.
    public init(width: Int, height: Int, background: RGBColor = .white) {
        self.width = max(0, width)
        self.height = max(0, height)
        pixels = [UInt8](repeating: 0, count: self.width * self.height * 3)
        fillRect(x: 0, y: 0, width: self.width, height: self.height, color: background)
    }

    /// The colour at `(x, y)`, or nil outside the canvas.
    public func pixel(x: Int, y: Int) -> RGBColor? {
        guard (0..<width).contains(x), (0..<height).contains(y) else { return nil }
        let i = (y * width + x) * 3
        return RGBColor(pixels[i], pixels[i + 1], pixels[i + 2])
    }

    public mutating func setPixel(x: Int, y: Int, color: RGBColor) {
        guard (0..<width).contains(x), (0..<height).contains(y) else { return }
        let i = (y * width + x) * 3
        pixels[i] = color.red
        pixels[i + 1] = color.green
        pixels[i + 2] = color.blue
    }

    public mutating func fillRect(x: Int, y: Int, width rectWidth: Int, height rectHeight: Int, color: RGBColor) {
        let left = max(0, x), right = min(width, x + rectWidth)
        let top = max(0, y), bottom = min(height, y + rectHeight)
        guard left < right, top < bottom else { return }
        for row in top..<bottom {
            for column in left..<right { setPixel(x: column, y: row, color: color) }
        }
    }

    /// A one-pixel outline just inside the rectangle.
    public mutating func strokeRect(x: Int, y: Int, width rectWidth: Int, height rectHeight: Int, color: RGBColor) {
        fillRect(x: x, y: y, width: rectWidth, height: 1, color: color)
        fillRect(x: x, y: y + rectHeight - 1, width: rectWidth, height: 1, color: color)
        fillRect(x: x, y: y, width: 1, height: rectHeight, color: color)
        fillRect(x: x + rectWidth - 1, y: y, width: 1, height: rectHeight, color: color)
    }

    /// Draws a square grey image `side × side` (values in [0, 1], 1 = ink) with its top-left at `(x, y)`,
    /// each source pixel a `scale × scale` block, ink dark on white so it reads like a digit on paper.
    public mutating func drawGrayImage(_ values: [Float], side: Int, x: Int, y: Int, scale: Int) {
        guard side > 0, values.count >= side * side, scale > 0 else { return }
        for row in 0..<side {
            for column in 0..<side {
                let ink = Double(min(1, max(0, values[row * side + column].isNaN ? 0 : values[row * side + column])))
                let grey = UInt8((255 * (1 - ink)).rounded())
                fillRect(
                    x: x + column * scale, y: y + row * scale, width: scale, height: scale,
                    color: RGBColor(grey, grey, grey))
            }
        }
    }

    /// Draws `text` in the built-in 5 × 7 font with its top-left at `(x, y)`; see `BitmapFont`.
    public mutating func drawText(_ text: String, x: Int, y: Int, scale: Int = 2, color: RGBColor = .black) {
        var penX = x
        for character in text {
            let rows = BitmapFont.glyph(character)
            for (row, bits) in rows.enumerated() {
                for column in 0..<BitmapFont.glyphWidth where bits & (1 << (BitmapFont.glyphWidth - 1 - column)) != 0 {
                    fillRect(x: penX + column * scale, y: y + row * scale, width: scale, height: scale, color: color)
                }
            }
            penX += BitmapFont.advance * scale
        }
    }

    /// Draws `text` centred on `centreX`.
    public mutating func drawText(_ text: String, centreX: Int, y: Int, scale: Int = 2, color: RGBColor = .black) {
        drawText(text, x: centreX - BitmapFont.width(of: text, scale: scale) / 2, y: y, scale: scale, color: color)
    }
}
