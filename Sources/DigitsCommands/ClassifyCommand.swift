import ArgumentParser
import DigitsCore
import DigitsData
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
        standard input (at most 256 MiB). A file that cannot be read is reported on stderr, the \
        others are still classified, and the exit status is then 1.

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
    @Argument(help: ArgumentHelp("PNG or JPEG images, folders of them, or - for one image on standard input.",
                                  valueName: "file")) var files: [String]

    public init() {}

    public func validate() throws {
        guard !files.isEmpty else { throw ValidationError("give at least one image file, folder or -") }
        guard files.filter({ $0 == "-" }).count <= 1 else { throw ValidationError("- (standard input) can be given once") }
        guard (1...10).contains(top) else { throw ValidationError("--top must be 1…10") }
    }

    public func run() throws {
        var failures = 0
        try reportingFailures(tool: "digits classify") {
            let (saved, _) = try modelOptions.load()
            let network = try saved.makeNetwork()
            let preprocessor = Preprocessor(settings: saved.preprocessing)
            let (pictures, unlisted) = expandImageArguments(files, tool: "digits classify")  // folders, "-"
            failures += unlisted
            for picture in pictures {
                let file = picture.name
                do {
                    let input = try preprocessor.process(try picture.read())
                    let probabilities = network.probabilities(Matrix(rows: 1, columns: input.count, elements: input)).elements
                    print(json ? jsonLine(file: file, probabilities: probabilities)
                               : textLine(file: file, probabilities: probabilities, labels: saved.classLabels))
                } catch {
                    printError(lineNaming(picture.errorName, error), tool: "digits classify")  // errors name the file
                    failures += 1
                }
            }
        }
        if failures > 0 { throw ExitCode(ExitStatus.failure) }
    }

    private func ranked(_ probabilities: [Float]) -> [Int] {
        probabilities.indices.sorted { probabilities[$0] > probabilities[$1] || (probabilities[$0] == probabilities[$1] && $0 < $1) }
    }

    private func textLine(file: String, probabilities: [Float], labels: [String]) -> String {
        let order = ranked(probabilities)
        func label(_ i: Int) -> String { i < labels.count ? labels[i] : String(i) }
        var line = "\(file): \(label(order[0])) (\(percent(probabilities[order[0]])))"
        if top > 1 {
            line += "  then " + order[1..<top].map { "\(label($0)) \(percent(probabilities[$0]))" }.joined(separator: ", ")
        }
        return line
    }

    private func jsonLine(file: String, probabilities: [Float]) -> String {
        let order = ranked(probabilities)
        var object: [String] = [
            "\"file\": \(JSONWriter.quoted(file))",
            "\"digit\": \(order[0])",
            "\"confidence\": \(jsonNumber(probabilities[order[0]]))",
            "\"probabilities\": [\(probabilities.map(jsonNumber).joined(separator: ", "))]",
        ]
        if top > 1 {
            object.append("\"top\": [\(order[..<top].map { "{\"digit\": \($0), \"probability\": \(jsonNumber(probabilities[$0]))}" }.joined(separator: ", "))]")
        }
        return "{" + object.joined(separator: ", ") + "}"
    }
}

func percent(_ p: Float) -> String { String(format: "%.1f%%", 100 * Double(p)) }

/// Six significant digits: enough for probabilities, short enough to read.
func jsonNumber(_ value: Float) -> String {
    guard value.isFinite else { return "null" }
    return String(format: "%.6g", Double(value))
}
