import DigitsData

/// Constructed pictures for the segmentation tests: light ink (1) on black (0), drawn from
/// rectangles, so every mark's pixels and box are known exactly.
struct Canvas {
    var width: Int
    var height: Int
    var pixels: [Float]

    init(width: Int, height: Int) {
        self.width = width
        self.height = height
        pixels = [Float](repeating: 0, count: width * height)
    }

    /// Fills columns x0...x1, rows y0...y1 (inclusive).
    mutating func fill(_ x0: Int, _ y0: Int, _ x1: Int, _ y1: Int, value: Float = 1) {
        for y in y0...y1 { for x in x0...x1 { pixels[y * width + x] = value } }
    }

    /// A hollow rectangle (a "0") with strokes `stroke` thick.
    mutating func ring(_ x0: Int, _ y0: Int, _ x1: Int, _ y1: Int, stroke: Int = 3) {
        fill(x0, y0, x1, y0 + stroke - 1)
        fill(x0, y1 - stroke + 1, x1, y1)
        fill(x0, y0, x0 + stroke - 1, y1)
        fill(x1 - stroke + 1, y0, x1, y1)
    }

    /// A slanted bar: each row's run of `thickness` pixels starts `slant` pixels further left per row.
    mutating func slantedBar(top: Int, bottom: Int, startX: Int, slant: Float, thickness: Int = 3) {
        for y in top...bottom {
            let x0 = startX - Int((slant * Float(y - top)).rounded())
            fill(x0, y, x0 + thickness - 1, y)
        }
    }

    var image: GrayImage { GrayImage(width: width, height: height, pixels: pixels) }
}

/// Light ink on black, the rest of the default settings.
let lightInk: PreprocessingSettings = {
    var settings = PreprocessingSettings.standard
    settings.polarity = .lightInk
    return settings
}()

func components(of canvas: Canvas) throws -> (InkImage, InkComponents) {
    let ink = try Preprocessor(settings: lightInk).inkImage(canvas.image)
    return (ink, InkComponents(ink))
}
