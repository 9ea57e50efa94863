import DigitsCore

/// The one path from any grey image to the network's 256 inputs, shared by training,
/// evaluation and classification, so that a user's digit is prepared exactly like the training set.
///
/// Steps (each a function below):
/// 1. grey in [0, 1] (clamped; NaN counts as 0);
/// 2. polarity and background: a known polarity (the settings', else the data set's) gives a
///    known background — black under light ink, white under dark ink; for `.auto` the background
///    is the median grey of the border pixels; ink is what differs from it, turned so that ink
///    is high, as in MNIST;
///    with `stretchContrast`, ink is scaled so the strongest stroke is 1;
/// 3. the ink's bounding box: pixels more than `inkThreshold` above the background
///    (none → `PreprocessingError.blankImage`, never a guess; a data set lists such images
///    in `ProcessedImages.blank` instead of stopping);
///    photo-sized images (shorter side ≥ `photoMinimumSide`, 48 px) do steps 2–3 against a fitted
///    paper surface instead, with an adaptive threshold and without specks (Preprocessor+Photo.swift);
///    smaller ones, every data set included, take exactly the path described here;
/// 3½. with `strokeWidth`, strokes thinner than that many output pixels are redrawn with a
///    round pen that makes them so once scaled, and the box grows with them (Preprocessor+Stroke.swift);
/// 4. an affine map from the box (or the whole image, for `.resizeFrame`) onto the
///    16 × 16 frame: one scale for both axes (aspect ratio kept), placed by box or by centre of
///    mass (sub-pixel, except at scale 1 where it snaps so an image at output size is copied);
/// 5. area-averaging resampling along that map: each output pixel is the mean of the source
///    over the square it covers (anti-aliasing when shrinking, exact at scale 1, a box
///    interpolation when enlarging). Separable: rows first, then columns; clamped to 1;
/// 6. with `renormaliseContrast`, the 16 × 16 is divided by its strongest pixel, which becomes 1.
public struct Preprocessor: Sendable {
    public let settings: PreprocessingSettings

    /// Values per processed image: 16 × 16.
    public static let outputCount = PreprocessingSettings.frameSide * PreprocessingSettings.frameSide

    public init(settings: PreprocessingSettings = .standard) {
        self.settings = settings
    }

    /// The 256 inputs for one image, row-major, ink high, in [0, 1].
    public func process(_ image: GrayImage) throws -> [Float] {
        try process(image, findingMarks: false).input
    }

    /// The 256 inputs and the shape of the ink (``InkMarks``), from one pass over the picture: the
    /// ink image (for a photo, the paper-surface fit) is found once and serves both.
    public func processWithMarks(_ image: GrayImage) throws -> (input: [Float], marks: InkMarks) {
        let (input, marks) = try process(image, findingMarks: true)
        guard let marks else { throw PreprocessingError.blankImage(index: nil, threshold: settings.inkThreshold) }
        return (input, marks)
    }

    private func process(_ image: GrayImage, findingMarks: Bool) throws -> (input: [Float], marks: InkMarks?) {
        try settings.validate()
        let workspace = Workspace()
        var output = [Float](repeating: 0, count: Self.outputCount)
        var marks: InkMarks?
        let threshold = settings.inkThreshold
        let found = image.pixels.withUnsafeBufferPointer { grey in
            output.withUnsafeMutableBufferPointer { out in
                normalise(
                    grey: grey, width: image.width, height: image.height,
                    polarity: settings.polarity, workspace: workspace, into: out,
                    inspectInk: findingMarks
                        ? { ink, box in
                            marks = Self.marks(ink: UnsafeBufferPointer(ink), width: image.width, box: box, threshold: threshold)
                        }
                        : nil)
            }
        }
        guard found else { throw PreprocessingError.blankImage(index: nil, threshold: settings.inkThreshold) }
        return (output, marks)
    }

