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
    @Option(parsing: .unconditional, help: "Side in pixels (1…16) of the square the digit's longer side is fitted to.") var targetBox = standard.targetBoxSize
    @Option(parsing: .unconditional, help: "How far above the background (0…1) a pixel must be to count as ink.") var inkThreshold: Float = standard.inkThreshold

    func validate() throws {
        guard (1...PreprocessingSettings.frameSide).contains(targetBox) else {
            throw ValidationError("--target-box must be 1…\(PreprocessingSettings.frameSide)")
        }
        guard inkThreshold >= 0, inkThreshold < 1 else { throw ValidationError("--ink-threshold must be in [0, 1)") }
    }

    func settings() throws -> PreprocessingSettings {
        var settings = Self.standard
        settings.framing = framing
        settings.centring = centring
        settings.polarity = polarity
        settings.targetBoxSize = targetBox
        settings.inkThreshold = inkThreshold
        return settings
    }
}
