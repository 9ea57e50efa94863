extension TrainingHistory {
    /// The curves as inline SVG for the HTML reports, one `<svg>` per panel; every point carries a
    /// `<title>` with its exact value, shown by the browser on hover. Text is in the page's font.
    func curvesSVG() -> HTMLNode {
        h("div", ["class": "curves"], children: panels.map(svg))
    }

    private func svg(_ panel: CurvePanel) -> HTMLNode {
        let width = 460.0, height = 300.0
        let (left, right, top, bottom) = (56.0, 12.0, 34.0, 40.0)
        let plotWidth = width - left - right, plotHeight = height - top - bottom
        func x(_ epoch: Int) -> Double { left + panel.x(epoch) * plotWidth }
        func y(_ value: Double) -> Double { top + plotHeight - panel.axis.fraction(value) * plotHeight }
        var children: [HTMLNode] = [h("title", [:], .text(panel.title + " per epoch"))]
        children.append(h("text", ["x": "0", "y": "16", "class": "panel-title"], .text(panel.title)))
        var legendX = 120.0
        for series in panel.series {
            children.append(
                h("rect", ["x": number(legendX), "y": "8", "width": "14", "height": "4", "fill": series.colour.css]))
            children.append(h("text", ["x": number(legendX + 18), "y": "14", "class": "legend"], .text(series.name)))
            legendX += 30 + Double(series.name.count) * 7
        }
        for tick in panel.axis.ticks {
            children.append(
                h(
                    "line",
                    ["x1": number(left), "x2": number(left + plotWidth), "y1": number(y(tick)), "y2": number(y(tick)), "class": "grid"]))
            children.append(
                h(
                    "text", ["x": number(left - 6), "y": number(y(tick) + 4), "class": "tick", "text-anchor": "end"],
                    .text(panel.axis.label(tick))))
        }
        for tick in panel.epochTicks {
            children.append(
                h(
                    "text", ["x": number(x(tick)), "y": number(top + plotHeight + 16), "class": "tick", "text-anchor": "middle"],
                    .text(String(tick))))
        }
        children.append(
            h(
                "text", ["x": number(left + plotWidth / 2), "y": number(height - 6), "class": "axis-label", "text-anchor": "middle"],
                .text("epoch")))
        children.append(
            h(
                "path",
                ["d": "M\(number(left)) \(number(top))V\(number(top + plotHeight))H\(number(left + plotWidth))", "class": "frame"]))
        if let bestEpoch, (1...panel.lastEpoch).contains(bestEpoch) {
            children.append(
                h(
                    "line",
                    [
                        "x1": number(x(bestEpoch)), "x2": number(x(bestEpoch)), "y1": number(top), "y2": number(top + plotHeight),
                        "class": "best", "stroke-dasharray": "3 3"
                    ], h("title", [:], .text("epoch \(bestEpoch): the model kept (best on validation)"))))
            children.append(
                h(
                    "text", ["x": number(x(bestEpoch)), "y": number(top - 4), "class": "tick", "text-anchor": "middle"],
                    .text("best")))
        }
        for series in panel.series {
            let points = series.points.map { "\(number(x($0.epoch))),\(number(y($0.value)))" }.joined(separator: " ")
            children.append(
                h(
                    "polyline",
                    [
                        "points": points, "fill": "none", "stroke": series.colour.css, "stroke-width": "2",
                        "class": "curve-\(series.colour.rawValue)"
                    ]))
            for point in series.points {
                let value = panel.axis.percent ? percentText(point.value) : decimalText(point.value)
                children.append(
                    h(
                        "circle", ["cx": number(x(point.epoch)), "cy": number(y(point.value)), "r": "3", "fill": series.colour.css],
                        h("title", [:], .text("epoch \(point.epoch): \(series.name) \(value)"))))
            }
        }
        return h(
            "svg",
            [
                "xmlns": "http://www.w3.org/2000/svg", "viewBox": "0 0 \(Int(width)) \(Int(height))", "width": String(Int(width)),
                "height": String(Int(height)), "role": "img", "aria-label": panel.title + " per epoch"
            ], children: children)
    }
}

/// A coordinate with at most one decimal: enough for a picture, short in the file.
private func number(_ value: Double) -> String {
    let tenths = Int((value * 10).rounded())
    return tenths % 10 == 0 ? String(tenths / 10) : decimalText(Double(tenths) / 10, decimals: 1)
}
