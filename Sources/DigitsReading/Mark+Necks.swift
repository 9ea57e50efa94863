import DigitsData

extension Mark {
    /// Candidate cuts at a neck: a small disc of ink whose removal leaves the mark in two tall
    /// pieces, fewest ink pixels removed first, at most `limit`, no two alike.
    ///
    /// Two digits pushed together touch where one's stroke meets the other's, often not beside it
    /// but above or below it (a 7's stem resting on a 3's lower arc, a 1 leaning into a 6's loop):
    /// no top-to-bottom seam separates those without slicing the end off one of them. Here the
    /// sides are the mark's connected pieces once the disc is out, each taking the pixels it reaches
    /// first (the disc, and small bits cut loose), so a stroke goes whole to the digit it belongs to,
    /// wherever its columns are. Discs of radius `radius` are centred on ink pixels every `step`
    /// pixels of the middle 70 % of the columns; both pieces must be at least `minimumHeight` tall
    /// and hold a tenth of the ink.
    public func neckCuts(radius: Int, step: Int, minimumHeight: Int, limit: Int) -> [Cut] {
        let (width, height) = (box.width, box.height)
        guard width >= 4, height >= 4, radius >= 1, limit > 0 else { return [] }
        let low = (width * 3) / 20
        let high = width - (width * 3) / 20
        let step = max(1, step)
        var removed = [Bool](repeating: false, count: width * height)
        var labels = [Int32](repeating: -1, count: width * height)
        var stack: [Int] = []
        var found: [(cut: Cut, removed: Int)] = []
        var seen = Set<[Int]>()
        for cy in stride(from: 0, to: height, by: step) {
            for cx in stride(from: low, to: high, by: step) where mask[cy * width + cx] {
                // The disc.
                var removedCount = 0
                for y in max(0, cy - radius)...min(height - 1, cy + radius) {
                    for x in max(0, cx - radius)...min(width - 1, cx + radius) {
                        let index = y * width + x
                        let inside = (x - cx) * (x - cx) + (y - cy) * (y - cy) <= radius * radius
                        removed[index] = inside && mask[index]
                        if removed[index] { removedCount += 1 }
                    }
                }
                defer {
                    for y in max(0, cy - radius)...min(height - 1, cy + radius) {
                        for x in max(0, cx - radius)...min(width - 1, cx + radius) { removed[y * width + x] = false }
                    }
                }
                // The pieces left, 8-connected.
                for index in labels.indices { labels[index] = -1 }
                var pieces: [(area: Int, minY: Int, maxY: Int)] = []
                for start in 0..<(width * height) where mask[start] && !removed[start] && labels[start] < 0 {
                    let label = Int32(pieces.count)
                    var piece = (area: 0, minY: start / width, maxY: start / width)
                    labels[start] = label
                    stack.append(start)
                    while let index = stack.popLast() {
                        piece.area += 1
                        let (x, y) = (index % width, index / width)
                        piece.minY = min(piece.minY, y)
                        piece.maxY = max(piece.maxY, y)
                        for ny in max(0, y - 1)...min(height - 1, y + 1) {
                            for nx in max(0, x - 1)...min(width - 1, x + 1) {
                                let next = ny * width + nx
                                if mask[next] && !removed[next] && labels[next] < 0 {
                                    labels[next] = label
                                    stack.append(next)
                                }
                            }
                        }
                    }
                    pieces.append(piece)
                }
                let big = pieces.indices.filter {
                    pieces[$0].maxY - pieces[$0].minY + 1 >= minimumHeight && 10 * pieces[$0].area >= area
                }
                guard big.count == 2 else { continue }
                guard let sides = grown(labels: labels, from: Int32(big[0]), and: Int32(big[1])) else { continue }
                guard seen.insert(sides.key).inserted else { continue }
                // As a seam counts it: a disc across one stroke removes about 2·radius of its length.
                var cut = sides.cut
                cut.crossing = (removedCount + radius) / (2 * radius)
                found.append((cut, removedCount))
            }
        }
        found.sort { $0.removed < $1.removed || ($0.removed == $1.removed && $0.cut.left.area < $1.cut.left.area) }
        return found.prefix(limit).map { $0.cut }
    }

    /// The mark split between pieces `a` and `b` of `labels`: every other pixel goes to the piece
    /// that reaches it first through the mark (8-connected, breadth first), a pixel neither reaches
    /// to the nearer piece by column. The left side is the one whose mean column is smaller. Nil
    /// when a side would be empty.
    private func grown(labels: [Int32], from a: Int32, and b: Int32) -> (cut: Cut, key: [Int])? {
        let (width, height) = (box.width, box.height)
        var side = [Int8](repeating: -1, count: width * height)
        var queue: [Int] = []
        var sumX: [Int] = [0, 0]
        var count: [Int] = [0, 0]
        for index in labels.indices where labels[index] == a || labels[index] == b {
            let s: Int8 = labels[index] == a ? 0 : 1
            side[index] = s
            queue.append(index)
            sumX[Int(s)] += index % width
            count[Int(s)] += 1
        }
        guard count[0] > 0, count[1] > 0 else { return nil }
        var head = 0
        while head < queue.count {
            let index = queue[head]
            head += 1
            let (x, y) = (index % width, index / width)
            for ny in max(0, y - 1)...min(height - 1, y + 1) {
                for nx in max(0, x - 1)...min(width - 1, x + 1) {
                    let next = ny * width + nx
                    if mask[next] && side[next] < 0 {
                        side[next] = side[index]
                        queue.append(next)
                    }
                }
            }
        }
        let centre0 = Float(sumX[0]) / Float(count[0])
        let centre1 = Float(sumX[1]) / Float(count[1])
        for index in mask.indices where mask[index] && side[index] < 0 {
            let x = Float(index % width)
            side[index] = abs(x - centre0) <= abs(x - centre1) ? 0 : 1
        }
        let leftSide: Int8 = centre0 <= centre1 ? 0 : 1
        let (x0, y0) = (box.minX, box.minY)
        guard let left = restricted(to: { x, y in side[(y - y0) * width + x - x0] == leftSide }),
            let right = restricted(to: { x, y in side[(y - y0) * width + x - x0] != leftSide })
        else { return nil }
        let key = side.indices.filter { side[$0] == leftSide }
        return (Cut(left: left, right: right, crossing: 0), key)
    }
}
