extension ConfusionMatrix {
    /// The colour of a cell, from the cell's share of its row (the true class), so every class's
    /// mistakes show whatever its size. Correct answers are blue, mistakes red, empty cells white.
    /// Mistakes are rare, so their shade follows the square root of the share and is full at a
    /// tenth of the row: 1 of 1000 is faint, 12 of 1000 clearly tinted, 5 % strong.
    func heatmapColor(truth: Int, predicted: Int) -> RGBColor {
        let value = self[truth: truth, predicted: predicted]
        guard value > 0 else { return ReportPalette.emptyCell }
        let share = Double(value) / Double(max(1, support(truth)))
        if truth == predicted {
            return ReportPalette.correctLight.mixed(with: ReportPalette.correctDark, share.squareRoot())
        }
        return ReportPalette.mistakeLight.mixed(with: ReportPalette.mistakeDark, min(1, share / 0.1).squareRoot())
    }

    /// A heatmap of the matrix with the count printed in every cell, the classes along both
    /// axes ("true" down the left, "predicted" across the top) and each row's total on the right.
    public func heatmap() -> RGBCanvas {
        let layout = HeatmapLayout(matrix: self)
        var canvas = RGBCanvas(width: layout.width, height: layout.height)
        let textHeight = BitmapFont.glyphHeight * layout.scale

        canvas.drawText("confusion matrix", x: layout.margin, y: layout.margin, scale: layout.scale, color: ReportPalette.text)
        canvas.drawText(
            "accuracy \(percentText(accuracy)) of \(count)", x: layout.margin, y: layout.margin + textHeight + 8,
            scale: layout.scale, color: ReportPalette.mutedText)

        // Axis titles: "predicted" centred over the columns, "true" stacked letter by letter down the left.
        canvas.drawText(
            "predicted", centreX: layout.gridX + layout.gridSide / 2, y: layout.axisTitleY,
            scale: layout.scale, color: ReportPalette.text)
        let trueLetters = Array("true")
        let stackHeight = trueLetters.count * (textHeight + 4) - 4
        for (i, letter) in trueLetters.enumerated() {
            canvas.drawText(
                String(letter), centreX: layout.margin + BitmapFont.glyphWidth * layout.scale / 2,
                y: layout.gridY + (layout.gridSide - stackHeight) / 2 + i * (textHeight + 4),
                scale: layout.scale, color: ReportPalette.text)
        }
        canvas.drawText("n", centreX: layout.totalsCentreX, y: layout.columnLabelY, scale: layout.scale, color: ReportPalette.mutedText)

        for index in 0..<classes {
            let cellCentre = layout.cellOrigin(index) + layout.cell / 2
            canvas.drawText(String(index), centreX: cellCentre, y: layout.columnLabelY, scale: layout.scale, color: ReportPalette.text)
            canvas.drawText(
                String(index), x: layout.rowLabelRight - BitmapFont.width(of: String(index), scale: layout.scale),
                y: layout.gridY + index * layout.cell + (layout.cell - textHeight) / 2,
                scale: layout.scale, color: ReportPalette.text)
            canvas.drawText(
                String(support(index)), centreX: layout.totalsCentreX,
                y: layout.gridY + index * layout.cell + (layout.cell - textHeight) / 2,
                scale: layout.scale, color: ReportPalette.mutedText)
        }

        for truth in 0..<classes {
            for predicted in 0..<classes {
                let x = layout.gridX + predicted * layout.cell, y = layout.gridY + truth * layout.cell
                let fill = heatmapColor(truth: truth, predicted: predicted)
                canvas.fillRect(x: x, y: y, width: layout.cell, height: layout.cell, color: fill)
                canvas.strokeRect(x: x, y: y, width: layout.cell + 1, height: layout.cell + 1, color: ReportPalette.grid)
                let value = self[truth: truth, predicted: predicted]
                canvas.drawText(
                    String(value), centreX: x + layout.cell / 2 + 1, y: y + (layout.cell - textHeight) / 2 + 1,
                    scale: layout.scale, color: value == 0 ? ReportPalette.faintText : ReportPalette.text(on: fill))
            }
        }
        canvas.strokeRect(
            x: layout.gridX - 1, y: layout.gridY - 1, width: layout.gridSide + 3, height: layout.gridSide + 3,
            color: ReportPalette.frame)

        // Legend: what the two colours and their shades mean.
        var legendX = layout.margin
        let legendY = layout.legendY
        for (color, label) in [(ReportPalette.correctDark, "correct"), (ReportPalette.mistakeDark, "mistaken")] {
            canvas.fillRect(x: legendX, y: legendY, width: textHeight, height: textHeight, color: color)
            canvas.drawText(label, x: legendX + textHeight + 6, y: legendY, scale: layout.scale, color: ReportPalette.text)
            legendX += textHeight + 6 + BitmapFont.width(of: label, scale: layout.scale) + 24
        }
        canvas.drawText(
            HeatmapLayout.shadeNote, x: layout.margin, y: legendY + textHeight + 10,
            scale: layout.scale, color: ReportPalette.mutedText)
        return canvas
    }
}

/// Where everything goes in the heatmap. Cells are square, at least 40 px, and wide enough
/// for the largest count at text scale 2.
struct HeatmapLayout {
    static let shadeNote = "shade = share of the true row"
    let scale = 2
    let margin = 20
    let cell: Int
    let gridX: Int
    let gridY: Int
    let gridSide: Int
    let axisTitleY: Int
    let columnLabelY: Int
    let rowLabelRight: Int
    let totalsCentreX: Int
    let legendY: Int
    let width: Int
    let height: Int

    init(matrix: ConfusionMatrix) {
        let textHeight = BitmapFont.glyphHeight * scale
        let widestCount = String(matrix.counts.max() ?? 0)
        cell = max(40, BitmapFont.width(of: widestCount, scale: scale) + 16)
        gridSide = cell * matrix.classes
        let labelWidth = BitmapFont.width(of: String(matrix.classes - 1), scale: scale)
        // left: margin, stacked "true", gap, row labels, gap, grid
        rowLabelRight = margin + BitmapFont.glyphWidth * scale + 16 + labelWidth
        gridX = rowLabelRight + 10
        axisTitleY = margin + 2 * textHeight + 8 + 20
        columnLabelY = axisTitleY + textHeight + 10
        gridY = columnLabelY + textHeight + 10
        let totalsWidth = BitmapFont.width(of: String(matrix.count), scale: scale)
        totalsCentreX = gridX + gridSide + 14 + totalsWidth / 2
        legendY = gridY + gridSide + 20
        // Wide enough for the grid with its totals, and for the longest line of text.
        let longestText = max(
            BitmapFont.width(of: "accuracy 100.00% of \(matrix.count)", scale: scale),
            BitmapFont.width(of: Self.shadeNote, scale: scale))
        width = max(gridX + gridSide + 14 + totalsWidth, margin + longestText) + margin
        height = legendY + 2 * textHeight + 10 + margin
    }

    func cellOrigin(_ index: Int) -> Int { gridX + index * cell }
}
