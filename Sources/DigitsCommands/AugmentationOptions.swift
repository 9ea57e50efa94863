import ArgumentParser
import DigitsData

/// `digits train`'s augmentation flags: on by default with `AugmentationSettings.standard`,
/// `--no-augment` for none; each knob can be changed on its own.
struct AugmentationOptions: ParsableArguments {
    private static let standard = AugmentationSettings.standard

    @Flag(
        inversion: .prefixedNo,
        help:
            "Augment each training image anew every epoch (affine, elastic, stroke width, contrast, low resolution, shift); --no-augment trains on the images as they are."
    )
    var augment = true

    @Option(
        parsing: .unconditional,
        help: ArgumentHelp(
            "Fraction of the images augmented each epoch (the rest are seen as they are).",
            valueName: "p"))
    var augmentFraction: Float = standard.augmentedFraction
    @Option(parsing: .unconditional, help: ArgumentHelp("Rotation by up to ± this many degrees.", valueName: "degrees"))
    var augmentRotation: Float = standard.rotationDegrees
    @Option(parsing: .unconditional, help: ArgumentHelp("Horizontal shear by up to ± this.", valueName: "s"))
    var augmentShear: Float = standard.shear
    @Option(parsing: .unconditional, help: ArgumentHelp("Aspect ratio times e^a, a up to ± this.", valueName: "a"))
    var augmentAspect: Float = standard.logAspect
    @Option(parsing: .unconditional, help: ArgumentHelp("Fraction of images elastically distorted.", valueName: "p"))
    var augmentElastic: Float = standard.elasticProbability
    @Option(parsing: .unconditional, help: ArgumentHelp("Elastic α (at a 20-px digit).", valueName: "alpha"))
    var augmentElasticAlpha: Float = standard.elasticAlpha
    @Option(parsing: .unconditional, help: ArgumentHelp("Elastic σ in pixels (at a 20-px digit).", valueName: "sigma"))
    var augmentElasticSigma: Float = standard.elasticSigma
    @Option(parsing: .unconditional, help: ArgumentHelp("Fraction of images with thicker or thinner strokes.", valueName: "p"))
    var augmentStroke: Float = standard.strokeProbability
    @Option(parsing: .unconditional, help: ArgumentHelp("Ink profile v^γ with γ = e^g, g up to ± this.", valueName: "g"))
    var augmentGamma: Float = standard.logGamma
    @Option(parsing: .unconditional, help: ArgumentHelp("Fraction of images binarised.", valueName: "p"))
    var augmentBinarise: Float = standard.binariseProbability
    @Option(
        parsing: .unconditional,
        help: ArgumentHelp(
            "Fraction of images made low-resolution, binarised, half stretched to fill the frame.",
            valueName: "p"))
    var augmentLowResolution: Float = standard.lowResolutionProbability
    @Option(
        parsing: .unconditional,
        help: ArgumentHelp(
            "Random shift of each preprocessed 16×16 input by up to this many pixels (0…4; default 1, 0 with --no-augment).",
            valueName: "pixels"))
    var augmentShift: Int?

    /// The settings these flags give; with `--no-augment` only an explicit `--augment-shift` remains.
    func settings() -> AugmentationSettings {
        guard augment else {
            var none = AugmentationSettings.none
            none.shift = augmentShift ?? 0
            return none
        }
        return AugmentationSettings(
            augmentedFraction: augmentFraction, rotationDegrees: augmentRotation, shear: augmentShear, logAspect: augmentAspect,
            elasticProbability: augmentElastic, elasticAlpha: augmentElasticAlpha, elasticSigma: augmentElasticSigma,
            strokeProbability: augmentStroke, logGamma: augmentGamma, binariseProbability: augmentBinarise,
            lowResolutionProbability: augmentLowResolution, shift: augmentShift ?? Self.standard.shift)
    }

    func validate() throws {
        if let problem = settings().problem { throw ValidationError("augmentation: \(problem)") }
    }
}
