import DigitsData

extension Mark {
    /// Candidate cuts that peel a straight bar (a "1") off the mark's left or right edge.
    ///
    /// A 1 pushed against its neighbour often touches it along much of its length (a 1 against a
    /// 3's cusps, beside a 6's back, inside a 2's tail): every seam between them runs through ink
    /// for many rows, so the seams, cheapest first, never reach it, and no small disc parts them.
    /// The bar is found from the mark's outline instead: the outermost ink column of each row lies
    /// on one straight line for at least `minimumHeight` rows (within half a stroke, the bar leaning
    /// by at most `maximumSlant` columns per row). The cut runs parallel to that line, `thickness`
    /// strokes inside the outline: the bar's side takes the pixels outside the cut, the rest the
    /// others. Each side keeps a tenth of the ink; `crossing` is one stroke (the cut runs along the
    /// strokes where the two touch, not across the neighbour).
    public func barCuts(minimumHeight: Int, thicknesses: [Float] = [1.0, 1.5], maximumSlant: Float = 0.45) -> [(cut: Cut, barOnLeft: Bool)]
    {
        let (width, height) = (box.width, box.height)
        guard width >= 4, height >= max(4, minimumHeight) else { return [] }
        let stroke = strokeWidth
        var cuts: [(cut: Cut, barOnLeft: Bool)] = []
        for fromLeft in [true, false] {
            // The outermost ink column of each row, counted inwards from that edge.
            let columns = fromLeft ? Array(0..<width) : Array((0..<width).reversed())
            let outline: [Int?] = (0..<height).map { y in columns.firstIndex { mask[y * width + $0] } }
            guard let line = straightestLine(through: outline, tolerance: max(1, stroke / 2), maximumSlant: maximumSlant),
                line.inliers >= minimumHeight
            else { continue }
            for thickness in thicknesses {
                // Inward distance of the cut from the edge at row y; a pixel nearer the edge is the bar's.
                let depth = { (y: Int) -> Float in line.at(y) + thickness * stroke }
                let (x0, y0) = (box.minX, box.minY)
                let inBar = { (x: Int, y: Int) -> Bool in
                    let inward = fromLeft ? x - x0 : width - 1 - (x - x0)
                    return Float(inward) < depth(y - y0)
                }
                guard let bar = restricted(to: inBar), let rest = restricted(to: { !inBar($0, $1) }),
                    10 * bar.area >= area, 10 * rest.area >= area
                else { continue }
                let (left, right) = fromLeft ? (bar, rest) : (rest, bar)
                guard !cuts.contains(where: { $0.cut.left.area == left.area && $0.cut.left.box == left.box }) else { continue }
                cuts.append((Cut(left: left, right: right, crossing: Int(stroke.rounded())), fromLeft))
            }
        }
        return cuts
    }

    /// The line x = a + b·y through the most rows of `outline` (within `tolerance`), |b| at most
    /// `maximumSlant`: tried through every pair of a row in the top third and one in the bottom
    /// third (a bar spans the line's height; pairs of nearby rows fit a slope badly).
    private func straightestLine(through outline: [Int?], tolerance: Float, maximumSlant: Float)
        -> (at: (Int) -> Float, inliers: Int)?
    {
        let height = outline.count
        let top = (0..<(height / 3)).filter { outline[$0] != nil }
        let bottom = ((2 * height) / 3..<height).filter { outline[$0] != nil }
        let step = max(1, height / 24)
        var best: (a: Float, b: Float, inliers: Int)?
        for y1 in stride(from: 0, to: top.count, by: step).map({ top[$0] }) {
            for y2 in stride(from: 0, to: bottom.count, by: step).map({ bottom[$0] }) {
                guard let x1 = outline[y1], let x2 = outline[y2] else { continue }
                let b = Float(x2 - x1) / Float(y2 - y1)
                guard abs(b) <= maximumSlant else { continue }
                let a = Float(x1) - b * Float(y1)
                var inliers = 0
                for (y, x) in outline.enumerated() {
                    if let x, abs(Float(x) - (a + b * Float(y))) <= tolerance { inliers += 1 }
                }
                if inliers > best?.inliers ?? 0 { best = (a, b, inliers) }
            }
        }
        guard let best else { return nil }
        return ({ y in best.a + best.b * Float(y) }, best.inliers)
    }
}
