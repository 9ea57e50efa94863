extension ConfusionMatrix {
    /// Grouped bars of precision and recall for every class.
    ///
    /// A good model scores 0.95–1 everywhere, where bars from 0 would all look the same, so the
    /// value axis starts at the lowest score rounded down to a tenth (0 if anything is under 0.5)
    /// and says so in the title and the tick labels.
    public func perClassChart() -> RGBCanvas {
        let scale = 2, margin = 20, textHeight = BitmapFont.glyphHeight * scale
        let barWidth = 16, barGap = 3, groupGap = 18
        let groupWidth = 2 * barWidth + barGap + groupGap
        let plotHeight = 280
        let lowest = perClass.flatMap { [$0.precision, $0.recall] }.min() ?? 1
        let axisStart = lowest < 0.5 ? 0 : min(0.9, (lowest * 10).rounded(.down) / 10)

        let tickLabelWidth = BitmapFont.width(of: "0.00", scale: scale)
        let plotX = margin + tickLabelWidth + 10
        let plotY = margin + 2 * textHeight + 8 + 24
        let plotWidth = classes * groupWidth + groupGap / 2
        let title = "precision and recall per digit"
        let subtitle = "axis from \(decimalText(axisStart, decimals: 2)) to 1"
        let width = max(plotX + plotWidth, margin + BitmapFont.width(of: title, scale: scale)) + margin
        let height = plotY + plotHeight + 10 + textHeight + 20 + textHeight + margin
        var canvas = RGBCanvas(width: width, height: height)
        canvas.drawText(title, x: margin, y: margin, scale: scale, color: ReportPalette.text)
        canvas.drawText(subtitle, x: margin, y: margin + textHeight + 8, scale: scale, color: ReportPalette.mutedText)

        func y(of value: Double) -> Int {
            let fraction = (min(1, max(axisStart, value)) - axisStart) / (1 - axisStart)
            return plotY + plotHeight - Int((fraction * Double(plotHeight)).rounded())
        }
        let ticks = 5
        for tick in 0...ticks {
            let value = axisStart + (1 - axisStart) * Double(tick) / Double(ticks)
            let tickY = y(of: value)
            canvas.fillRect(x: plotX, y: tickY, width: plotWidth, height: 1, color: ReportPalette.grid)
            let label = decimalText(value, decimals: 2)
            canvas.drawText(
                label, x: plotX - 8 - BitmapFont.width(of: label, scale: scale), y: tickY - textHeight / 2,
                scale: scale, color: ReportPalette.mutedText)
        }

        let series = [(ReportPalette.correctDark, "precision"), (RGBColor(230, 120, 20), "recall")]
        for metrics in perClass {
            let groupX = plotX + groupGap / 2 + metrics.digit * groupWidth
            for (index, value) in [metrics.precision, metrics.recall].enumerated() {
                let top = y(of: value)
                canvas.fillRect(
                    x: groupX + index * (barWidth + barGap), y: top, width: barWidth,
                    height: plotY + plotHeight - top, color: series[index].0)
            }
            canvas.drawText(
                String(metrics.digit), centreX: groupX + barWidth + barGap / 2, y: plotY + plotHeight + 10,
                scale: scale, color: ReportPalette.text)
        }
        canvas.fillRect(x: plotX, y: plotY + plotHeight, width: plotWidth, height: 1, color: ReportPalette.frame)

        var legendX = plotX
        let legendY = plotY + plotHeight + 10 + textHeight + 20
        for (color, label) in series {
            canvas.fillRect(x: legendX, y: legendY, width: textHeight, height: textHeight, color: color)
            canvas.drawText(label, x: legendX + textHeight + 6, y: legendY, scale: scale, color: ReportPalette.text)
            legendX += textHeight + 6 + BitmapFont.width(of: label, scale: scale) + 24
        }
        return canvas
    }
}
