extension TrainingHistory {
    /// The curves as a picture for people without a browser: training loss on the left, training
    /// and validation accuracy on the right, each with labelled axes (epoch along x).
    public func curvesPicture() -> RGBCanvas {
        let scale = 2, margin = 20, textHeight = BitmapFont.glyphHeight * scale
        let panelWidth = 460, plotHeight = 260
        let tickLabelWidth = BitmapFont.width(of: "100.0%", scale: scale)
        let plotWidth = panelWidth - tickLabelWidth - 20
        let title = "training curves, per epoch"
        let top = margin + textHeight + 16
        let plotTop = top + textHeight + 10 + textHeight + 12
        let height = plotTop + plotHeight + 10 + textHeight + 8 + textHeight + margin
        let panels = self.panels
        var canvas = RGBCanvas(width: 2 * margin + panels.count * panelWidth + (panels.count - 1) * 20, height: height)
        canvas.drawText(title, x: margin, y: margin, scale: scale, color: ReportPalette.text)

        for (index, panel) in panels.enumerated() {
            let panelX = margin + index * (panelWidth + 20)
            let plotX = panelX + tickLabelWidth + 10
            canvas.drawText(panel.title, x: panelX, y: top, scale: scale, color: ReportPalette.text)
            // Legend under the panel's title, in the curves' colours.
            var legendX = panelX
            for series in panel.series {
                canvas.fillRect(x: legendX, y: top + textHeight + 10 + 4, width: 16, height: 4, color: series.colour.rgb)
                canvas.drawText(series.name, x: legendX + 22, y: top + textHeight + 10, scale: scale, color: ReportPalette.mutedText)
                legendX += 22 + BitmapFont.width(of: series.name, scale: scale) + 20
            }
            func px(_ epoch: Int) -> Int { plotX + Int((panel.x(epoch) * Double(plotWidth)).rounded()) }
            func py(_ value: Double) -> Int { plotTop + plotHeight - Int((panel.axis.fraction(value) * Double(plotHeight)).rounded()) }
            for tick in panel.axis.ticks {
                let y = py(tick)
                canvas.fillRect(x: plotX, y: y, width: plotWidth + 1, height: 1, color: ReportPalette.grid)
                let label = panel.axis.label(tick)
                canvas.drawText(
                    label, x: plotX - 8 - BitmapFont.width(of: label, scale: scale), y: y - textHeight / 2, scale: scale,
                    color: ReportPalette.mutedText)
            }
            for tick in panel.epochTicks {
                let x = px(tick)
                canvas.fillRect(x: x, y: plotTop + plotHeight, width: 1, height: 5, color: ReportPalette.frame)
                canvas.drawText(String(tick), centreX: x, y: plotTop + plotHeight + 10, scale: scale, color: ReportPalette.mutedText)
            }
            canvas.fillRect(x: plotX, y: plotTop, width: 1, height: plotHeight + 1, color: ReportPalette.frame)
            canvas.fillRect(x: plotX, y: plotTop + plotHeight, width: plotWidth + 1, height: 1, color: ReportPalette.frame)
            canvas.drawText(
                "epoch", centreX: plotX + plotWidth / 2, y: plotTop + plotHeight + 10 + textHeight + 8, scale: scale,
                color: ReportPalette.text)
            if let bestEpoch, (1...panel.lastEpoch).contains(bestEpoch) {
                // A dotted line at the kept epoch: the model is this epoch's, not the last one's.
                for y in stride(from: plotTop, to: plotTop + plotHeight, by: 6) {
                    canvas.fillRect(x: px(bestEpoch), y: y, width: 1, height: 3, color: ReportPalette.mutedText)
                }
                // Labelled inside the plot, beside the line's top (the legend is above the plot), on
                // the left of the line when it is near the right edge.
                let labelWidth = BitmapFont.width(of: "best", scale: scale)
                let labelX = px(bestEpoch) + 4 + labelWidth > plotX + plotWidth ? px(bestEpoch) - 4 - labelWidth : px(bestEpoch) + 4
                canvas.drawText("best", x: labelX, y: plotTop + 4, scale: scale, color: ReportPalette.mutedText)
            }
            for series in panel.series {
                let points = series.points.map { (px($0.epoch), py($0.value)) }
                for (from, to) in zip(points, points.dropFirst()) {
                    canvas.drawLine(x0: from.0, y0: from.1, x1: to.0, y1: to.1, color: series.colour.rgb)
                }
                // A dot per epoch, so a one-epoch run still shows its values.
                for point in points { canvas.fillRect(x: point.0 - 2, y: point.1 - 2, width: 5, height: 5, color: series.colour.rgb) }
            }
        }
        return canvas
    }
}
