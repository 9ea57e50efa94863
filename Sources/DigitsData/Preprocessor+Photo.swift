// Steps 2–3 for photographs: the paper's brightness is a smooth *surface*, not one grey level.
//
// A phone photo's paper is lit unevenly: across a page the grey drifts by more than the ink
// threshold, so one background level (the border median) calls half the page ink and the digit
// becomes a blob. Here, instead:
//  a. a quadratic surface in (x, y) is fitted by least squares to the paper pixels, found by
//     trimming (see `PaperSurface.fit`) — a fit has six degrees of freedom, so unlike a local
//     max/percentile filter it cannot follow, and so eat, a thick marker stroke;
//  b. ink is the signed difference from that surface; for `.auto` its side is the one where the
//     strong deviations lie (noise is symmetric and cancels, ink is one-sided);
//  c. the ink threshold is adaptive: Otsu on the deviations, never below `inkThreshold` of the
//     strongest ink (the stretched scale) nor below 6 σ of the paper's noise;
//  d. specks do not widen the box: connected ink that is both small and away from the digit is
//     dropped (`keptComponents`);
//  e. then the common steps: fit, centre, resample.
//
// Rule: this applies only to images whose shorter side is at least `photoMinimumSide` (48) pixels.
// Every data set (MNIST 28 × 28, USPS 16 × 16) stays below it and is processed bit for bit as
// before; a model trained on them does not see a changed input.

extension Preprocessor {
    /// Images with a shorter side of at least this many pixels are treated as photographs:
    /// three times the 16-pixel frame, well above MNIST's 28 and USPS's 16. The settings record
    /// it (`PhotoParameters.minimumSide`); this is the default.
    public static let photoMinimumSide = PhotoParameters.standard.minimumSide

    static func isPhotoSized(width: Int, height: Int, parameters: PhotoParameters = .standard) -> Bool {
        min(width, height) >= parameters.minimumSide
    }

    /// Steps 1–3 for a photo: writes the ink image (high = ink, paper 0) and returns the ink's
    /// box, or nil when nothing stands out from the paper by more than the threshold.
    func photoInkImage(
        grey: UnsafeBufferPointer<Float>, width: Int, height: Int,
        polarity: PreprocessingSettings.Polarity,
        into ink: UnsafeMutableBufferPointer<Float>
    ) -> InkBox? {
        var unused: Float = 0
        return photoInkImage(grey: grey, width: width, height: height, polarity: polarity, into: ink, stretchedThreshold: &unused)
    }

    /// The same, also giving the ink threshold on the stretched scale (for `inkImage(_:)`'s marks).
    func photoInkImage(
        grey: UnsafeBufferPointer<Float>, width: Int, height: Int,
        polarity: PreprocessingSettings.Polarity,
        into ink: UnsafeMutableBufferPointer<Float>,
        stretchedThreshold: inout Float
    ) -> InkBox? {
        let parameters = settings.photo
        let paper = PaperSurface.fit(grey, width: width, height: height, parameters: parameters)
        let noiseFloor = parameters.noiseFloorSigmas * paper.noise
        let sides = writeResiduals(
            grey, width: width, height: height, paper: paper, into: ink, strong: max(settings.inkThreshold, noiseFloor))
        let darkInk: Bool
        switch polarity {
        case .lightInk: darkInk = false
        case .darkInk: darkInk = true
        case .auto: darkInk = sides.darker > sides.lighter
        }

        var grid = BlockGrid(width: width, height: height, cells: parameters.gridCells)
        let deviations = oneSidedDeviations(ink, sign: darkInk ? -1 : 1, grid: grid)
        // Blank, as on the small path, when nothing is inkThreshold above the paper (nor above the noise).
        guard deviations.strongest > max(settings.inkThreshold, noiseFloor) else { return nil }
        let threshold = max(
            otsuThreshold(deviations.histogram),
            settings.inkThreshold * deviations.strongest, noiseFloor)

        let kept = keptComponents(grid.labels(where: { deviations.blockMax[$0] > threshold }))
        let noiseLevel = parameters.softThresholdSigmas * paper.noise
        let strongest = strongInk(deviations.histogram, above: threshold, fallback: deviations.strongest)
        let stretching = (noiseLevel: noiseLevel, gain: stretchGain(noiseLevel: noiseLevel, strongest: strongest))
        guard let box = inkBox(ink, grid: grid, kept: kept, threshold: threshold, stretching: stretching) else { return nil }
        stretchedThreshold = min(1, max(0, threshold - noiseLevel) * stretching.gain)
        return box
    }

