import DigitsData

/// A way to cut a mark of touching digits in two, along a path from its top row to its bottom row.
public struct Cut: Sendable, Equatable {
    public var left: Mark
    public var right: Mark
    /// Ink pixels the path runs through: a cut between two touching digits crosses only the
    /// stroke where they touch.
    public var crossing: Int
}

extension Mark {
    /// Candidate cuts, fewest ink pixels crossed first, at most `limit`, no two alike.
    ///
    /// Each candidate is a path from the top row to the bottom row that moves at most one column
    /// per row — a "seam" that can follow the slanted gap between two leaning digits, where a
    /// straight vertical cut would slice the end off one of them. It is anchored at one end (top
    /// or bottom) to a column of the middle 70 % of the box and runs from there along the fewest
    /// ink pixels, staying within `reach` columns of its anchor. Pixels left of the path go left,
    /// the rest right. Cuts leaving a side narrower than `minimumWidth` or with less than a tenth
    /// of the ink are not candidates.
    public func cuts(reach: Int, minimumWidth: Int, limit: Int) -> [Cut] {
        let width = box.width
        guard width >= 2 * minimumWidth, width >= 4 else { return [] }
        let low = max(1, (width * 3) / 20)
        let high = min(width - 1, width - (width * 3) / 20)
        guard low < high else { return [] }
        let step = max(1, (high - low) / 12)

        var seen = Set<[Int]>()
        var cuts: [Cut] = []
        for anchor in stride(from: low, to: high, by: step) {
            for fromTop in [true, false] {
                let (path, crossing) = seam(anchoredAt: anchor, fromTop: fromTop, reach: reach)
                guard seen.insert(path).inserted else { continue }
                let (x0, y0) = (box.minX, box.minY)
                guard let left = restricted(to: { x, y in x - x0 < path[y - y0] }),
                    let right = restricted(to: { x, y in x - x0 >= path[y - y0] })
                else { continue }
                guard left.box.width >= minimumWidth, right.box.width >= minimumWidth,
                    10 * left.area >= area, 10 * right.area >= area,
                    !cuts.contains(where: { $0.left.area == left.area && $0.left.box == left.box })
                else { continue }
                cuts.append(Cut(left: left, right: right, crossing: crossing))
            }
        }
        cuts.sort { $0.crossing < $1.crossing || ($0.crossing == $1.crossing && $0.left.area < $1.left.area) }
        return Array(cuts.prefix(limit))
    }

    /// The cheapest path of column positions (per row, the first column of the right side) that
    /// starts at `anchor` on the top row (or ends there on the bottom row) and stays within
    /// `reach` of it, and the ink pixels it crosses. Dynamic programming over the rows:
    /// cost = ink pixels on the path + a small price for each sideways step, so that among
    /// equally clean paths the straight one wins.
    func seam(anchoredAt anchor: Int, fromTop: Bool, reach: Int) -> (path: [Int], crossing: Int) {
        let (width, height) = (box.width, box.height)
        let low = max(1, anchor - reach)
        let high = min(width - 1, anchor + reach)
        let span = high - low + 1
        let sideways: Float = 0.05
        // Rows in the order the path is built: from the anchored end.
        let rows = fromTop ? Array(0..<height) : Array((0..<height).reversed())
        var cost = [Float](repeating: .infinity, count: height * span)
        var from = [Int](repeating: 0, count: height * span)
        for (step, y) in rows.enumerated() {
            for i in 0..<span {
                let ink: Float = mask[y * width + low + i] ? 1 : 0
                guard step > 0 else {
                    if low + i == anchor { cost[step * span + i] = ink }
                    continue
                }
                var best = (cost: Float.infinity, index: i)
                for j in max(0, i - 1)...min(span - 1, i + 1) {
                    let candidate = cost[(step - 1) * span + j] + (j == i ? 0 : sideways)
                    if candidate < best.cost { best = (candidate, j) }
                }
                cost[step * span + i] = ink + best.cost
                from[step * span + i] = best.index
            }
        }
        let last = height - 1
        var index = (0..<span).min { cost[last * span + $0] < cost[last * span + $1] } ?? 0
        var path = [Int](repeating: 0, count: height)
        var crossing = 0
        for step in stride(from: last, through: 0, by: -1) {
            let y = rows[step]
            path[y] = low + index
            if mask[y * width + low + index] { crossing += 1 }
            index = from[step * span + index]
        }
        return (path, crossing)
    }
}

extension Mark {
    /// The typical stroke thickness in pixels: the median length of the horizontal runs of ink
    /// (a vertical stroke's run is its thickness; a horizontal stroke gives few long runs, which
    /// the median ignores). At least 1.
    var strokeWidth: Float {
        var runs: [Int] = []
        for y in 0..<box.height {
            var run = 0
            for x in 0..<box.width {
                if mask[y * box.width + x] {
                    run += 1
                } else if run > 0 {
                    runs.append(run)
                    run = 0
                }
            }
            if run > 0 { runs.append(run) }
        }
        guard !runs.isEmpty else { return 1 }
        runs.sort()
        return Float(max(1, runs[runs.count / 2]))
    }
}
