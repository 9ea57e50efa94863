import ArgumentParser
import DigitsData

extension PreprocessingSettings.Framing: ExpressibleByArgument {}
extension PreprocessingSettings.Centring: ExpressibleByArgument {}
extension PreprocessingSettings.Polarity: ExpressibleByArgument {}

/// How `digits train` turns images into 16×16 inputs. The settings are stored in the model file,
/// and evaluate and classify repeat them from there.
struct PreprocessingOptions: ParsableArguments {
    private static let standard = PreprocessingSettings.standard

    @Option(help: "fit-ink crops to the digit and fits it to the frame; resize-frame scales the whole image.")
    var framing: PreprocessingSettings.Framing = standard.framing
    @Option(help: "Place the fitted digit by its bounding box or its centre of mass.")
    var centring: PreprocessingSettings.Centring = standard.centring
    @Option(help: "Which way the ink runs in the training images (auto decides per image).")
    var polarity: PreprocessingSettings.Polarity = standard.polarity
    @Option(parsing: .unconditional, help: "Side in pixels (1…16) of the square the digit's longer side is fitted to.")
    var targetBox = standard.targetBoxSize
    @Option(parsing: .unconditional, help: "How far above the background (0…1) a pixel must be to count as ink.")
    var inkThreshold: Float = standard.inkThreshold
    @Option(
        parsing: .unconditional,
        help: ArgumentHelp(
            "Thicken strokes thinner than this many output pixels, at source resolution (0: leave strokes as drawn).",
            valueName: "pixels"))
    var strokeWidth: Float = standard.strokeWidth ?? 0
    @Flag(inversion: .prefixedNo, help: "Scale each 16×16 so that its strongest pixel is 1.")
    var renormaliseContrast = standard.renormaliseContrast

    /// The bounds live in `PreprocessingSettings.validate()`, not here: one copy of them.
    func validate() throws {
        do { try settings().validate() } catch { throw ValidationError(error.description) }
    }

    func settings() -> PreprocessingSettings {
        var settings = Self.standard
        settings.framing = framing
        settings.centring = centring
        settings.polarity = polarity
        settings.targetBoxSize = targetBox
        settings.inkThreshold = inkThreshold
        settings.strokeWidth = strokeWidth == 0 ? nil : strokeWidth
        settings.renormaliseContrast = renormaliseContrast
        return settings
    }
}