    /// ink ← grey − paper surface (signed). Evaluated row by row: on a row the surface is a
    /// quadratic in x alone.
    ///
    /// In the same pass, for auto polarity: the ink is the minority of pixels that deviate strongly
    /// (more than `strong`) from the paper, and it lies on one side of it; noise lies on both sides
    /// and cancels. So the side whose strong deviations weigh more is the ink's: `darker` and
    /// `lighter` are those weights (summed in pixel order).
    private func writeResiduals(
        _ grey: UnsafeBufferPointer<Float>, width: Int, height: Int,
        paper: PaperSurface, into ink: UnsafeMutableBufferPointer<Float>, strong: Float
    ) -> (darker: Float, lighter: Float) {
        var darker: Float = 0
        var lighter: Float = 0
        // u of each column once, not a division per pixel (the same Floats).
        let us = (0..<width).map(paper.u)
        us.withUnsafeBufferPointer { us in
            for row in 0..<height {
                let (a, b, c) = paper.row(row)
                for column in 0..<width {
                    let u = us[column]
                    let value = unitClamped(grey[row * width + column]) - (a + (b + c * u) * u)
                    ink[row * width + column] = value
                    if value < -strong { darker -= value } else if value > strong { lighter += value }
                }
            }
        }
        return (darker, lighter)
    }

    private struct Deviations {
        var strongest: Float = 0
        /// Deviations in [0, 1] in `PhotoParameters.histogramBins` equal bins, for Otsu.
        var histogram: [Int]
        /// The strongest deviation in each block of the grid, to find connected ink cheaply.
        var blockMax: [Float]
    }

    /// ink ← max(0, sign · residual): ink high, paper and the wrong side 0. Gathers what the
    /// threshold and the components need in the same pass.
    private func oneSidedDeviations(
        _ ink: UnsafeMutableBufferPointer<Float>, sign: Float,
        grid: BlockGrid
    ) -> Deviations {
        let bins = settings.photo.histogramBins
        // Four histograms, a pixel's chosen by its column, summed at the end (the same counts): most
        // pixels are paper and fall in the first bins, and consecutive increments of one counter
        // each wait for the one before (the histogram was this pass's slowest part, by perf).
        let ways = 4
        var histograms = [Int](repeating: 0, count: ways * bins)
        var blockMax = [Float](repeating: 0, count: grid.count)
        var strongest: Float = 0
        // Through buffer pointers, a block's columns at a time, with plain loops (blocks are a few
        // pixels wide: a stride's iterator per block cost more than its pixels).
        histograms.withUnsafeMutableBufferPointer { histograms in
            blockMax.withUnsafeMutableBufferPointer { blockMax in
                let scale = Float(bins)
                for row in 0..<grid.height {
                    let blockRow = (row / grid.side) * grid.columns
                    let rowStart = row * grid.width
                    var (start, block) = (0, blockRow)
                    while start < grid.width {
                        let end = min(grid.width, start + grid.side)
                        var largest = blockMax[block]
                        var column = start
                        while column < end {  // (wrapping arithmetic: every index is within the image)
                            let index = rowStart &+ column
                            let value = max(0, sign * ink[index])
                            ink[index] = value
                            strongest = max(strongest, value)
                            histograms[(column & (ways - 1)) &* bins &+ min(bins - 1, Int(value * scale))] &+= 1
                            largest = max(largest, value)
                            column &+= 1
                        }
                        blockMax[block] = largest
                        (start, block) = (end, block + 1)
                    }
                }
            }
        }
        let histogram = (0..<bins).map { bin in (0..<ways).reduce(0) { $0 + histograms[$1 * bins + bin] } }
        return Deviations(strongest: strongest, histogram: histogram, blockMax: blockMax)
    }