    /// All images of a data set as a `count × 256` matrix, one processed image per row; the
    /// first image with no ink stops it (`PreprocessingError.blankImage` with its index).
    /// `processed(_:)` is the variant that carries on past blank images.
    public func inputs(for images: LabeledImages) throws -> Matrix {
        let processed = try processed(images)
        if let first = processed.blank.first {
            throw PreprocessingError.blankImage(index: first, threshold: settings.inkThreshold)
        }
        return processed.inputs
    }

    /// A data set's processed images, and which of them had no ink at all.
    public struct ProcessedImages: Sendable {
        /// `count × 256`, one image per row; a blank image's row is all 0.
        public var inputs: Matrix
        /// Indices (ascending) of the images in which nothing stands out from the background:
        /// there is no digit to read, so they are not guessed at. The caller decides what they
        /// mean — `evaluate` counts them as mistakes, `train` skips them.
        public var blank: [Int]
    }

    /// All images of a data set, processed; images with no ink are listed rather than thrown.
    ///
    /// When the settings leave polarity at `.auto`, the data set's own known polarity is used
    /// (MNIST and USPS are light ink on black), so no image's ink — nor its background — is
    /// guessed needlessly. The geometric steps are exactly those of `process(_:)`.
    public func processed(_ images: LabeledImages) throws -> ProcessedImages {
        try settings.validate()
        let polarity = settings.polarity == .auto ? images.inkPolarity : settings.polarity
        let (width, height) = (images.columns, images.rows)
        let size = width * height
        var result = Matrix(rows: images.count, columns: Self.outputCount)
        var blank: [Int] = []
        let workspace = Workspace()
        result.elements.withUnsafeMutableBufferPointer { out in
            guard let outBase = out.baseAddress else { return }
            for index in 0..<images.count {
                let target = UnsafeMutableBufferPointer(start: outBase + index * Self.outputCount, count: Self.outputCount)
                let found: Bool
                switch images.pixels {
                case .bytes(let bytes):
                    let grey = workspace.grey(count: size)
                    bytes.withUnsafeBufferPointer { source in
                        unitGrey.withUnsafeBufferPointer { table in
                            for i in 0..<size { grey[i] = table[Int(source[index * size + i])] }
                        }
                    }
                    found = normalise(
                        grey: UnsafeBufferPointer(grey), width: width, height: height,
                        polarity: polarity, workspace: workspace, into: target)
                case .floats(let floats):
                    found = floats.withUnsafeBufferPointer { source in
                        let grey = UnsafeBufferPointer(rebasing: source[index * size..<(index + 1) * size])
                        return normalise(
                            grey: grey, width: width, height: height,
                            polarity: polarity, workspace: workspace, into: target)
                    }
                }
                if !found { blank.append(index) }
            }
        }
        return ProcessedImages(inputs: result, blank: blank)
    }

    // MARK: - The steps

