/// How an image becomes the network's 16 × 16 input. Recorded in the model file, so that
/// classification later repeats exactly what training did.
public struct PreprocessingSettings: Codable, Equatable, Sendable {
    /// What is scaled into the frame.
    public enum Framing: String, Codable, Sendable, CaseIterable {
        /// Crop to the ink's bounding box, scale it keeping its aspect ratio to fit the target box.
        case fitInk = "fit-ink"
        /// Scale the whole image to 16 × 16, aspect ratio and margins included (for comparison).
        case resizeFrame = "resize-frame"
    }

    /// Where the fitted ink is placed inside the frame (fit-ink only).
    public enum Centring: String, Codable, Sendable, CaseIterable {
        /// The ink's centre of mass at the frame's centre (as MNIST does), kept inside the frame.
        case mass
        /// The ink's bounding box in the middle of the frame.
        case box
    }

    /// Which way the ink runs in the source image.
    public enum Polarity: String, Codable, Sendable, CaseIterable {
        /// Decide per image: ink is whatever differs from the border's median grey.
        case auto
        /// Light ink on a dark background, like MNIST and USPS.
        case lightInk = "light-ink"
        /// Dark ink on a light background, like pen on paper.
        case darkInk = "dark-ink"
    }

    public var framing: Framing
    public var centring: Centring
    public var polarity: Polarity
    /// Side, in output pixels, of the square the ink's longer side is scaled to (1…16).
    public var targetBoxSize: Int
    /// How far above the background (0…1) a pixel must be to count as ink for the bounding box
    /// and for the image not to be blank. Fainter pixels still contribute their values.
    public var inkThreshold: Float
    /// Map the background to 0 and the darkest ink to 1, so a grey pencil on off-white paper
    /// looks like MNIST's full-contrast strokes.
    public var stretchContrast: Bool
    /// Stroke-width normalisation: strokes estimated thinner than this many *output* pixels are
    /// redrawn, at source resolution, with a round pen wide enough to reach it once scaled
    /// (`Preprocessor+Stroke.swift`); thicker strokes are left as drawn. nil: strokes untouched
    /// (every model file written before this setting existed).
    public var strokeWidth: Float?
    /// After resampling, scale the 16 × 16 so that its strongest pixel is 1: a stroke thinner
    /// than an output pixel otherwise area-averages to a faint ghost. false in older model files.
    public var renormaliseContrast: Bool
    /// The photo path's constants (Preprocessor+Photo.swift), recorded so a port can reproduce it.
    /// Older model files, which did not record them, used exactly these defaults.
    public var photo: PhotoParameters

    public init(
        framing: Framing, centring: Centring, polarity: Polarity,
        targetBoxSize: Int, inkThreshold: Float, stretchContrast: Bool,
        strokeWidth: Float? = nil, renormaliseContrast: Bool = false, photo: PhotoParameters = .standard
    ) {
        self.framing = framing
        self.centring = centring
        self.polarity = polarity
        self.targetBoxSize = targetBoxSize
        self.inkThreshold = inkThreshold
        self.stretchContrast = stretchContrast
        self.strokeWidth = strokeWidth
        self.renormaliseContrast = renormaliseContrast
        self.photo = photo
    }

    private enum CodingKeys: String, CodingKey {
        case framing, centring, polarity, targetBoxSize, inkThreshold, stretchContrast
        case strokeWidth, renormaliseContrast, photo
    }