    /// Otsu's threshold on the deviation histogram: the level that best splits paper (near 0,
    /// spread by noise) from ink (near the ink's contrast). It adapts to a faint pencil and to a
    /// black marker alike; for a blurred stroke it lands near the stroke's half-contrast edge.
    private func otsuThreshold(_ histogram: [Int]) -> Float {
        let bins = histogram.count
        var total: Double = 0
        var totalMoment: Double = 0
        for (bin, count) in histogram.enumerated() {
            total += Double(count)
            totalMoment += Double(count) * Double(bin)
        }
        var below: Double = 0
        var belowMoment: Double = 0
        var best: (variance: Double, bin: Int) = (-1, 0)
        for bin in 0..<(bins - 1) {
            below += Double(histogram[bin])
            belowMoment += Double(histogram[bin]) * Double(bin)
            let above = total - below
            guard below > 0, above > 0 else { continue }
            let difference = belowMoment / below - (totalMoment - belowMoment) / above
            let variance = below * above * difference * difference
            if variance > best.variance { best = (variance, bin) }
        }
        return Float(best.bin + 1) / Float(bins)  // ink: deviations at or above the next bin
    }

    /// Speck removal: which connected ink regions (on the block grid) belong to the digit.
    ///
    /// A region is kept when it carries at least a fifth of the largest region's area (a digit's
    /// detached part, such as a 5's flag, is a real share of the digit), when it touches the kept
    /// regions' box widened by an eighth of its size (a stroke broken by a pale stretch of pencil),
    /// or when it lies in line with that box within half its size (the dot of a "!" or an "i":
    /// `speckInLineDivisor`).
    /// A speck — dust, a fleck of paper texture, a noise spike — is small *and* away from the
    /// digit, so it never widens the box. Area rather than a mass-trimmed box, because trimming
    /// a fixed share of mass would also shave the ends of every genuine stroke.
    private func keptComponents(_ labelling: BlockGrid.Labelling) -> [Bool] {
        let regions = labelling.regions
        var kept = [Bool](repeating: false, count: regions.count)
        let largest = regions.map(\.area).max() ?? 0
        let (ratio, divisor) = (settings.photo.speckAreaRatio, settings.photo.speckMarginDivisor)
        for (index, region) in regions.enumerated() where ratio * region.area >= largest { kept[index] = true }
        var changed = true
        while changed {
            changed = false
            var box: BlockGrid.Region?
            for (index, region) in regions.enumerated() where kept[index] { box = box.map { $0.union(region) } ?? region }
            guard let box else { break }
            let size = max(box.maxX - box.minX, box.maxY - box.minY)
            let margin = max(1, size / divisor)
            let inLine = settings.photo.speckInLineDivisor.map { max(1, size / $0) }
            for (index, region) in regions.enumerated()
            where !kept[index]
                && (box.touches(region, margin: margin) || inLine.map { box.isInLine(with: region, margin: margin, within: $0) } ?? false)
            {
                kept[index] = true
                changed = true
            }
        }
        return labelling.blockLabels.map { $0 >= 0 && kept[$0] }
    }

    /// The box of the pixels above the threshold in kept blocks, and the ink stretched (`stretched`)
    /// in the same pass. Blocks of dropped specks are cleared, so a speck cannot show up inside the
    /// frame either.
    private func inkBox(
        _ ink: UnsafeMutableBufferPointer<Float>, grid: BlockGrid,
        kept: [Bool], threshold: Float, stretching: (noiseLevel: Float, gain: Float)
    ) -> InkBox? {
        var box = InkBox(minX: grid.width, minY: grid.height, maxX: -1, maxY: -1)
        let (noiseLevel, gain) = stretching
        let cleared = Self.stretched(0, noiseLevel: noiseLevel, gain: gain)
        kept.withUnsafeBufferPointer { kept in
            for row in 0..<grid.height {
                let blockRow = (row / grid.side) * grid.columns
                let rowStart = row * grid.width
                var (start, block) = (0, blockRow)
                while start < grid.width {  // plain loops, as in oneSidedDeviations
                    let end = min(grid.width, start + grid.side)
                    if kept[block] {
                        for column in start..<end {
                            let value = ink[rowStart + column]
                            if value > threshold { box.include(x: column, y: row) }
                            ink[rowStart + column] = Self.stretched(value, noiseLevel: noiseLevel, gain: gain)
                        }
                    } else if grid.blockIsInk(block) {
                        for column in start..<end { ink[rowStart + column] = cleared }
                    } else {
                        for column in start..<end {
                            ink[rowStart + column] = Self.stretched(ink[rowStart + column], noiseLevel: noiseLevel, gain: gain)
                        }
                    }
                    (start, block) = (end, block + 1)
                }
            }
        }
        return box.maxX >= 0 ? box : nil
    }

