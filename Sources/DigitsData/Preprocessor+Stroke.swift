// Stroke-width normalisation (`PreprocessingSettings.strokeWidth`): between finding the ink and
// resampling it, a stroke too thin for its digit's size is redrawn with a wider round pen.
//
// Why: resampling averages areas. A 2-px pen stroke in a 200-px digit becomes 2 × 16/200 = 0.16
// of an output pixel, a faint grey ghost the network never saw in training (MNIST's strokes are
// about 2 output pixels: measured percentiles 10/50/90 of 1.7/2.2/2.9). Thickening *before*
// resampling keeps the stroke's shape and gives it the width the network knows.
//
// Steps, all at source resolution inside the ink's box:
//  a. the stroke's core: pixels above half the strongest ink in the box (m);
//  b. its width w (source pixels) from the distance transform: with d the Euclidean distance
//     from a core pixel's centre to the nearest non-core pixel centre (outside the box counts as
//     non-core), a stroke w pixels wide has d = 1, 2, …, w/2 on each side, so its mean is
//     (w/2 + 1)/2 and w ≈ 4·mean(d) − 2 (exact for even widths; ≥ 1);
//  c. the pen radius R that makes the scaled stroke `strokeWidth` (t) output pixels wide. For
//     fit-ink the box grows by 2R as well, so with L the box's longer side and T the target box:
//     (w + 2R)·T/(L + 2R) = t  ⇒  R = (t·L/T − w) / (2·(1 − t/T)); for resize-frame the scale s is
//     fixed (the smaller of 16/width, 16/height): R = (t/s − w)/2. R ≤ 0: the strokes are wide
//     enough and nothing changes (strokes are never thinned: eroding would break the thin parts
//     of a stroke of varying width);
//  d. every pixel within R + ½ of the core gets at least the pen's value m·clamp(R + ½ − d, 0, 1)
//     (d: distance to the nearest core pixel centre; a one-pixel anti-aliased edge), and the box
//     grows to hold the pen's pixels above `inkThreshold`·m.
// Distances are exact (Felzenszwalb & Huttenlocher's lower envelope of parabolas, one pass per
// axis), so `tools/preprocess_reference.py` reproduces them with brute-force numpy.

