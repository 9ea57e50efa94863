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

    public init(framing: Framing, centring: Centring, polarity: Polarity,
                targetBoxSize: Int, inkThreshold: Float, stretchContrast: Bool) {
        self.framing = framing
        self.centring = centring
        self.polarity = polarity
        self.targetBoxSize = targetBoxSize
        self.inkThreshold = inkThreshold
        self.stretchContrast = stretchContrast
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
    public static let standard = PreprocessingSettings(
        framing: .fitInk, centring: .box, polarity: .auto,
        targetBoxSize: 16, inkThreshold: 0.1, stretchContrast: true)

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