    /// The fields added after format version 1 may be absent: absent means off (or, for `photo`,
    /// the constants that were compiled in then), so an old model keeps its exact behaviour.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        framing = try container.decode(Framing.self, forKey: .framing)
        centring = try container.decode(Centring.self, forKey: .centring)
        polarity = try container.decode(Polarity.self, forKey: .polarity)
        targetBoxSize = try container.decode(Int.self, forKey: .targetBoxSize)
        inkThreshold = try container.decode(Float.self, forKey: .inkThreshold)
        stretchContrast = try container.decode(Bool.self, forKey: .stretchContrast)
        strokeWidth = try container.decodeIfPresent(Float.self, forKey: .strokeWidth)
        renormaliseContrast = try container.decodeIfPresent(Bool.self, forKey: .renormaliseContrast) ?? false
        photo = try container.decodeIfPresent(PhotoParameters.self, forKey: .photo) ?? .legacy
    }

    /// The output is a `frameSide × frameSide` image.
    public static let frameSide = 16

    /// Crop to the ink, fit its longer side to the whole 16-pixel frame, centre the box.
    ///
    /// USPS digits already fill their 16 × 16 box, centred by box, so they pass through unchanged
    /// (scale 1, whole-pixel placement); MNIST's 20-pixel digits shrink to 16; a phone photo's
    /// digit shrinks from hundreds of pixels to 16. All three land alike. A tall thin "1" fits
    /// its height and keeps its width narrow. Box centring rather than mass because that is
    /// how USPS was made: mass centring would move every USPS digit a little.
    ///
    /// Strokes thinner than `standardStrokeWidth` output pixels are thickened to it, and the
    /// result's strongest pixel is 1, so a 2-px pen on a 280-px canvas reads like MNIST.
    public static let standard = PreprocessingSettings(
        framing: .fitInk, centring: .box, polarity: .auto,
        targetBoxSize: 16, inkThreshold: 0.1, stretchContrast: true,
        strokeWidth: standardStrokeWidth, renormaliseContrast: true)

    /// What models trained before stroke and contrast normalisation existed used (format v1).
    public static let version1 = PreprocessingSettings(
        framing: .fitInk, centring: .box, polarity: .auto,
        targetBoxSize: 16, inkThreshold: 0.1, stretchContrast: true, photo: .legacy)

    /// The typical stroke of a training digit in output pixels, measured on MNIST train with the
    /// estimator of `Preprocessor+Stroke.swift` (percentiles 10/25/50/75/90: 1.72, 1.90, 2.17, 2.49,
    /// 2.93; USPS: 2.00, 2.10, 2.32, 2.73, 3.16): about MNIST's 30th percentile, so most training
    /// digits are left as drawn and a thin pen is brought up to them.
    public static let standardStrokeWidth: Float = 2.0

    /// Checks every bound, in the one place they are written: the preprocessor, the command-line
    /// options and whoever loads a model file call this, so a bad value is refused where it enters.
    public func validate() throws(PreprocessingError) {
        if let problem { throw .invalidSettings(problem) }
    }

    /// The first problem with these settings, if any.
    private var problem: String? {
        if !(1...Self.frameSide).contains(targetBoxSize) {
            return "target box size \(targetBoxSize) is outside 1…\(Self.frameSide)"
        }
        if !(inkThreshold >= 0 && inkThreshold < 1) {
            return "ink threshold \(inkThreshold) is outside [0, 1)"
        }
        if let strokeWidth, !(strokeWidth > 0 && strokeWidth <= Float(targetBoxSize) / 4) {
            return "stroke width \(strokeWidth) is outside (0, \(Float(targetBoxSize) / 4)] (a quarter of the target box)"
        }
        return photo.problem
    }
}

/// The constants of the photo path (Preprocessor+Photo.swift), which applies to images whose
/// shorter side is at least `minimumSide`. Each is explained where it is used.
public struct PhotoParameters: Codable, Equatable, Sendable {
    /// Images with a shorter side of at least this many pixels are photographs.
    public var minimumSide: Int
    /// The paper surface is first fitted to the outer band, this fraction of the shorter side wide.
    public var bandFraction: Float
    /// Pixels within this many σ of the fit are taken as paper when growing the fit inwards.
    public var paperSigmas: Float
    /// At most about this many pixels are sampled for the surface fit.
    public var sampleBudget: Int
    /// The noise σ is capped here (above it, it is texture, not grain).
    public var noiseCap: Float
    /// The ink threshold is at least this many σ of the paper's noise.
    public var noiseFloorSigmas: Float
    /// Paper noise up to this many σ is removed (soft threshold) before stretching.
    public var softThresholdSigmas: Float
    /// Bins of the deviation histogram used by Otsu and by the strong-ink level.
    public var histogramBins: Int
    /// The level stretched to 1 is the ink's level with 1/this of the ink above it (10: the 90th percentile).
    public var strongInkDivisor: Int
    /// A region is kept when its area is at least 1/this of the largest region's.
    public var speckAreaRatio: Int
    /// …or when it lies within 1/this of the kept box's size from that box.
    public var speckMarginDivisor: Int
    /// …or when it lies in line with the kept box (directly above or below it, or beside it) within
    /// 1/this of its size: the dot of a pen-drawn "!", "?", "i" or "j", a fifth to two fifths of the
    /// glyph away (2 since the robustness suite's pen "!"s, whose dots lie up to 0.4 of the stroke
    /// below it, lost them at 3), which the margin above dropped as dust — leaving a 1 or a 7-like
    /// hook, so "not a digit" could neither be learnt nor answered for them. Dust off to a corner is
    /// still dropped. nil (model files made before it): no such rule.
    public var speckInLineDivisor: Int?
    /// The paper fit also starts flat at the band's median grey, and keeps the start whose fit
    /// leaves the band's absolute residuals smaller at this quantile (`PaperSurface.fit`): a tight
    /// crop whose strokes run along an edge no longer bends the paper into the ink. nil (model files
    /// made before it): the least-squares start alone.
    public var flatStartQuantile: Float?
    /// Connected ink is found on a grid of at most this many blocks along the longer side.
    public var gridCells: Int

