import DigitsCore
import Foundation

/// Training-time augmentation of one image at its source resolution (MNIST 28 × 28, USPS 16 × 16),
/// before the one `Preprocessor` brings it to 16 × 16 — so the network sees distorted *digits*, framed
/// exactly as a user's picture would be, and not distorted 16 × 16 inputs.
///
/// The recipe (issue 8's reference experiments; each step in its own file):
/// 1. affine: rotation, shear and aspect about the ink box's centre (`GrayImage+Warp.swift`);
/// 2. elastic distortion, in the same bilinear pass, for a fraction of the images;
/// 3. stroke-width jitter: ±1 source pixel of width by grey dilation or erosion with a 2 × 2
///    square — what the reference experiment's 3 × 3 square at twice the resolution does, at a
///    quarter of the cost (`GrayImage+Morphology.swift`);
/// 4. contrast: a random γ, and binarisation for a fraction (`GrayImage+Contrast.swift`);
/// 5. a low-resolution binarised copy for a fraction, half of them stretched to fill the frame
///    (`GrayImage+LowResolution.swift`).
/// The whole-pixel shift of the preprocessed input comes after preprocessing (`AugmentedEpochs`).
///
/// Randomness is counter-based: image `index` in epoch `epoch` draws from
/// `Augmenter.generator(seed:epoch:index:)` alone, so its augmented copy does not depend on the order
/// or the thread it is made in, and a resumed run remakes exactly the same epoch.
public struct Augmenter: Sendable {
    public let settings: AugmentationSettings

    public init(settings: AugmentationSettings) {
        self.settings = settings
    }

    /// The generator for one image of one epoch: SplitMix64 seeded by a hash of the three numbers
    /// (each folded in through SplitMix64's own output function).
    public static func generator(seed: UInt64, epoch: Int, index: Int) -> SeededGenerator {
        var mixer = SeededGenerator(seed: seed ^ 0x4155_474D_454E_5421)  // "AUGMENT!"
        var state = mixer.next() ^ UInt64(truncatingIfNeeded: epoch)
        mixer = SeededGenerator(seed: state)
        state = mixer.next() ^ UInt64(truncatingIfNeeded: index)
        mixer = SeededGenerator(seed: state)
        return SeededGenerator(seed: mixer.next())
    }

    /// Digits are this long (ink box, longer side) in MNIST; the settings' lengths are for it.
    static let referenceDigitSize: Float = 20

    /// Below this size a canvas stays on the preprocessor's small-image path (photos start at 48).
    static let largestCanvas = Preprocessor.photoMinimumSide - 1

    /// An augmented copy of `image` (ink high, background 0), or the image itself when it has no ink.
    /// Every choice is drawn first, in a fixed order whatever the settings switch off; the elastic
    /// field's noise comes last.
    public func augment(_ image: GrayImage, generator: inout SeededGenerator) -> GrayImage {
        let s = settings
        // Every draw, in a fixed order.
        let rotation = generator.nextFloat(symmetricLimit: 1) * s.rotationDegrees
        let shear = generator.nextFloat(symmetricLimit: 1) * s.shear
        let logAspect = generator.nextFloat(symmetricLimit: 1) * s.logAspect
        let elastic = generator.nextUnitFloat() < s.elasticProbability && s.elasticAlpha > 0
        let strokeDraw = generator.nextUnitFloat()
        let logGamma = generator.nextFloat(symmetricLimit: 1) * s.logGamma
        let binarise = generator.nextUnitFloat() < s.binariseProbability
        let binariseThreshold = 0.3 + 0.4 * generator.nextUnitFloat()
        let lowResolution = generator.nextUnitFloat() < s.lowResolutionProbability
        let stretch = generator.nextUnitFloat() < 0.5
        let lowResolutionThreshold = 0.3 + 0.4 * generator.nextUnitFloat()
        let lowResolutionThickening = generator.nextUnitFloat()
        let dilate = strokeDraw < s.strokeProbability / 2
        let erode = !dilate && strokeDraw < s.strokeProbability

        let strongest = image.pixels.max() ?? 0
        guard strongest > 0, let box = image.inkBounds(above: 0.1 * strongest) else { return image }
        let (boxWidth, boxHeight) = (Float(box.maxX - box.minX + 1), Float(box.maxY - box.minY + 1))
        let scale = max(boxWidth, boxHeight) / Self.referenceDigitSize
        let forward = AffineTransform.rotation(degrees: rotation)
            .after(.shear(shear)).after(.aspect(log: logAspect))

        // The canvas holds the transformed box, plus room for the elastic displacement.
        let (halfWidth, halfHeight) = (boxWidth / 2, boxHeight / 2)
        let extentX = abs(forward.a) * halfWidth + abs(forward.b) * halfHeight
        let extentY = abs(forward.c) * halfWidth + abs(forward.d) * halfHeight
        let sigma = s.elasticSigma * scale
        let displacementSD = s.elasticAlpha * scale * (1 / 3 as Float).squareRoot() / (2 * Float.pi.squareRoot() * s.elasticSigma)
        let margin: Float = 1 + (elastic ? 2 * displacementSD : 0)
        let limit = min(image.width, image.height) >= Preprocessor.photoMinimumSide ? Int.max : Self.largestCanvas
        // Each side keeps the parity of the box's, so an identity map samples pixel centres exactly
        // instead of blurring everything by half a pixel.
        let width = min(Int(boxWidth) + 2 * max(1, Int((extentX + margin - halfWidth).rounded(.up))), limit)
        let height = min(Int(boxHeight) + 2 * max(1, Int((extentY + margin - halfHeight).rounded(.up))), limit)
        var field: DisplacementField?
        if elastic {
            field = DisplacementField(
                minX: -Float(width) / 2, minY: -Float(height) / 2,
                maxX: Float(width) / 2, maxY: Float(height) / 2,
                alpha: s.elasticAlpha * scale * scale, sigma: sigma, generator: &generator)
        }
        let centre = (x: Float(box.minX) + halfWidth, y: Float(box.minY) + halfHeight)
        var result = image.warped(
            inverse: forward.inverse, sourceCentre: centre, displacement: field,
            width: width, height: height)
        if dilate { result = result.dilated(square: 2) }
        if erode { result = result.eroded(square: 2) }
        if logGamma != 0 { result = result.gammaCorrected(Float(exp(Double(logGamma)))) }
        if binarise { result = result.binarised(relativeThreshold: binariseThreshold) }
        if lowResolution,
            let copy = result.lowResolutionCopy(
                side: PreprocessingSettings.frameSide, stretch: stretch,
                threshold: lowResolutionThreshold)
        {
            // Half of them with fat strokes: 1 px (2 × 2) or 2 px (3 × 3) thicker at 16 px, as a marker
            // or a bilevel scan of one makes them. Without these the network had never seen a thick,
            // frame-filling digit, and read such pictures as "not a digit" (robustness suite).
            result =
                lowResolutionThickening < 0.25
                ? copy.dilated(square: 2) : lowResolutionThickening < 0.5 ? copy.dilated(square: 3) : copy
        }
        return result
    }
}