    /// grey: (height, width) in the file's polarity → out: (16, 16), ink high.
    /// False, with `out` all 0, when the image has no ink.
    private func normalise(
        grey: UnsafeBufferPointer<Float>, width: Int, height: Int,
        polarity: PreprocessingSettings.Polarity, workspace: Workspace,
        into out: UnsafeMutableBufferPointer<Float>,
        inspectInk: ((UnsafeMutableBufferPointer<Float>, InkBox) -> Void)? = nil
    ) -> Bool {
        let side = PreprocessingSettings.frameSide
        let ink = workspace.ink(count: width * height)
        // Small images (every data set: MNIST 28 × 28, USPS 16 × 16) keep the one-grey background,
        // bit for bit; only photo-sized ones get the lit-surface path (Preprocessor+Photo.swift).
        let found =
            Self.isPhotoSized(width: width, height: height, parameters: settings.photo)
            ? photoInkImage(grey: grey, width: width, height: height, polarity: polarity, into: ink)
            : inkImage(grey: grey, width: width, height: height, polarity: polarity, into: ink)
        guard var box = found else {
            for i in out.indices { out[i] = 0 }
            return false
        }
        // The ink's shape is read here, at source resolution, before the stroke is thinned or thickened.
        inspectInk?(ink, box)
        if let target = settings.strokeWidth {
            box = normaliseStroke(ink, width: width, height: height, box: box, target: target, scratch: workspace.distances)
        }

        // The affine map, per axis: output u ↔ source origin + (u − offset) / scale.
        let x: AxisMap
        let y: AxisMap
        switch settings.framing {
        case .resizeFrame:
            x = AxisMap(origin: 0, scale: Float(side) / Float(width), offset: 0)
            y = AxisMap(origin: 0, scale: Float(side) / Float(height), offset: 0)
        case .fitInk:
            let boxWidth = box.maxX - box.minX + 1
            let boxHeight = box.maxY - box.minY + 1
            let scale = Float(settings.targetBoxSize) / Float(max(boxWidth, boxHeight))
            let (centreX, centreY) =
                settings.centring == .mass
                ? centreOfMass(ink, width: width, box: box)
                : (Float(box.minX) + Float(boxWidth) / 2, Float(box.minY) + Float(boxHeight) / 2)
            x = AxisMap(placing: box.minX, length: boxWidth, centre: centreX, scale: scale, frame: side)
            y = AxisMap(placing: box.minY, length: boxHeight, centre: centreY, scale: scale, frame: side)
        }
        resample(ink, width: width, height: height, x: x, y: y, workspace: workspace, into: out)
        if settings.renormaliseContrast {
            // Step 6: the strongest output pixel becomes 1 (a thin stroke averages to a grey ghost).
            var strongest: Float = 0
            for value in out { strongest = max(strongest, value) }
            if strongest > 0 && strongest < 1 {
                for i in out.indices { out[i] = out[i] / strongest }
            }
        }
        return true
    }

    /// Steps 1–3: writes the ink image (high = ink, background 0) and returns the ink's box,
    /// or nil when nothing stands out by more than the threshold.
    func inkImage(
        grey: UnsafeBufferPointer<Float>, width: Int, height: Int,
        polarity: PreprocessingSettings.Polarity,
        into ink: UnsafeMutableBufferPointer<Float>
    ) -> InkBox? {
        let count = width * height
        // A known polarity brings its background with it: black under light ink, white under dark.
        // Only for `.auto` is it guessed from the border, which a digit filling its frame (a
        // binarised 16 × 16 with thick strokes) can cover: its median would be the ink itself.
        let background: Float
        let darkInk: Bool
        switch polarity {
        case .lightInk: (background, darkInk) = (0, false)
        case .darkInk: (background, darkInk) = (1, true)
        case .auto:
            background = borderMedian(grey, width: width, height: height)
            // Ink pulls the mean away from the background, towards its own side.
            var sum: Float = 0
            for i in 0..<count { sum += unitClamped(grey[i]) }
            darkInk = sum / Float(count) < background
        }
        // ink = (grey − background) with the sign that makes ink positive; below background is 0.
        let sign: Float = darkInk ? -1 : 1
        let threshold = settings.inkThreshold
        var strongest: Float = 0
        var box = InkBox(minX: width, minY: height, maxX: -1, maxY: -1)
        for row in 0..<height {
            for column in 0..<width {
                let index = row * width + column
                let value = max(0, sign * (unitClamped(grey[index]) - background))
                ink[index] = value
                strongest = max(strongest, value)
                if value > threshold { box.include(x: column, y: row) }
            }
        }
        guard box.maxX >= 0 else { return nil }
        if settings.stretchContrast && strongest < 1 {
            let gain = 1 / strongest
            for i in 0..<count { ink[i] *= gain }
        }
        return box
    }

    /// Median grey of the outermost rows and columns, through a 256-bin histogram
    /// (exact for byte images, within 1/255 for float ones) — no sort, no allocation.
    private func borderMedian(_ grey: UnsafeBufferPointer<Float>, width: Int, height: Int) -> Float {
        var histogram = (0..<256).map { _ in 0 }  // small: the cost is dwarfed by the image
        var total = 0
        func add(_ value: Float) {
            histogram[Int(unitClamped(value) * 255 + 0.5)] += 1
            total += 1
        }
        for column in 0..<width {
            add(grey[column])
            if height > 1 { add(grey[(height - 1) * width + column]) }
        }
        if height > 2 {
            for row in 1..<(height - 1) {
                add(grey[row * width])
                if width > 1 { add(grey[row * width + width - 1]) }
            }
        }
        var seen = 0
        for (level, frequency) in histogram.enumerated() {
            seen += frequency
            if 2 * seen >= total { return Float(level) / 255 }
        }
        return 0
    }

