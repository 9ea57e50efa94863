import Foundation
import Testing
@testable import DigitsEvaluation

private func countPixels(_ canvas: RGBCanvas, equalTo color: RGBColor) -> Int {
    var total = 0
    for y in 0..<canvas.height { for x in 0..<canvas.width where canvas.pixel(x: x, y: y) == color { total += 1 } }
    return total
}

@Test func glyphPixelsLandWhereTheFontSays() {
    // "1" is  ..#.. / .##.. / ..#.. / ..#.. / ..#.. / ..#.. / .###.
    var canvas = RGBCanvas(width: 12, height: 14)
    canvas.drawText("1", x: 0, y: 0, scale: 1)
    #expect(canvas.pixel(x: 2, y: 0) == .black)
    #expect(canvas.pixel(x: 0, y: 0) == .white)
    #expect(canvas.pixel(x: 1, y: 1) == .black && canvas.pixel(x: 3, y: 1) == .white)
    #expect((1...3).allSatisfy { canvas.pixel(x: $0, y: 6) == .black })
    #expect(countPixels(canvas, equalTo: .black) == 10)  // 1 + 2 + 1 + 1 + 1 + 1 + 3

    var doubled = RGBCanvas(width: 12, height: 14)
    doubled.drawText("1", x: 0, y: 0, scale: 2)
    #expect(countPixels(doubled, equalTo: .black) == 40)  // every pixel becomes 2 × 2
    #expect(doubled.pixel(x: 4, y: 0) == .black && doubled.pixel(x: 5, y: 1) == .black && doubled.pixel(x: 3, y: 0) == .white)
}

@Test func fontFoldsCaseAndDrawsUnknownCharactersAsQuestionMarks() {
    #expect(BitmapFont.glyph("A") == BitmapFont.glyph("a"))
    #expect(BitmapFont.glyph("€") == BitmapFont.glyph("?"))
    #expect(BitmapFont.glyph("7") != BitmapFont.glyph("?"))
    #expect(BitmapFont.width(of: "4→9", scale: 2) == 34)  // (3 · 6 − 1) · 2
    // Every glyph has seven rows of at most five columns.
    for character in "0123456789abcdefghijklmnopqrstuvwxyz .,:;%()-=/#>→?" {
        let rows = BitmapFont.glyph(character)
        #expect(rows.count == BitmapFont.glyphHeight && rows.allSatisfy { $0 < 32 }, "glyph \(character)")
    }
}

@Test func drawingOutsideTheCanvasIsClipped() {
    var canvas = RGBCanvas(width: 4, height: 3, background: .black)
    canvas.fillRect(x: -2, y: 2, width: 10, height: 10, color: .white)
    #expect(canvas.pixel(x: 0, y: 1) == .black)
    #expect(canvas.pixel(x: 3, y: 2) == .white)
    #expect(countPixels(canvas, equalTo: .white) == 4)  // only the bottom row
    #expect(canvas.pixel(x: 4, y: 0) == nil && canvas.pixel(x: 0, y: -1) == nil)
    #expect(canvas.pixels.count == 4 * 3 * 3)
}

@Test func greyImagesAreScaledBlocksWithInkDark() {
    var canvas = RGBCanvas(width: 10, height: 10)
    canvas.drawGrayImage([1, 0, 0.5, 0], side: 2, x: 1, y: 1, scale: 3)
    #expect(canvas.pixel(x: 1, y: 1) == .black && canvas.pixel(x: 3, y: 3) == .black)  // ink 1 → black, 3 × 3
    #expect(canvas.pixel(x: 4, y: 1) == .white)  // ink 0 → white
    #expect(canvas.pixel(x: 1, y: 4) == RGBColor(128, 128, 128))  // 255 · (1 − 0.5) rounded
    #expect(canvas.pixel(x: 0, y: 0) == .white)
}

