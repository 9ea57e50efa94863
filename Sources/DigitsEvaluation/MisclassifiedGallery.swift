/// Draws a grid of wrongly classified images, most confident mistake first, each captioned
/// `true → predicted  confidence` with the prediction in red and the source name small below.
///
/// - Parameters:
///   - mistakes: the examples to show; they are sorted here by confidence (descending), so any order will do.
///   - limit: at most this many are drawn.
///   - totalMistakes, totalCount: for the subtitle ("showing 100 of 192 mistakes in 10000"); nil leaves them out.
/// - Throws: `EvaluationError.imageNotSquare` when an image's pixel count is not a square.
public func misclassifiedGallery(
    _ mistakes: [Misclassification], limit: Int = 100,
    totalMistakes: Int? = nil, totalCount: Int? = nil
) throws(EvaluationError) -> RGBCanvas {
    let shown = Array(
        mistakes.enumerated()
            .sorted { ($0.element.confidence, $1.offset) > ($1.element.confidence, $0.offset) }
            .map(\.element)
            .prefix(max(0, limit)))
    var sides: [Int] = []
    for mistake in shown {
        let side = Int(Double(mistake.pixels.count).squareRoot().rounded())
        guard side > 0, side * side == mistake.pixels.count else { throw .imageNotSquare(pixelCount: mistake.pixels.count) }
        sides.append(side)
    }

    let scale = 2, margin = 20, padding = 8, imageScale = 4
    let textHeight = BitmapFont.glyphHeight * scale
    let imageSide = (sides.max() ?? 16) * imageScale
    let tileWidth = max(imageSide, BitmapFont.width(of: "0→0 100%", scale: scale)) + 2 * padding
    let tileHeight = padding + imageSide + 6 + textHeight + 4 + BitmapFont.glyphHeight + padding
    let columns = max(1, min(10, shown.count))
    let rows = (shown.count + columns - 1) / columns

    let title = "misclassified, most confident first"
    var subtitle = "true → predicted, confidence"
    if let totalMistakes {
        subtitle += "; \(shown.count) of \(totalMistakes) mistakes"
        if let totalCount { subtitle += " in \(totalCount)" }
    }
    let headerHeight = 2 * textHeight + 8 + 16
    let width =
        max(columns * tileWidth, BitmapFont.width(of: subtitle, scale: scale), BitmapFont.width(of: title, scale: scale)) + 2 * margin
    let height = margin + headerHeight + max(1, rows) * tileHeight + margin
    var canvas = RGBCanvas(width: width, height: height)
    canvas.drawText(title, x: margin, y: margin, scale: scale, color: ReportPalette.text)
    canvas.drawText(subtitle, x: margin, y: margin + textHeight + 8, scale: scale, color: ReportPalette.mutedText)
    if shown.isEmpty {
        canvas.drawText("no mistakes", x: margin, y: margin + headerHeight + padding, scale: scale, color: ReportPalette.text)
        return canvas
    }

    for (i, mistake) in shown.enumerated() {
        let tileX = margin + (i % columns) * tileWidth, tileY = margin + headerHeight + (i / columns) * tileHeight
        let side = sides[i], drawnSide = side * imageScale
        let imageX = tileX + (tileWidth - drawnSide) / 2, imageY = tileY + padding
        canvas.drawGrayImage(mistake.pixels, side: side, x: imageX, y: imageY, scale: imageScale)
        canvas.strokeRect(x: imageX - 1, y: imageY - 1, width: drawnSide + 2, height: drawnSide + 2, color: ReportPalette.grid)

        // Caption pieces drawn one after another so the prediction can be red.
        let pieces: [(String, RGBColor)] = [
            ("\(mistake.truth)→", ReportPalette.text),
            ("\(mistake.predicted)", ReportPalette.mistakeDark),
            (" \(confidencePercent(mistake.confidence))", ReportPalette.mutedText)
        ]
        let captionWidth = BitmapFont.width(of: pieces.map(\.0).joined(), scale: scale)
        var penX = tileX + (tileWidth - captionWidth) / 2
        let captionY = imageY + imageSide + 6
        for (text, color) in pieces {
            canvas.drawText(text, x: penX, y: captionY, scale: scale, color: color)
            penX += text.count * BitmapFont.advance * scale
        }
        if let source = mistake.source {
            canvas.drawText(
                keepingEnd(source, characters: (tileWidth - 4) / BitmapFont.advance), centreX: tileX + tileWidth / 2,
                y: captionY + textHeight + 4, scale: 1,
                color: ReportPalette.mutedText)
        }
    }
    return canvas
}

/// The last characters of a name that is too long, after "..": the end of a file name tells files apart.
func keepingEnd(_ text: String, characters: Int) -> String {
    guard text.count > characters else { return text }
    return ".." + String(text.suffix(max(0, characters - 2)))
}

/// `0.873` → `"87%"`; whole percent is enough under a thumbnail, but never rounds a mistake up to 100 %.
func confidencePercent(_ confidence: Float) -> String {
    let value = Double(min(1, max(0, confidence.isNaN ? 0 : confidence))) * 100
    let whole = value >= 99.5 && value < 100 ? 99 : Int(value.rounded())
    return "\(whole)%"
}