extension Preprocessor {
    /// Thickens the ink in place when its strokes are thinner than `target` output pixels, and
    /// returns the (possibly grown) box. Pixels outside the box are never read as core.
    func normaliseStroke(
        _ ink: UnsafeMutableBufferPointer<Float>, width: Int, height: Int,
        box: InkBox, target: Float, scratch: DistanceScratch = DistanceScratch()
    ) -> InkBox {
        let boxWidth = box.maxX - box.minX + 1
        let boxHeight = box.maxY - box.minY + 1
        var strongest: Float = 0
        for row in box.minY...box.maxY {
            for column in box.minX...box.maxX { strongest = max(strongest, ink[row * width + column]) }
        }
        guard strongest > 0 else { return box }
        let coreLevel = strongest / 2

        // a–b. Core and its mean inner distance, on the box padded by one pixel of background.
        let (paddedWidth, paddedHeight) = (boxWidth + 2, boxHeight + 2)
        var coreCount = 0
        scratch.setSites(count: paddedWidth * paddedHeight, to: true)
        // (The scratch's arrays through buffer pointers: an element access through the class
        // property checks exclusivity and uniqueness each time, which cost more than these loops.)
        scratch.sites.withUnsafeMutableBufferPointer { sites in
            for row in 0..<boxHeight {
                for column in 0..<boxWidth where ink[(box.minY + row) * width + box.minX + column] > coreLevel {
                    sites[(row + 1) * paddedWidth + column + 1] = false
                    coreCount += 1
                }
            }
        }
        guard coreCount > 0 else { return box }
        // c, early: a core pixel is at distance 1 from the background if a 4-neighbour is
        // background, else at least √2, so mean(d) ≥ 1 + (√2 − 1)·(interior share). When that bound
        // already makes the stroke wide enough (with a margin for rounding), the transform below
        // could only conclude R ≤ 0: skip it (most training digits stop here).
        if settings.framing == .fitInk {
            var interior = 0
            scratch.sites.withUnsafeBufferPointer { sites in
                for row in 1...boxHeight {
                    for column in 1...boxWidth where !sites[row * paddedWidth + column] {
                        let index = row * paddedWidth + column
                        if !sites[index - 1] && !sites[index + 1]
                            && !sites[index - paddedWidth] && !sites[index + paddedWidth]
                        {
                            interior += 1
                        }
                    }
                }
            }
            let interiorShare = Float(interior) / Float(coreCount)
            let lowestMean: Float = 1 + (Float(2).squareRoot() - 1) * interiorShare
            let lowestWidth: Float = 4 * lowestMean - 2
            let needed = target * Float(max(boxWidth, boxHeight)) / Float(settings.targetBoxSize)
            if lowestWidth >= needed + 0.01 { return box }
        }
        let isBackground = Array(scratch.sites[0..<(paddedWidth * paddedHeight)])
        let distanceSum = scratch.distanceSumOverNonSites(width: paddedWidth, height: paddedHeight)
        let strokeWidth = max(1, 4 * (distanceSum / Float(coreCount)) - 2)

        // c. The pen's radius.
        let radius: Float
        switch settings.framing {
        case .fitInk:
            let longer = Float(max(boxWidth, boxHeight))
            let box = Float(settings.targetBoxSize)
            radius = (target * longer / box - strokeWidth) / (2 * (1 - target / box))
        case .resizeFrame:
            let side = Float(PreprocessingSettings.frameSide)
            let scale = min(side / Float(width), side / Float(height))
            radius = (target / scale - strokeWidth) / 2
        }
        guard radius > 0 else { return box }

        // d. Redraw: distances to the core over the box widened by the pen's reach.
        let reach = Int((radius + 0.5).rounded(.up))
        let minX = max(0, box.minX - reach), maxX = min(width - 1, box.maxX + reach)
        let minY = max(0, box.minY - reach), maxY = min(height - 1, box.maxY + reach)
        let (regionWidth, regionHeight) = (maxX - minX + 1, maxY - minY + 1)
        scratch.setSites(count: regionWidth * regionHeight, to: false)
        scratch.sites.withUnsafeMutableBufferPointer { sites in
            for row in 0..<boxHeight {
                for column in 0..<boxWidth where !isBackground[(row + 1) * paddedWidth + column + 1] {
                    sites[(box.minY - minY + row) * regionWidth + box.minX - minX + column] = true
                }
            }
        }
        // Only distances under the pen's reach change a pixel (beyond it the pen is 0): each is exact
        // below (R + 1)², a margin over (R + ½)² that no rounding crosses, and at least that above.
        let reachSquared = Double(radius + 1) * Double(radius + 1)
        scratch.squaredDistances(below: reachSquared, width: regionWidth, height: regionHeight)
        let outer = scratch.squared
        var grown = box
        let boxLevel = settings.inkThreshold * strongest
        // (Through a buffer pointer, each row's starts computed once: the same indices.)
        outer.withUnsafeBufferPointer { outer in
            for row in 0..<regionHeight {
                let (outerRow, inkRow) = (row * regionWidth, (minY + row) * width + minX)
                for column in 0..<regionWidth {
                    let pen = strongest * min(1, max(0, radius + 0.5 - outer[outerRow + column].squareRoot()))
                    let index = inkRow + column
                    ink[index] = max(ink[index], pen)
                    if pen > boxLevel { grown.include(x: minX + column, y: minY + row) }
                }
            }
        }
        return grown
    }
}

/// Squared Euclidean distance from each pixel centre to the nearest site (`isSite` true), exact;
/// `Float.infinity` everywhere when there is no site.
func squaredDistances(toSitesIn isSite: [Bool], width: Int, height: Int) -> [Float] {
    let scratch = DistanceScratch()
    scratch.setSites(count: isSite.count, to: false)
    for index in isSite.indices { scratch.sites[index] = isSite[index] }
    scratch.transform(width: width, height: height)
    return Array(scratch.squared[0..<(width * height)])
}

/// The distance transform with its buffers, reused from image to image (a data set is processed
/// without allocating per image). Felzenszwalb & Huttenlocher (2012): the 1-D transform (lower
/// envelope of parabolas) down each column, then along each row.
final class DistanceScratch {
    /// Input: which pixels are sites (row-major, the first width·height entries).
    var sites: [Bool] = []
    /// Output of `transform`: squared distance to the nearest site.
    private(set) var squared: [Float] = []
    private var columnPass: [Double] = []
    // (line, result, vertices, bounds: the 1-D pass's buffers, as long as the longer side)
    private var line: [Double] = []
    private var result: [Double] = []
    private var vertices: [Int] = []
    private var bounds: [Double] = []