    /// The ink's centre of mass within its box, in source pixel coordinates (pixel i spans [i, i+1)).
    private func centreOfMass(_ ink: UnsafeMutableBufferPointer<Float>, width: Int, box: InkBox) -> (Float, Float) {
        var mass: Float = 0
        var sumX: Float = 0
        var sumY: Float = 0
        for row in box.minY...box.maxY {
            for column in box.minX...box.maxX {
                let value = ink[row * width + column]
                mass += value
                sumX += value * (Float(column) + 0.5)
                sumY += value * (Float(row) + 0.5)
            }
        }
        return (sumX / mass, sumY / mass)  // mass > 0: the box holds at least one pixel above threshold
    }

    /// Step 5: out(16, 16) = Wy · ink(height, width) · Wxᵀ, with the sparse area weights of each axis.
    private func resample(
        _ ink: UnsafeMutableBufferPointer<Float>, width: Int, height: Int,
        x: AxisMap, y: AxisMap, workspace: Workspace,
        into out: UnsafeMutableBufferPointer<Float>
    ) {
        let side = PreprocessingSettings.frameSide
        let columnWeights = workspace.columnWeights
        let rowWeights = workspace.rowWeights
        columnWeights.compute(x, sourceLength: width, outputLength: side)
        rowWeights.compute(y, sourceLength: height, outputLength: side)

        // Rows pass: for each source row the map touches, its 16 horizontal area means.
        let firstRow = rowWeights.firstSource
        let rowCount = max(0, rowWeights.endSource - firstRow)
        let rowsPass = workspace.rowsPass(count: rowCount * side)
        for r in 0..<rowCount {
            let sourceRow = ink.baseAddress.map { $0 + (firstRow + r) * width }
            for u in 0..<side {
                var sum: Float = 0
                let start = columnWeights.start[u]
                for k in 0..<columnWeights.count[u] {
                    sum += columnWeights.weight(u, k) * (sourceRow?[start + k] ?? 0)
                }
                rowsPass[r * side + u] = sum
            }
        }
        // Columns pass: each output row mixes the row means it covers.
        for v in 0..<side {
            for u in 0..<side { out[v * side + u] = 0 }
            let start = rowWeights.start[v] - firstRow
            for k in 0..<rowWeights.count[v] {
                let weight = rowWeights.weight(v, k)
                let row = (start + k) * side
                for u in 0..<side { out[v * side + u] += weight * rowsPass[row + u] }
            }
            for u in 0..<side { out[v * side + u] = min(out[v * side + u], 1) }
        }
    }
}

// MARK: - Pieces

@inline(__always)
func unitClamped(_ value: Float) -> Float {
    value > 0 ? (value < 1 ? value : 1) : 0  // NaN fails both tests and becomes 0
}

/// Inclusive pixel bounds of the ink.
struct InkBox {
    var minX: Int, minY: Int, maxX: Int, maxY: Int

    mutating func include(x: Int, y: Int) {
        minX = min(minX, x)
        maxX = max(maxX, x)
        minY = min(minY, y)
        maxY = max(maxY, y)
    }
}

/// One axis of the affine map: output coordinate u ↔ source coordinate origin + (u − offset) / scale.
private struct AxisMap {
    var origin: Float
    var scale: Float
    var offset: Float

    init(origin: Float, scale: Float, offset: Float) {
        self.origin = origin
        self.scale = scale
        self.offset = offset
    }