    /// The level that becomes 1 when stretching: the 90th percentile of the ink (pixels above the
    /// threshold) rather than its maximum, which on a noisy photo is a noise peak on top of a
    /// stroke and would leave the whole digit grey. A stroke's core is more than a tenth of its
    /// pixels, so on a clean image this is the full contrast, as on the small path.
    private func strongInk(_ histogram: [Int], above threshold: Float, fallback: Float) -> Float {
        let bins = histogram.count
        let first = min(bins - 1, Int(threshold * Float(bins)))
        let inkPixels = histogram[first...].reduce(0, +)
        var seen = 0
        for bin in stride(from: bins - 1, through: first, by: -1) {
            seen += histogram[bin]
            if settings.photo.strongInkDivisor * seen >= inkPixels { return min(fallback, (Float(bin) + 0.5) / Float(bins)) }
        }
        return fallback
    }

    /// Paper noise is removed (soft threshold at 2 σ, so the paper's grain is not left as a grey
    /// haze over the frame), and with `stretchContrast` the strongest ink becomes 1 (`gain`).
    @inline(__always)
    private static func stretched(_ value: Float, noiseLevel: Float, gain: Float) -> Float {
        min(1, max(0, value - noiseLevel) * gain)
    }

    private func stretchGain(noiseLevel: Float, strongest: Float) -> Float {
        settings.stretchContrast ? 1 / max(strongest - noiseLevel, .leastNormalMagnitude) : 1
    }
}

// MARK: - The paper's surface

/// The paper's brightness as p(u, v) = c₀ + c₁u + c₂v + c₃u² + c₄uv + c₅v², with u, v the pixel
/// centre scaled to [−1, 1] across the image, and the spread (σ) of the paper around it.
struct PaperSurface {
    var coefficients: [Float]
    var noise: Float
    let width: Int
    let height: Int

    // From `PhotoParameters`: `noiseCap` — noise above it is not sensor grain but structure
    // (texture, a pattern): capping it keeps the noise floor from swallowing real ink;
    // `sampleBudget` — at most about this many pixels are sampled for the fit: plenty for six
    // coefficients, and it keeps a 12-megapixel photo fast.

    @inline(__always) func u(_ column: Int) -> Float { (2 * Float(column) + 1) / Float(width) - 1 }
    @inline(__always) func v(_ row: Int) -> Float { (2 * Float(row) + 1) / Float(height) - 1 }

    /// On row `row`, p = a + b·u + c·u².
    func row(_ row: Int) -> (Float, Float, Float) {
        let v = v(row)
        let c = coefficients
        return (c[0] + c[2] * v + c[5] * v * v, c[1] + c[4] * v, c[3])
    }

