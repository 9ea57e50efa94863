/// What training-time augmentation does to each training image, epoch after epoch. Recorded in the
/// training settings (and so in checkpoints), so a resumed run augments exactly as it started.
///
/// Lengths are given for a digit whose ink box is 20 px on its longer side (MNIST's); the augmenter
/// scales them to each image's own box, so a 16-px USPS digit is distorted as much, relatively.
public struct AugmentationSettings: Codable, Equatable, Sendable {
    /// Fraction of the images augmented each epoch; the others are seen as they are (still shifted).
    /// Test images are clean: some clean copies keep the network's sense of them.
    public var augmentedFraction: Float
    /// Rotation, uniform in ±this many degrees.
    public var rotationDegrees: Float
    /// Horizontal shear x += s·y, s uniform in ±this.
    public var shear: Float
    /// Aspect ratio (width : height) multiplied by e^a, a uniform in ±this. Isotropic scale would be
    /// a no-op: the preprocessor fits the ink box to the frame.
    public var logAspect: Float
    /// Fraction of images given an elastic distortion (Simard, Steinkraus & Platt 2003).
    public var elasticProbability: Float
    /// Simard's α (displacement gain) and σ (smoothness, px) at a 20-px digit: α 34, σ 4 move
    /// each pixel by about 1.4 px (standard deviation), smoothly over about 4 px.
    public var elasticAlpha: Float
    public var elasticSigma: Float
    /// Fraction of images whose strokes are thickened or thinned (half each) by one source pixel:
    /// grey dilation or erosion with a 2 × 2 square.
    public var strokeProbability: Float
    /// Ink profile v ↦ v^γ with γ = e^g, g uniform in ±this (the preprocessor's contrast stretch
    /// undoes a plain gain, not a change of profile).
    public var logGamma: Float
    /// Fraction of images binarised at a threshold uniform in 0.3…0.7 of the strongest ink.
    public var binariseProbability: Float
    /// Fraction of images turned into low-resolution binarised copies: the ink box resampled to
    /// 16 px, binarised, half of them stretched to fill the whole 16 × 16 frame, and (independently)
    /// half of them thickened by 1 or 2 px at that resolution.
    public var lowResolutionProbability: Float
    /// Whole-pixel shift of the preprocessed 16 × 16 input by up to this many pixels each way (the
    /// only translation that matters: the preprocessor re-centres the ink box). Formerly `--augment-shift`.
    public var shift: Int

    public init(
        augmentedFraction: Float = 1, rotationDegrees: Float, shear: Float, logAspect: Float,
        elasticProbability: Float, elasticAlpha: Float, elasticSigma: Float,
        strokeProbability: Float, logGamma: Float, binariseProbability: Float,
        lowResolutionProbability: Float, shift: Int
    ) {
        self.augmentedFraction = augmentedFraction
        self.rotationDegrees = rotationDegrees
        self.shear = shear
        self.logAspect = logAspect
        self.elasticProbability = elasticProbability
        self.elasticAlpha = elasticAlpha
        self.elasticSigma = elasticSigma
        self.strokeProbability = strokeProbability
        self.logGamma = logGamma
        self.binariseProbability = binariseProbability
        self.lowResolutionProbability = lowResolutionProbability
        self.shift = shift
    }

    /// The recipe `digits train` uses unless told otherwise (see models/README.md for its measurements).
    public static let standard = AugmentationSettings(
        rotationDegrees: 15, shear: 0.3, logAspect: 0.3,
        elasticProbability: 0.5, elasticAlpha: 34, elasticSigma: 4,
        strokeProbability: 0.4, logGamma: 0.5, binariseProbability: 0.1,
        lowResolutionProbability: 0.15, shift: 1)

    /// Nothing at all: every epoch sees the preprocessed training images as they are.
    public static let none = AugmentationSettings(
        augmentedFraction: 0, rotationDegrees: 0, shear: 0, logAspect: 0, elasticProbability: 0, elasticAlpha: 0, elasticSigma: 4,
        strokeProbability: 0, logGamma: 0, binariseProbability: 0, lowResolutionProbability: 0, shift: 0)

    /// Whether any transform of the source image is switched on (the shift alone is not one).
    public var transformsSource: Bool {
        augmentedFraction > 0
            && (rotationDegrees != 0 || shear != 0 || logAspect != 0 || (elasticProbability > 0 && elasticAlpha > 0)
                || strokeProbability > 0 || logGamma != 0 || binariseProbability > 0 || lowResolutionProbability > 0)
    }

    /// Whether epochs differ at all.
    public var isIdentity: Bool { !transformsSource && shift == 0 }

    /// For people: `none`, or what is on, e.g. `rotation ±15°, shear ±0.3, …, shift ±1`.
    public var summary: String {
        func percent(_ p: Float) -> String { "\(Int((p * 100).rounded()))%" }
        var parts: [String] = []
        guard transformsSource else { return shift > 0 ? "shift ±\(shift)" : "none" }
        if rotationDegrees != 0 { parts.append("rotation ±\(rotationDegrees)°") }
        if shear != 0 { parts.append("shear ±\(shear)") }
        if logAspect != 0 { parts.append("aspect e^±\(logAspect)") }
        if elasticProbability > 0 && elasticAlpha > 0 {
            parts.append("elastic \(percent(elasticProbability)) (α \(elasticAlpha), σ \(elasticSigma))")
        }
        if strokeProbability > 0 { parts.append("stroke width \(percent(strokeProbability))") }
        if logGamma != 0 { parts.append("γ e^±\(logGamma)") }
        if binariseProbability > 0 { parts.append("binarise \(percent(binariseProbability))") }
        if lowResolutionProbability > 0 { parts.append("low-resolution \(percent(lowResolutionProbability))") }
        guard augmentedFraction < 1 else {
            return (parts + (shift > 0 ? ["shift ±\(shift)"] : [])).joined(separator: ", ")
        }
        return "\(percent(augmentedFraction)) of images: " + parts.joined(separator: ", ")
            + (shift > 0 ? "; all: shift ±\(shift)" : "")
    }

    /// Largest shift accepted (the frame is 16 px).
    public static let shiftLimit = 0...4

    /// The first problem with these settings, if any: the one copy of the bounds, used by the
    /// command line and by a resumed checkpoint alike.
    public var problem: String? {
        func probability(_ value: Float, _ name: String) -> String? {
            (0...1).contains(value) ? nil : "\(name) \(value) is outside 0…1"
        }
        if !(0...90).contains(rotationDegrees) { return "rotation \(rotationDegrees)° is outside 0…90" }
        if !(0...1).contains(shear) { return "shear \(shear) is outside 0…1" }
        if !(0...1).contains(logAspect) { return "log aspect \(logAspect) is outside 0…1" }
        if !(0...1).contains(logGamma) { return "log gamma \(logGamma) is outside 0…1" }
        if !(0...100).contains(elasticAlpha) { return "elastic α \(elasticAlpha) is outside 0…100" }
        if !(1...10).contains(elasticSigma) { return "elastic σ \(elasticSigma) is outside 1…10" }
        if let problem = probability(augmentedFraction, "augmented fraction")
            ?? probability(elasticProbability, "elastic probability")
            ?? probability(strokeProbability, "stroke probability")
            ?? probability(binariseProbability, "binarise probability")
            ?? probability(lowResolutionProbability, "low-resolution probability")
        {
            return problem
        }
        if !Self.shiftLimit.contains(shift) { return "shift \(shift) is outside 0…4" }
        return nil
    }
}
