import ArgumentParser
import DigitsCore
import DigitsData
import DigitsEvaluation
import DigitsJSON
import DigitsModel
import DigitsReading

public struct ReadCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "read",
        _superCommandName: "digits",
        abstract: "Read the whole number (a ZIP code, a meter reading) in each image.",
        discussion: """
            Each FILE is read like classify reads one (PNG or JPEG, any polarity, photos of paper \
            included), then cut into digits: pieces of ink side by side are separate digits, a \
            piece over or under another (a 5's flag, a broken stroke) is part of it, specks are \
            dropped, and digits that touch are cut where the model is surest of two digits. Each \
            digit goes through the model's own preprocessing and gets classify's verdict: a mark \
            that is not a digit is shown as ?.

            Output: FILE: NUMBER, then each digit's confidence. Exit status: 0 when every number \
            was read whole; 2 when some mark was refused (a ? in the answer) or no digit was found \
            among the ink; 1 when a file could not be read or holds no ink at all, a blank picture \
            (reported on stderr, and with --json as a line {"file": …, "error": …}; the other files \
            are still read).

            Examples:
              digits read zip-code.png
              digits read --json meter.jpg
              digits read --save-input seen/ number.png   (seen/number.1.input.png, …)
            """,
        version: digitsVersion)

    @OptionGroup var modelOptions: ModelOptions
    @OptionGroup var saveInputOptions: SaveInputOptions

    @Flag(help: "One JSON object per line per file: the number and each digit's box, verdict and probabilities.")
    var json = false
    @Flag(help: "Never refuse a mark: always name its most probable digit.") var noReject = false
    @Option(
        parsing: .unconditional,
        help: ArgumentHelp(
            "Refuse marks read with a confidence below this (default: the model's calibrated threshold, if any).",
            valueName: "p"))
    var rejectConfidence: Float?
    @Argument(
        help: ArgumentHelp(
            "PNG or JPEG images, folders of them, or - for one image on standard input.",
            valueName: "file")) var files: [String]

    public init() {}

    public func validate() throws {
        try validateImageArguments(files)
        if let rejectConfidence, !(0...1).contains(rejectConfidence) {
            throw ValidationError("--reject-confidence must be in [0, 1]")
        }
    }

    /// Exit status when every file was read but some number not whole.
    static let incompleteStatus: Int32 = 2

    public func run() throws {
        var failures = 0
        var incomplete = 0
        let tool = "digits read"
        try reportingFailures(tool: tool) {
            BLASThreads.set(1)  // as classify: small products, and an idle OpenBLAS worker spins
            let (saved, _) = try modelOptions.load()
            let network = try saved.makeNetwork()
            // classify's rule for each whole mark; NumberReader holds the sides of its cuts to the
            // ink-density check as well (a cut blob's halves are dense bars a network reads as 1s).
            var rule = RejectionRule(model: saved, confidence: rejectConfidence)
            // A mark of a number is refused only when "not a digit" is its most probable class: the
            // model's lower bar is calibrated for pictures that may be anything, while a line of
            // digit-sized marks is a number (with classify's bar, read-accuracy --seed 11 lost 1.2
            // points of exact separated strings to marks shown as "?").
            rule.notADigitRatio = 1
            // Nor for a dot: a mark of a number is a digit or a piece cut from one, and a cut piece
            // with a fragment of its neighbour above or below looks dotted (with the dot rule,
            // read-accuracy --seed 12 lost 0.4 points of touching and 0.8 of mixed strings).
            rule.refusesDots = false
            let reader = NumberReader(settings: saved.preprocessing, rule: noReject ? nil : rule) { input in
                network.probabilities(Matrix(rows: 1, columns: input.count, elements: input)).elements
            }
            let saver = try saveInputOptions.makeSaver()
            let (pictures, unlisted) = expandImageArguments(files, tool: tool)
            failures += unlisted
            for picture in pictures {
                do {
                    let reading = try reader.read(try picture.read())
                    let inputs = try saver?.save(reading.digits.map(\.input), for: picture.name, numbered: true)
                    if !reading.isComplete { incomplete += 1 }
                    print(
                        json
                            ? JSONWriter.write(reading.json(file: picture.name, inputs: inputs), style: .line)
                            : textLine(file: picture.name, reading: reading, inputs: inputs))
                } catch {
                    reportPictureFailure(picture, error, json: json, tool: tool)
                    failures += 1
                }
            }
        }
        if failures > 0 { throw ExitCode(ExitStatus.failure) }
        if incomplete > 0 { throw ExitCode(Self.incompleteStatus) }
    }

    /// `FILE: 90210  (9 99.1%, 0 98.0%, ?: not a digit 41.2%, …)`, and where the inputs went.
    private func textLine(file path: String, reading: NumberReading, inputs: [String]?) -> String {
        // A file name can hold control characters (ESC, a line break): shown escaped, like labels.
        let file = JSONWriter.terminalSafe(path)
        guard !reading.digits.isEmpty else { return "\(file): no digit found" }
        let details = reading.digits.map { digit in
            switch digit.verdict {
            case .digit: "\(digit.digit) \(percent(digit.confidence))"
            case .notADigit: "?: not a digit (\(digit.digit) \(percent(digit.confidence)))"
            case .severalDigits: "?: several digits"
            }
        }
        var line = "\(file): \(reading.text)  (\(details.joined(separator: ", ")))"
        if let inputs, let first = inputs.first {
            line += "  inputs: \(JSONWriter.terminalSafe(first))" + (inputs.count > 1 ? " … \(inputs.count) files" : "")
        }
        return line
    }
}