    /// The paper pixels are not known in advance, so the fit alternates choosing and fitting:
    /// 1. fit the pixels of the outer band of the image (an eighth of the shorter side), then keep
    ///    the half of them nearest that fit and refit (a least-trimmed-squares-style step). The
    ///    border is paper in almost every picture of a digit, even a bold one cropped tight,
    ///    and the trimming drops a stroke that runs off the edge. Fitting the whole image
    ///    first, as an earlier version did, assumed the paper was the majority everywhere: a
    ///    thick digit covering a third of the picture bent that fit towards the ink, hollowing
    ///    strokes or turning a 0's hole into the "ink" (measured by tools/photo-robustness.py).
    ///    Otsu is not used for this first choice either: under a strong gradient it splits the
    ///    lit from the shaded paper rather than paper from a thin stroke. With `flatStartQuantile`,
    ///    a flat start at the band's median grey replaces that fit when it fits the band better
    ///    (strokes running along an edge of a tight crop, below);
    /// 2. twice: keep every pixel within 3 σ of the current fit (σ robust, from the median
    ///    absolute residual of the pixels taken as paper so far) and refit; σ of the last
    ///    choice is the paper's noise.
    static func fit(
        _ grey: UnsafeBufferPointer<Float>, width: Int, height: Int,
        parameters: PhotoParameters = .standard
    ) -> PaperSurface {
        let (sampleBudget, noiseCap) = (parameters.sampleBudget, parameters.noiseCap)
        var surface = PaperSurface(coefficients: [0, 0, 0, 0, 0, 0], noise: 0, width: width, height: height)
        let step = max(1, Int((Double(width * height) / Double(sampleBudget)).squareRoot().rounded(.up)))
        var sampled: [(u: Float, v: Float, grey: Float)] = []
        sampled.reserveCapacity((width / step + 1) * (height / step + 1))
        for row in stride(from: step / 2, to: height, by: step) {
            for column in stride(from: step / 2, to: width, by: step) {
                sampled.append((surface.u(column), surface.v(row), unitClamped(grey[row * width + column])))
            }
        }
        let samples = sampled  // a constant: the functions below capture it by value, not through a box
        // Plain loops over the samples below, not chains of zip/filter/map, which allocated
        // arrays of tuples at every step. Every sum and median runs over the same values in the
        // same order as those did, so the fit is the same to the bit.
        func residuals() -> [Float] {
            let c = surface.coefficients
            let (c0, c1, c2, c3, c4, c5) = (c[0], c[1], c[2], c[3], c[4], c[5])
            return [Float](unsafeUninitializedCapacity: samples.count) { out, initialized in
                for (index, sample) in samples.enumerated() {
                    let (u, v) = (sample.u, sample.v)
                    out[index] = sample.grey - (c0 + c1 * u + c2 * v + c3 * u * u + c4 * u * v + c5 * v * v)
                }
                initialized = samples.count
            }
        }
        /// |values[i]| where `include[i]`, in order.
        func absolute(_ values: [Float], where include: [Bool]) -> [Float] {
            var chosen: [Float] = []
            chosen.reserveCapacity(values.count)
            for index in values.indices where include[index] { chosen.append(abs(values[index])) }
            return chosen
        }
        func refit(_ include: [Bool]) {
            if let coefficients = leastSquares(samples, include: include) {
                surface.coefficients = coefficients
            } else {  // too few points or degenerate: a flat paper at their median
                var greys: [Float] = []
                for index in samples.indices where include[index] { greys.append(samples[index].grey) }
                surface.coefficients = [median(greys), 0, 0, 0, 0, 0]
            }
        }

        // 1. The outer band, trimmed to its half nearest the fit.
        let band = max(1, Int(Float(min(width, height)) * parameters.bandFraction))  // 1/8: exactly n / 8
        let bandU = 1 - 2 * Float(band) / Float(width)
        let bandV = 1 - 2 * Float(band) / Float(height)
        let inBand = samples.map { abs($0.u) > bandU || abs($0.v) > bandV }
        /// From the current surface: the band's half nearest it, refitted.
        func trimmedRefit() -> [Bool] {
            let bandSize = residuals()
            let half = median(absolute(bandSize, where: inBand))
            var paper = inBand
            for index in paper.indices { paper[index] = paper[index] && abs(bandSize[index]) <= half }
            refit(paper)
            return paper
        }
        refit(inBand)
        var paper = trimmedRefit()
        var bandSizes = absolute(residuals(), where: inBand)
        // A second start, flat at the band's median grey (`flatStartQuantile`), taken when that level
        // alone fits the band better, at the quantile, than the least-squares start's trimmed fit.
        // When thick strokes run along an edge (a tight crop), the least-squares start bends towards
        // them — a 7's bar along the top pulled the surface up to the ink there, the paper below it
        // became the "ink", and one trimming did not undo the bend — while the band's median grey is
        // paper as long as the band is mostly paper. The level itself is compared, not its trimmed
        // refit: a refit of the band's middle-lit half fits that half as well as a surface fits the
        // whole page, and compared so (at the median) a vignetted photo's corner became ink. At 0.7
        // ink along an edge (under 30 % of the band) lies above the quantile, and a lighting gradient
        // is told by the band's lit and shaded ends. (0.6 also mended a 6 whose loop runs along the
        // bottom edge, 31 % of the band, and refused fewer of the suite's blobs: seeds 1–3, +1 digit,
        // −6 non-digits, so not taken.)
        if let quantile = parameters.flatStartQuantile, !bandSizes.isEmpty {
            var greys: [Float] = []
            greys.reserveCapacity(bandSizes.count)
            for index in samples.indices where inBand[index] { greys.append(samples[index].grey) }
            let level = median(greys)
            let rank = min(bandSizes.count - 1, Int(quantile * Float(bandSizes.count)))
            if select(greys.map { abs($0 - level) }, rank) < select(bandSizes, rank) {
                surface.coefficients = [level, 0, 0, 0, 0, 0]
                paper = trimmedRefit()
                bandSizes = absolute(residuals(), where: inBand)
            }
        }
        // 2. Grow the paper into the interior: every pixel close to the fit, twice.
        //    σ comes from the whole band (not its nearest half, which would understate it).
        var sigma = 1.4826 * median(bandSizes)
        for _ in 0..<2 {
            let size = residuals()
            // Never tighter than one grey level: a perfectly flat, noiseless page has σ = 0.
            let limit = max(parameters.paperSigmas * sigma, 1 / 255)
            for index in paper.indices { paper[index] = abs(size[index]) <= limit }
            refit(paper)
            sigma = 1.4826 * median(absolute(residuals(), where: paper))
        }
        let finalResiduals = residuals()
        // A page lit evenly to within one grey level (1/255) is flat: take it as a constant, so
        // a clean drawing's paper is exactly level rather than rippled by rounding in the fit.
        if !samples.isEmpty {
            var (low, high, sum) = (Float.infinity, -Float.infinity, Float(0))
            for index in samples.indices {
                let value = samples[index].grey - finalResiduals[index]
                (low, high, sum) = (min(low, value), max(high, value), sum + value)
            }
            if high - low < 1 / 255 { surface.coefficients = [sum / Float(samples.count), 0, 0, 0, 0, 0] }
        }
        let finalSize = absolute(residuals(), where: paper)
        surface.noise = min(noiseCap, 1.4826 * median(finalSize))
        return surface
    }

