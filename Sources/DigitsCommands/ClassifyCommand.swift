import ArgumentParser
import DigitsCore
import DigitsData
import DigitsJSON
import DigitsEvaluation
import DigitsModel
import Foundation

public struct ClassifyCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "classify",
        _superCommandName: "digits",
        abstract: "Name the digit in each image, with its probability.",
        discussion: """
            Each FILE is a PNG (any colour type, bit depth and size) or a JPEG (grey, colour or CMYK, \
            turned upright by its EXIF orientation), told apart by content, not by name; dark ink on \
            light paper or the reverse. It goes through the same preprocessing the model was trained \
            with (recorded in the model file).

            A folder stands for every PNG and JPEG under it (recursive, in sorted order; other files \
            are named on stderr as skipped, hidden ones are not looked at); - reads one image from \
            standard input (at most 256 MiB). A file that cannot be read or has no digit is reported on stderr (and, with --json, as a \
            line {"file": …, "error": …}), the others are still classified, and the exit status is then 1.

            A picture that is not one digit is answered "not a digit" (ink shaped like noise or a blob, \
            or the network less confident than the threshold calibrated on validation when the model \
            was trained), and one holding several digit-sized marks side by side "several digits"; \
            --no-reject always names the most probable digit.

            Examples:
              digits classify Resources/samples/*.png
              digits classify --top 3 my-digit.png phone-photo.jpg
              digits classify scans/
              cat photo.jpg | digits classify -
              digits classify --json --model models/usps.safetensors a.png b.png
            """,
        version: digitsVersion)

    @OptionGroup var modelOptions: ModelOptions

    @Option(parsing: .unconditional, help: "Also list the K most probable digits.") var top = 1
    @Flag(help: "One JSON object per line per file.") var json = false
    @Flag(help: "Never answer \"not a digit\" or \"several digits\": always name the most probable digit.")
    var noReject = false
    @Option(
        parsing: .unconditional,
        help: ArgumentHelp(
            "Refuse pictures read with a confidence below this (default: the model's calibrated threshold, if any).",
            valueName: "p"))
    var rejectConfidence: Float?
    @Argument(
        help: ArgumentHelp(
            "PNG or JPEG images, folders of them, or - for one image on standard input.",
            valueName: "file")) var files: [String]

    public init() {}

    public func validate() throws {
        guard !files.isEmpty else { throw ValidationError("give at least one image file, folder or -") }
        guard files.filter({ $0 == "-" }).count <= 1 else { throw ValidationError("- (standard input) can be given once") }
        guard (1...10).contains(top) else { throw ValidationError("--top must be 1…10") }
        if let rejectConfidence, !(0...1).contains(rejectConfidence) {
            throw ValidationError("--reject-confidence must be in [0, 1]")
        }
    }

    public func run() throws {
        var failures = 0
        try reportingFailures(tool: "digits classify") {
            // One BLAS thread: these products are small, and an idle OpenBLAS worker spins on sched_yield.
            BLASThreads.set(1)
            let (saved, _) = try modelOptions.load()
            let network = try saved.makeNetwork()
            let preprocessor = Preprocessor(settings: saved.preprocessing)
            let rule = RejectionRule(
                minimumConfidence: rejectConfidence
                    ?? saved.provenance.other[RejectionRule.metadataKey].flatMap(Float.init))
            let (pictures, unlisted) = expandImageArguments(files, tool: "digits classify")  // folders, "-"
            failures += unlisted
            for picture in pictures {
                let file = picture.name
                do {
                    let image = try picture.read()
                    let input = try preprocessor.process(image)
                    let probabilities = network.probabilities(Matrix(rows: 1, columns: input.count, elements: input)).elements
                    let verdict = noReject ? .digit : rule.verdict(probabilities: probabilities, marks: try preprocessor.marks(image))
                    let classification = Classification(probabilities: probabilities, verdict: verdict)
                    print(
                        json
                            ? JSONWriter.write(classification.json(file: file, top: top), style: .line)
                            : textLine(file: file, classification: classification, labels: saved.classLabels))
                } catch {
                    // Errors name the file (lineNaming adds it where the preprocessor's error does not).
                    let line = lineNaming(picture.errorName, error)
                    if json {
                        let prefix = picture.errorName + ": "
                        let problem = line.hasPrefix(prefix) ? String(line.dropFirst(prefix.count)) : line
                        print(JSONWriter.write(Classification.errorJSON(file: file, problem: problem), style: .line))
                    }
                    printError(line, tool: "digits classify")
                    failures += 1
                }
            }
        }
        if failures > 0 { throw ExitCode(ExitStatus.failure) }
    }

    private func textLine(file: String, classification: Classification, labels: [String]) -> String {
        let (order, probabilities) = (classification.ranked, classification.probabilities)
        // Labels are text from the model file: shown escaped, so they cannot drive the terminal.
        func label(_ i: Int) -> String { i < labels.count ? JSONWriter.terminalSafe(labels[i]) : String(i) }
        switch classification.verdict {
        case .notADigit: return "\(file): not a digit"
        case .severalDigits: return "\(file): several digits"
        case .digit: break
        }
        var line = "\(file): \(label(order[0])) (\(percent(probabilities[order[0]])))"
        if top > 1 {
            line += "  then " + order[1..<top].map { "\(label($0)) \(percent(probabilities[$0]))" }.joined(separator: ", ")
        }
        return line
    }
}

func percent(_ p: Float) -> String { String(format: "%.1f%%", 100 * Double(p)) }