    public init(
        minimumSide: Int, bandFraction: Float, paperSigmas: Float, sampleBudget: Int, noiseCap: Float,
        noiseFloorSigmas: Float, softThresholdSigmas: Float, histogramBins: Int, strongInkDivisor: Int,
        speckAreaRatio: Int, speckMarginDivisor: Int, gridCells: Int, speckInLineDivisor: Int? = nil,
        flatStartQuantile: Float? = nil
    ) {
        self.minimumSide = minimumSide
        self.bandFraction = bandFraction
        self.paperSigmas = paperSigmas
        self.sampleBudget = sampleBudget
        self.noiseCap = noiseCap
        self.noiseFloorSigmas = noiseFloorSigmas
        self.softThresholdSigmas = softThresholdSigmas
        self.histogramBins = histogramBins
        self.strongInkDivisor = strongInkDivisor
        self.speckAreaRatio = speckAreaRatio
        self.speckMarginDivisor = speckMarginDivisor
        self.gridCells = gridCells
        self.speckInLineDivisor = speckInLineDivisor
        self.flatStartQuantile = flatStartQuantile
    }

    /// What a new model records: `legacy`, the in-line rule for dots within half the glyph's size, and the flat
    /// start of the paper fit, compared at the 0.7 quantile.
    public static let standard: PhotoParameters = {
        var parameters = legacy
        parameters.speckInLineDivisor = 2
        parameters.flatStartQuantile = 0.7
        return parameters
    }()

    /// The values compiled in before they were recorded; every model file without them used these.
    public static let legacy = PhotoParameters(
        minimumSide: 48, bandFraction: 0.125, paperSigmas: 3, sampleBudget: 10_000, noiseCap: 0.05,
        noiseFloorSigmas: 6, softThresholdSigmas: 2, histogramBins: 1024, strongInkDivisor: 10,
        speckAreaRatio: 5, speckMarginDivisor: 8, gridCells: 256)

    var problem: String? {
        if minimumSide < 1 { return "photo minimum side \(minimumSide) is below 1" }
        if !(bandFraction > 0 && bandFraction <= 0.5) { return "photo band fraction \(bandFraction) is outside (0, 0.5]" }
        if !(paperSigmas > 0 && paperSigmas.isFinite) { return "photo paper σ count \(paperSigmas) is not positive" }
        if !(1...10_000_000).contains(sampleBudget) { return "photo sample budget \(sampleBudget) is outside 1…10000000" }
        if !(noiseCap >= 0 && noiseCap < 1) { return "photo noise cap \(noiseCap) is outside [0, 1)" }
        if !(noiseFloorSigmas >= 0 && noiseFloorSigmas.isFinite) { return "photo noise floor \(noiseFloorSigmas) σ is negative" }
        if !(softThresholdSigmas >= 0 && softThresholdSigmas.isFinite) {
            return "photo soft threshold \(softThresholdSigmas) σ is negative"
        }
        if !(2...65_536).contains(histogramBins) { return "photo histogram bins \(histogramBins) is outside 2…65536" }
        if !(1...1000).contains(strongInkDivisor) { return "photo strong-ink divisor \(strongInkDivisor) is outside 1…1000" }
        if !(1...1000).contains(speckAreaRatio) { return "photo speck area ratio \(speckAreaRatio) is outside 1…1000" }
        if !(1...1000).contains(speckMarginDivisor) { return "photo speck margin divisor \(speckMarginDivisor) is outside 1…1000" }
        if let speckInLineDivisor, !(1...1000).contains(speckInLineDivisor) {
            return "photo speck in-line divisor \(speckInLineDivisor) is outside 1…1000"
        }
        if let flatStartQuantile, !(flatStartQuantile >= 0.5 && flatStartQuantile < 1) {
            return "photo flat-start quantile \(flatStartQuantile) is outside [0.5, 1)"
        }
        if !(16...4096).contains(gridCells) { return "photo grid cells \(gridCells) is outside 16…4096" }
        return nil
    }
}

public enum PreprocessingError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Nothing stands out from the background: there is no digit to read. `index` is the
    /// image's position in its data set, when it came from one.
    case blankImage(index: Int?, threshold: Float)
    case invalidSettings(String)

    public var description: String {
        switch self {
        case .blankImage(let index, let threshold):
            "\(index.map { "image \($0): " } ?? "")blank image: no pixel differs from the background by more than \(threshold)"
        case .invalidSettings(let problem):
            "invalid preprocessing settings: \(problem)"
        }
    }
}