    /// Least squares for the six coefficients through the normal equations (in Double: the
    /// sums run over tens of thousands of points), solved by Gaussian elimination with partial
    /// pivoting; nil when there are too few points or the system is singular.
    private static func leastSquares(_ samples: [(u: Float, v: Float, grey: Float)], include: [Bool]) -> [Float]? {
        let count = include.reduce(0) { $0 + ($1 ? 1 : 0) }
        guard count >= 6 else { return nil }
        // Row i of [A | b] is the sum over the points of aᵢ · (a, grey), a = (1, u, v, u², uv, v²),
        // each sum running over the points in order. A is symmetric, and aᵢ · aⱼ is aⱼ · aᵢ to the
        // bit, so only its upper triangle and b are summed: 27 sums, not the 42 of six full rows
        // (that pass was the surface fit's hottest, by perf); row 0 is a itself (1 · x is x).
        var first = SIMD8<Double>.zero  // Σ (1, u, v, u², uv, v², g, ·)
        var uRow = SIMD4<Double>.zero  // Σ u · (u, v, u², uv)
        var uRowEnd = SIMD2<Double>.zero  // Σ u · (v², g)
        var vRow = SIMD4<Double>.zero  // Σ v · (v, u², uv, v²)
        var vGrey: Double = 0  // Σ v · g
        var uuRow = SIMD4<Double>.zero  // Σ u² · (u², uv, v², g)
        var uvRow = SIMD4<Double>.zero  // Σ uv · (uv, v², g, ·)
        var vvRow = SIMD2<Double>.zero  // Σ v² · (v², g)
        for (point, included) in zip(samples, include) where included {
            let (u, v, grey) = (Double(point.u), Double(point.v), Double(point.grey))
            let (uu, uv, vv) = (u * u, u * v, v * v)
            first += SIMD8(1, u, v, uu, uv, vv, grey, 0)
            uRow += u * SIMD4(u, v, uu, uv)
            uRowEnd += u * SIMD2(vv, grey)
            vRow += v * SIMD4(v, uu, uv, vv)
            vGrey += v * grey
            uuRow += uu * SIMD4(uu, uv, vv, grey)
            uvRow += uv * SIMD4(uv, vv, grey, 0)
            vvRow += vv * SIMD2(vv, grey)
        }
        var normal: [[Double]] = [
            [first[0], first[1], first[2], first[3], first[4], first[5], first[6]],
            [first[1], uRow[0], uRow[1], uRow[2], uRow[3], uRowEnd[0], uRowEnd[1]],
            [first[2], uRow[1], vRow[0], vRow[1], vRow[2], vRow[3], vGrey],
            [first[3], uRow[2], vRow[1], uuRow[0], uuRow[1], uuRow[2], uuRow[3]],
            [first[4], uRow[3], vRow[2], uuRow[1], uvRow[0], uvRow[1], uvRow[2]],
            [first[5], uRowEnd[0], vRow[3], uuRow[2], uvRow[1], vvRow[0], vvRow[1]]
        ]
        for column in 0..<6 {
            var pivot = column
            for row in column..<6 where abs(normal[row][column]) > abs(normal[pivot][column]) { pivot = row }
            guard abs(normal[pivot][column]) > 1e-9 * Double(count) else { return nil }
            normal.swapAt(column, pivot)
            for row in 0..<6 where row != column {
                let factor = normal[row][column] / normal[column][column]
                for k in column..<7 { normal[row][k] -= factor * normal[column][k] }
            }
        }
        return (0..<6).map { Float(normal[$0][6] / normal[$0][$0]) }
    }
}