    func setSites(count: Int, to value: Bool) {
        if sites.count < count { sites = [Bool](repeating: value, count: count) }
        sites.withUnsafeMutableBufferPointer { sites in
            guard let base = sites.baseAddress else { return }
            base.update(repeating: value, count: count)
        }
    }

    func transform(width: Int, height: Int) {
        let far = Double.infinity
        let count = width * height
        let longest = max(width, height)
        if columnPass.count < count { columnPass = [Double](repeating: far, count: count) }
        if squared.count < count { squared = [Float](repeating: .infinity, count: count) }
        if line.count < longest {
            line = [Double](repeating: far, count: longest)
            result = [Double](repeating: far, count: longest)
            vertices = [Int](repeating: 0, count: longest)
            bounds = [Double](repeating: 0, count: longest + 1)
        }
        // Raw pointers: the arrays are class properties, and Swift would otherwise check their
        // uniqueness on every write of the inner loops (half the time of a data set's preprocessing).
        sites.withUnsafeBufferPointer { sites in
            columnPass.withUnsafeMutableBufferPointer { columnPass in
                squared.withUnsafeMutableBufferPointer { squared in
                    line.withUnsafeMutableBufferPointer { line in
                        result.withUnsafeMutableBufferPointer { result in
                            vertices.withUnsafeMutableBufferPointer { vertices in
                                bounds.withUnsafeMutableBufferPointer { bounds in
                                    let pass = Pass1D(line: line, result: result, vertices: vertices, bounds: bounds)
                                    Self.columnScan(sites: sites, width: width, height: height, nearest: vertices, into: columnPass)
                                    for row in 0..<height {
                                        for column in 0..<width { line[column] = columnPass[row * width + column] }
                                        pass.run(width)
                                        for column in 0..<width { squared[row * width + column] = Float(result[column]) }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// Σ √d² over the pixels that are not sites, in row-major order, d² the squared distance to the
    /// nearest site: the same Float sum as over `transform`'s output at those pixels, without the
    /// transform's second pass over every pixel. After the column scan, a pixel's d² is the minimum of
    /// column[q] + (p − q)² along its row; searched outwards from p, it stops once (p − q)² alone
    /// reaches the best found (nothing farther can be smaller), which for a stroke's core pixel is
    /// after a few pixels — its nearest background is at most half the stroke's width away.
    func distanceSumOverNonSites(width: Int, height: Int) -> Float {
        let count = width * height
        if columnPass.count < count { columnPass = [Double](repeating: .infinity, count: count) }
        if vertices.count < width { vertices = [Int](repeating: 0, count: width) }
        var sum: Float = 0
        sites.withUnsafeBufferPointer { sites in
            columnPass.withUnsafeMutableBufferPointer { columnPass in
                vertices.withUnsafeMutableBufferPointer { nearest in
                    Self.columnScan(sites: sites, width: width, height: height, nearest: nearest, into: columnPass)
                    for row in 0..<height {
                        guard let line = columnPass.baseAddress.map({ $0 + row * width }) else { continue }
                        for p in 0..<width where !sites[row * width + p] {
                            var best = line[p]
                            var k = 1
                            while Double(k * k) < best && (p - k >= 0 || p + k < width) {
                                let step = Double(k * k)
                                if p - k >= 0 { best = min(best, line[p - k] + step) }
                                if p + k < width { best = min(best, line[p + k] + step) }
                                k += 1
                            }
                            sum += Float(best).squareRoot()
                        }
                    }
                }
            }
        }
        return sum
    }

    /// `squared` ← the squared distance to the nearest site where it is below `limit`, exact, and
    /// some value of at least `limit` elsewhere: `transform`'s output wherever it is below `limit`,
    /// by the same column scan and the row search of `distanceSumOverNonSites`, stopped at `limit`.
    func squaredDistances(below limit: Double, width: Int, height: Int) {
        let count = width * height
        if columnPass.count < count { columnPass = [Double](repeating: .infinity, count: count) }
        if squared.count < count { squared = [Float](repeating: .infinity, count: count) }
        if vertices.count < width { vertices = [Int](repeating: 0, count: width) }
        sites.withUnsafeBufferPointer { sites in
            columnPass.withUnsafeMutableBufferPointer { columnPass in
                squared.withUnsafeMutableBufferPointer { squared in
                    vertices.withUnsafeMutableBufferPointer { nearest in
                        Self.columnScan(sites: sites, width: width, height: height, nearest: nearest, into: columnPass)
                        // The search never goes beyond `reach` (the first k with k² ≥ limit), so for the
                        // pixels at least that far from both ends of the row it needs no bounds checks:
                        // the same steps in the same order, without the tests that always pass there.
                        var reach = 1
                        while Double(reach * reach) < limit && reach <= width { reach += 1 }
                        let interior = reach..<max(reach, width - reach)
                        for row in 0..<height {
                            guard let line = columnPass.baseAddress.map({ $0 + row * width }) else { continue }
                            for p in 0..<width {
                                var best = line[p]
                                var k = 1
                                if interior.contains(p) {  // (wrapping arithmetic: k < reach, p ± k inside the row)
                                    while Double(k &* k) < min(best, limit) {
                                        let step = Double(k &* k)
                                        best = min(best, line[p &- k] + step)
                                        best = min(best, line[p &+ k] + step)
                                        k &+= 1
                                    }
                                } else {
                                    while Double(k * k) < min(best, limit) && (p - k >= 0 || p + k < width) {
                                        let step = Double(k * k)
                                        if p - k >= 0 { best = min(best, line[p - k] + step) }
                                        if p + k < width { best = min(best, line[p + k] + step) }
                                        k += 1
                                    }
                                }
                                squared[row * width + p] = Float(best)
                            }
                        }
                    }
                }
            }
        }
    }

    /// Down the columns the input is 0 (site) or ∞, and the lower envelope of parabolas
    /// min_q (0 + (p − q)²) is the squared distance to the nearest site in the column: found by a
    /// scan down and one up, row by row (the same integers, exact in Double, without the envelope's
    /// divisions or a column-strided walk). `nearest` (width entries) is scratch.
    private static func columnScan(
        sites: UnsafeBufferPointer<Bool>, width: Int, height: Int,
        nearest: UnsafeMutableBufferPointer<Int>, into columnPass: UnsafeMutableBufferPointer<Double>
    ) {
        let far = Double.infinity
        // (Wrapping arithmetic: every index is inside the region, every difference of rows below its height.)
        for column in 0..<width { nearest[column] = -1 }  // the row of the nearest site above, then below
        for row in 0..<height {
            let start = row &* width
            for column in 0..<width {
                if sites[start &+ column] { nearest[column] = row }
                let site = nearest[column]
                columnPass[start &+ column] = site < 0 ? far : Double((row &- site) &* (row &- site))
            }
        }
        for column in 0..<width { nearest[column] = -1 }
        for row in stride(from: height - 1, through: 0, by: -1) {
            let start = row &* width
            for column in 0..<width {
                if sites[start &+ column] { nearest[column] = row }
                let site = nearest[column]
                if site >= 0 {
                    let below = Double((site &- row) &* (site &- row))
                    if below < columnPass[start &+ column] { columnPass[start &+ column] = below }
                }
            }
        }
    }

    /// One 1-D transform over buffers: result[0..<n] = min over q of (line[q] + (p − q)²).
    private struct Pass1D {
        let line: UnsafeMutableBufferPointer<Double>
        let result: UnsafeMutableBufferPointer<Double>
        let vertices: UnsafeMutableBufferPointer<Int>
        let bounds: UnsafeMutableBufferPointer<Double>

        func run(_ n: Int) {
            let far = Double.infinity
            var k = -1
            for q in 0..<n where line[q] < far {
                let fq = line[q] + Double(q * q)
                var s = -far
                while k >= 0 {
                    let v = vertices[k]
                    s = (fq - (line[v] + Double(v * v))) / Double(2 * (q - v))
                    if s <= bounds[k] { k -= 1 } else { break }
                }
                k += 1
                vertices[k] = q
                bounds[k] = k == 0 ? -far : s
                bounds[k + 1] = far
            }
            guard k >= 0 else {
                for p in 0..<n { result[p] = far }
                return
            }
            var j = 0
            for p in 0..<n {
                while bounds[j + 1] < Double(p) { j += 1 }
                let v = vertices[j]
                result[p] = Double((p - v) * (p - v)) + line[v]
            }
        }
    }
}