@Test func heatmapCellsAreColouredByShareOfTheirRow() throws {
    // Row 0: 990 right, 1 and 9 wrong; row 1: 5 right, 5 wrong; row 2 empty.
    var matrix = ConfusionMatrix(classes: 3)
    for (truth, predicted, times) in [(0, 0, 990), (0, 1, 1), (0, 2, 9), (1, 1, 5), (1, 0, 5)] {
        for _ in 0..<times { try matrix.add(truth: truth, predicted: predicted) }
    }
    let rare = matrix.heatmapColor(truth: 0, predicted: 1)  // 0.1 % of row 0
    let common = matrix.heatmapColor(truth: 0, predicted: 2)  // 0.9 %
    let half = matrix.heatmapColor(truth: 1, predicted: 0)  // 50 %: past the 10 % where red is full
    #expect(matrix.heatmapColor(truth: 0, predicted: 0).blue > matrix.heatmapColor(truth: 0, predicted: 0).red)
    #expect(rare.red > rare.blue && rare != .white)
    #expect(rare.luminance > common.luminance && common.luminance > half.luminance)
    #expect(half == ReportPalette.mistakeDark)
    #expect(matrix.heatmapColor(truth: 2, predicted: 1) == .white)
    // The same share of a small row and a big row gets the same colour: row-normalised.
    #expect(
        matrix.heatmapColor(truth: 1, predicted: 1) == ReportPalette.correctLight.mixed(with: ReportPalette.correctDark, 0.5.squareRoot()))

    let canvas = matrix.heatmap()
    let layout = HeatmapLayout(matrix: matrix)
    #expect(layout.cell >= 40)
    // Corners of cells (inside the grid line, away from the centred count) show the fill.
    #expect(canvas.pixel(x: layout.gridX + 2, y: layout.gridY + 2) == matrix.heatmapColor(truth: 0, predicted: 0))
    #expect(canvas.pixel(x: layout.gridX + layout.cell + 2, y: layout.gridY + 2) == rare)
    #expect(canvas.pixel(x: layout.gridX + 2, y: layout.gridY + layout.cell + 2) == half)
    // The count "990" is printed in white on the dark diagonal cell.
    var whiteInCell = 0
    for y in layout.gridY..<(layout.gridY + layout.cell) {
        for x in layout.gridX..<(layout.gridX + layout.cell) where canvas.pixel(x: x, y: y) == .white { whiteInCell += 1 }
    }
    #expect(whiteInCell > 30)
}

@Test func galleryShowsTheMostConfidentMistakesFirst() throws {
    let ink = [Float](repeating: 1, count: 256), blank = [Float](repeating: 0, count: 256)
    let unsure = Misclassification(pixels: blank, truth: 4, predicted: 9, confidence: 0.3)
    let sure = Misclassification(pixels: ink, truth: 7, predicted: 1, confidence: 0.9, source: "b.png")
    // Only the image pixels are pure black (text is dark grey), so counting black finds the images.
    for order in [[unsure, sure], [sure, unsure]] {
        let canvas = try misclassifiedGallery(order, limit: 1)
        #expect(countPixels(canvas, equalTo: .black) == 64 * 64)  // 16 × 16 at 4×
    }
    let both = try misclassifiedGallery([unsure, sure])
    #expect(countPixels(both, equalTo: .black) == 64 * 64)
    #expect(try misclassifiedGallery([]).width > 0)

    #expect(throws: EvaluationError.imageNotSquare(pixelCount: 255)) {
        try misclassifiedGallery([Misclassification(pixels: [Float](repeating: 0, count: 255), truth: 1, predicted: 2, confidence: 0.5)])
    }
}

@Test func longSourceNamesKeepTheirEnd() {
    #expect(keepingEnd("t10k #12", characters: 14) == "t10k #12")
    #expect(keepingEnd("a-very-long-file-name-3.png", characters: 14) == "..e-name-3.png")  // ".." + the last 12
}

@Test func heatmapIsWideEnoughForItsText() throws {
    let small = try ConfusionMatrix(labels: [0, 1], predictions: [0, 1], classes: 2)
    #expect(small.heatmap().width >= 20 + BitmapFont.width(of: HeatmapLayout.shadeNote, scale: 2) + 20)
}

@Test func confidenceCaptionsNeverRoundAMistakeUpToCertainty() {
    #expect(confidencePercent(0.873) == "87%")
    #expect(confidencePercent(0.998) == "99%")
    #expect(confidencePercent(1) == "100%")
    #expect(confidencePercent(.nan) == "0%")
}