/// The median of some values (0 for none): the element a sort would put at `count / 2`, found by
/// selection in linear time instead of a sort — by the values' bits (`radixSelect`) when none is
/// negative or NaN, as the paper fit's residual sizes never are, else by Hoare's quickselect.
func median(_ values: [Float]) -> Float {
    guard !values.isEmpty else { return 0 }
    return select(values, values.count / 2)
}

/// The `k`-th smallest (from 0) of a non-empty array.
func select(_ values: [Float], _ k: Int) -> Float {
    if let selected = radixSelect(values, k) { return selected }
    return quickselect(values, k)
}

/// The `k`-th smallest (from 0) of values none of which is negative (sign bit) or NaN, nil otherwise.
/// For such Floats the bit patterns order as the numbers do, and equal numbers have equal bits, so
/// the answer is the very value any selection gives. Three histogram passes over the bits (11, 11
/// and 10 of them), each counting only the values that agree with the bits chosen so far: counting
/// is branch-free where quickselect's partitions mispredict (its loop was the fit's hottest, by perf).
func radixSelect(_ values: [Float], _ k: Int) -> Float? {
    guard k >= 0, k < values.count else { return nil }
    var counts = [Int](repeating: 0, count: 2048)
    return values.withUnsafeBufferPointer { values -> Float? in
        counts.withUnsafeMutableBufferPointer { counts -> Float? in
            // Bits 31…21 of every value.
            var largest: UInt32 = 0
            for value in values {
                let bits = value.bitPattern
                largest = max(largest, bits)
                counts[Int(bits >> 21)] += 1
            }
            guard largest <= Float.infinity.bitPattern else { return nil }  // a sign bit set, or a NaN
            var rank = k
            // The digit whose count holds the rank-th value; the rank becomes its rank among them.
            func pick() -> UInt32 {
                var digit = 0
                while rank >= counts[digit] {
                    rank -= counts[digit]
                    digit += 1
                }
                return UInt32(digit)
            }
            let high = pick()
            // Bits 20…10 of the values whose bits 31…21 are `high`.
            for index in counts.indices { counts[index] = 0 }
            for value in values where value.bitPattern >> 21 == high { counts[Int((value.bitPattern >> 10) & 0x7FF)] += 1 }
            let middle = high << 11 | pick()
            // Bits 9…0 of the values whose bits 31…10 are `middle`.
            for index in 0..<1024 { counts[index] = 0 }
            for value in values where value.bitPattern >> 10 == middle { counts[Int(value.bitPattern & 0x3FF)] += 1 }
            return Float(bitPattern: middle << 10 | pick())
        }
    }
}

/// Hoare's quickselect (median-of-three pivots): the `k`-th smallest of any values, in linear expected time.
func quickselect(_ values: [Float], _ k: Int) -> Float {
    var values = values
    return values.withUnsafeMutableBufferPointer { a in
        var (low, high) = (0, a.count - 1)
        while low < high {
            let middle = low + (high - low) / 2
            // Order a[low], a[middle], a[high]; the median of the three is the pivot.
            if a[middle] < a[low] { a.swapAt(middle, low) }
            if a[high] < a[low] { a.swapAt(high, low) }
            if a[high] < a[middle] { a.swapAt(high, middle) }
            let pivot = a[middle]
            var (i, j) = (low, high)
            while i <= j {
                while a[i] < pivot { i += 1 }
                while pivot < a[j] { j -= 1 }
                if i <= j {
                    a.swapAt(i, j)
                    i += 1
                    j -= 1
                }
            }
            if k <= j {
                high = j
            } else if k >= i {
                low = i
            } else {
                break
            }
        }
        return a[k]
    }
}