    /// Places the box [start, start + length) so that `centre` lands on the frame's middle,
    /// keeping the whole box inside the frame. The placement is exact (sub-pixel), so a digit
    /// does not jump by a pixel between two nearly equal sizes; only at scale 1, where the source
    /// is already at output resolution, it snaps to a whole pixel so that the image is copied
    /// rather than blurred by half a pixel.
    init(placing start: Int, length: Int, centre: Float, scale: Float, frame: Int) {
        let scaledLength = Float(length) * scale
        let wanted = Float(frame) / 2 - (centre - Float(start)) * scale
        let room = max(0, Float(frame) - scaledLength)
        let offset = scale == 1 ? min(max(wanted.rounded(), 0), room.rounded(.down)) : min(max(wanted, 0), room)
        self.init(origin: Float(start), scale: scale, offset: offset)
    }
}

/// Area weights of one axis: output pixel u is Σ_k weight(u, k) · source[start[u] + k].
///
/// Output pixel u covers source [origin + (u − offset)/scale, origin + (u + 1 − offset)/scale);
/// source pixel i spans [i, i + 1); the weight is their overlap times `scale`, so a fully covered
/// output pixel's weights sum to 1 and the part outside the image counts as background (0).
private final class AxisWeights {
    var start: [Int] = []
    var count: [Int] = []
    private var weights: [Float] = []
    private var stride = 0
    private(set) var firstSource = 0
    private(set) var endSource = 0

    @inline(__always)
    func weight(_ output: Int, _ k: Int) -> Float { weights[output * stride + k] }

    func compute(_ map: AxisMap, sourceLength: Int, outputLength: Int) {
        let span = 1 / map.scale
        stride = Int(span.rounded(.up)) + 2
        if start.count != outputLength {
            start = Array(repeating: 0, count: outputLength)
            count = Array(repeating: 0, count: outputLength)
        }
        if weights.count < outputLength * stride {
            weights = Array(repeating: 0, count: outputLength * stride)
        }
        firstSource = sourceLength
        endSource = 0
        for u in 0..<outputLength {
            let low = map.origin + (Float(u) - map.offset) * span
            let high = low + span
            let first = max(0, Int(low.rounded(.down)))
            let end = min(sourceLength, Int(high.rounded(.up)), first + stride)
            start[u] = first
            count[u] = max(0, end - first)
            for i in first..<max(first, end) {
                let overlap = min(high, Float(i + 1)) - max(low, Float(i))
                weights[u * stride + i - first] = max(0, overlap) * map.scale
            }
            if end > first {
                firstSource = min(firstSource, first)
                endSource = max(endSource, end)
            }
        }
        if endSource == 0 { firstSource = 0 }
    }
}

/// Buffers reused from image to image, so that a data set is processed without allocating per image.
private final class Workspace {
    private var greyBuffer = UnsafeMutableBufferPointer<Float>.allocate(capacity: 0)
    private var inkBuffer = UnsafeMutableBufferPointer<Float>.allocate(capacity: 0)
    private var rowsPassBuffer = UnsafeMutableBufferPointer<Float>.allocate(capacity: 0)
    let columnWeights = AxisWeights()
    let rowWeights = AxisWeights()
    let distances = DistanceScratch()

    deinit {
        greyBuffer.deallocate()
        inkBuffer.deallocate()
        rowsPassBuffer.deallocate()
    }

    func grey(count: Int) -> UnsafeMutableBufferPointer<Float> { Self.ensure(&greyBuffer, count) }
    func ink(count: Int) -> UnsafeMutableBufferPointer<Float> { Self.ensure(&inkBuffer, count) }
    func rowsPass(count: Int) -> UnsafeMutableBufferPointer<Float> { Self.ensure(&rowsPassBuffer, count) }

    private static func ensure(_ buffer: inout UnsafeMutableBufferPointer<Float>, _ count: Int) -> UnsafeMutableBufferPointer<Float> {
        if buffer.count < count {
            buffer.deallocate()
            buffer = .allocate(capacity: count)
            buffer.initialize(repeating: 0)
        }
        return UnsafeMutableBufferPointer(rebasing: buffer[0..<count])
    }
}