// MARK: - Connected ink on a coarse grid

/// The image cut into square blocks of `side` pixels (at most about 256 blocks along the longer
/// side). A block is ink when its strongest pixel is; connectivity is found between blocks,
/// which is fast for a 12-megapixel photo and never cuts a thin stroke (a block holding any of
/// it counts), while merging only things closer than a block.
struct BlockGrid {
    let width: Int
    let height: Int
    let side: Int
    let columns: Int
    let rows: Int
    var count: Int { columns * rows }
    private(set) var inkBlocks: [Bool] = []

    init(width: Int, height: Int, cells: Int = PhotoParameters.standard.gridCells) {
        self.width = width
        self.height = height
        side = max(1, (max(width, height) + cells - 1) / cells)
        columns = (width + side - 1) / side
        rows = (height + side - 1) / side
    }

    func blockIsInk(_ block: Int) -> Bool { inkBlocks[block] }

    /// Inclusive block bounds and block count of one connected region.
    struct Region {
        var minX: Int, minY: Int, maxX: Int, maxY: Int, area: Int

        func union(_ other: Region) -> Region {
            Region(
                minX: min(minX, other.minX), minY: min(minY, other.minY),
                maxX: max(maxX, other.maxX), maxY: max(maxY, other.maxY), area: area + other.area)
        }

        func touches(_ other: Region, margin: Int) -> Bool {
            other.minX <= maxX + margin && other.maxX >= minX - margin
                && other.minY <= maxY + margin && other.maxY >= minY - margin
        }

        /// Whether `other` lies above, below or beside this box — sharing its columns or its rows,
        /// widened by `margin` (a slanted "!" puts its dot past the stroke's columns) — within `gap`.
        func isInLine(with other: Region, margin: Int, within gap: Int) -> Bool {
            let sharesColumns = other.minX <= maxX + margin && other.maxX >= minX - margin
            let sharesRows = other.minY <= maxY + margin && other.maxY >= minY - margin
            return (sharesColumns || sharesRows) && touches(other, margin: gap)
        }
    }

    struct Labelling {
        /// Region index per block, −1 for no ink.
        var blockLabels: [Int]
        var regions: [Region]
    }

    /// 8-connected regions of the ink blocks, by flood fill with an explicit stack (through buffer
    /// pointers, the stack preallocated: each block enters it at most once).
    mutating func labels(where isInk: (Int) -> Bool) -> Labelling {
        inkBlocks = (0..<count).map(isInk)
        var labels = [Int](repeating: -1, count: count)
        var regions: [Region] = []
        var stack = [Int](repeating: 0, count: count)
        let (columns, rows) = (self.columns, self.rows)
        inkBlocks.withUnsafeBufferPointer { inkBlocks in
            labels.withUnsafeMutableBufferPointer { labels in
                stack.withUnsafeMutableBufferPointer { stack in
                    for seed in 0..<count where inkBlocks[seed] && labels[seed] < 0 {
                        let label = regions.count
                        var region = Region(
                            minX: seed % columns, minY: seed / columns, maxX: seed % columns, maxY: seed / columns, area: 0)
                        labels[seed] = label
                        stack[0] = seed
                        var top = 1
                        while top > 0 {
                            top -= 1
                            let block = stack[top]
                            let (x, y) = (block % columns, block / columns)
                            region = region.union(Region(minX: x, minY: y, maxX: x, maxY: y, area: 1))
                            for ny in max(0, y - 1)...min(rows - 1, y + 1) {
                                for nx in max(0, x - 1)...min(columns - 1, x + 1) {
                                    let neighbour = ny * columns + nx
                                    if inkBlocks[neighbour] && labels[neighbour] < 0 {
                                        labels[neighbour] = label
                                        stack[top] = neighbour
                                        top += 1
                                    }
                                }
                            }
                        }
                        regions.append(region)
                    }
                }
            }
        }
        return Labelling(blockLabels: labels, regions: regions)
    }
}
