import ArgumentParser
import DigitsCore
import DigitsData
import DigitsJSON
import DigitsEvaluation
import DigitsIO
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
            the model's trained "not a digit" class near or above the likeliest digit, or the network less \
            confident than the threshold calibrated on validation when the model was trained), and one \
            holding several digit-sized marks side by side "several digits"; --no-reject always names \
            the most probable digit. A small picture whose ink runs along its border (so that ink and \
            paper cannot be told by the border) is read both ways round, keeping the surer reading.

            Examples:
              digits classify Resources/samples/*.png
              digits classify --top 3 my-digit.png phone-photo.jpg
              digits classify scans/
              cat photo.jpg | digits classify -
              digits classify --json --model models/usps.safetensors a.png b.png
            """,
        version: digitsVersion)

    @OptionGroup var modelOptions: ModelOptions
    @OptionGroup var saveInputOptions: SaveInputOptions

    @Option(
        parsing: .unconditional,
        help: "Also list the K most probable digits (and, for a model with the class, the \"not a digit\" share).")
    var top = 1
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
        try validateImageArguments(files)
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
            let path = try modelOptions.resolvedPath()
            typealias Prepared = [Result<[(input: [Float], marks: InkMarks)], any Error>]
            func prepare(_ chunk: [ImageInput], _ preprocessor: Preprocessor) -> Prepared {
                parallelMap(chunk) { picture in Result { try preprocessor.readings(of: try picture.read()) } }
            }
            // When no argument is a folder, the first pictures are read and prepared while the weights
            // load, with the settings from the model file's header: for one photo that hides most of
            // the loading. Nothing is printed before the model has loaded, as when done one after the
            // other (a folder's skipped files are, so folders keep that order); a model that fails to
            // load fails the same way; and should the settings not be the loaded model's (the file
            // changed in between), the pictures are prepared again.
            let early =
                files.contains(where: DirectoryListing.isDirectory) ? nil : try? SavedModel.preprocessingSettings(from: path)
            let saved: SavedModel
            let network: MLP
            let pictures: [ImageInput]
            var earlyPrepared: Prepared?
            if let early {
                let listed = expandImageArguments(files, tool: "digits classify")  // files and "-": nothing printed
                pictures = listed.inputs
                failures += listed.failures
                let (loaded, first) = concurrently(
                    {
                        Result { () throws -> (SavedModel, MLP) in
                            let model = try ModelOptions.load(from: path)
                            return (model, try model.makeNetwork())
                        }
                    },
                    { prepare(Array(pictures.prefix(Self.chunkSize)), Preprocessor(settings: early)) })
                let model = try loaded.get()
                saved = model.0
                network = model.1
                if saved.preprocessing == early { earlyPrepared = first }
            } else {
                saved = try ModelOptions.load(from: path)
                network = try saved.makeNetwork()
                let listed = expandImageArguments(files, tool: "digits classify")  // folders, "-"
                pictures = listed.inputs
                failures += listed.failures
            }
            let preprocessor = Preprocessor(settings: saved.preprocessing)
            let rule = RejectionRule(model: saved, confidence: rejectConfidence)
            let saver = try saveInputOptions.makeSaver()
            // A chunk at a time: pictures are read and preprocessed in parallel (each on its own, so
            // every number is as if one by one), then go through the network as one batch — OpenBLAS
            // packs the weights once per product, which for a single picture costs more than the product.
            // While a chunk goes through the network, the next one is being read and preprocessed
            // (the same batches and the same output, in the same order).
            let chunks = stride(from: 0, to: pictures.count, by: Self.chunkSize).map {
                Array(pictures[$0..<min(pictures.count, $0 + Self.chunkSize)])
            }
            var next = earlyPrepared ?? chunks.first.map { prepare($0, preprocessor) } ?? []
            for (index, chunk) in chunks.enumerated() {
                let prepared = next
                let inputs = prepared.flatMap { (try? $0.get()) ?? [] }.map(\.input)
                let forward = {
                    network.probabilities(
                        Matrix(rows: inputs.count, columns: Preprocessor.outputCount, elements: inputs.flatMap { $0 }))
                }
                let batch: Matrix
                if index + 1 < chunks.count {
                    let (following, probabilities) = concurrently({ prepare(chunks[index + 1], preprocessor) }, forward)
                    next = following
                    batch = probabilities
                } else {
                    batch = forward()
                }
                let classes = batch.columns
                var row = 0
                for (picture, outcome) in zip(chunk, prepared) {
                    let file = picture.name
                    // Of a picture read both ways round, the reading with the more probable digit.
                    let chosen = outcome.map { readings -> (classification: Classification, input: [Float]) in
                        let outputs = readings.indices.map { k in
                            Array(batch.elements[(row + k) * classes..<(row + k + 1) * classes])
                        }
                        row += readings.count
                        let (classification, best) = Classification.bestReading(
                            outputs: outputs, marks: readings.map(\.marks), rule: rule, rejecting: !noReject)
                        return (classification, readings[best].input)
                    }
                    // --save-input: the 16 × 16 beside the answer; a failed write fails this file.
                    let saving = chosen.flatMap { reading in
                        Result { try saver?.save([reading.input], for: file, numbered: false).first }
                    }
                    switch (chosen, saving) {
                    case (.success(let reading), .success(let savedInput)):
                        // The answer is always a digit (or a refusal): a model's "not a digit" output is shown apart.
                        print(
                            json
                                ? jsonLine(file: file, classification: reading.classification, savedInput: savedInput)
                                : textLine(file: file, classification: reading.classification, labels: saved.classLabels)
                                    + (savedInput.map { "  input: \(JSONWriter.terminalSafe($0))" } ?? ""))
                    case (.success, .failure(let error)), (.failure(let error), _):
                        reportPictureFailure(picture, error, json: json, tool: "digits classify")
                        failures += 1
                    }
                }
            }
        }
        if failures > 0 { throw ExitCode(ExitStatus.failure) }
    }

    /// Pictures per batch: enough to amortise the weight packing. Memory stays small whatever the
    /// pictures' size: each decoded picture is dropped once preprocessed, and a chunk keeps only
    /// its 256 × 256 inputs.
    static let chunkSize = 256

    private func textLine(file path: String, classification: Classification, labels: [String]) -> String {
        // A file name can hold control characters too (ESC, a line break): shown escaped, like labels.
        let file = JSONWriter.terminalSafe(path)
        let (order, probabilities, verdict) = (classification.ranked, classification.probabilities, classification.verdict)
        // Labels are text from the model file: shown escaped, so they cannot drive the terminal.
        func label(_ i: Int) -> String { i < labels.count ? JSONWriter.terminalSafe(labels[i]) : String(i) }
        switch verdict {
        case .notADigit: return "\(file): not a digit"
        case .severalDigits: return "\(file): several digits"
        case .digit: break
        }
        var line = "\(file): \(label(order[0])) (\(percent(probabilities[order[0]])))"
        if top > 1 {
            line += "  then " + order[1..<top].map { "\(label($0)) \(percent(probabilities[$0]))" }.joined(separator: ", ")
            // The trained class's share too, or the digits' shares seem not to add up (a printed A:
            // 4 66.5 %, then 9 0.6 % — and "not a digit" 32 %, under the bar, unseen).
            if let notADigit = classification.notADigit { line += "; not a digit \(percent(notADigit))" }
        }
        return line
    }

    /// classify --json's object (built by `Classification`, as `digits serve` answers it), with the
    /// path of the saved 16 × 16 input when --save-input wrote one.
    private func jsonLine(file: String, classification: Classification, savedInput: String?) -> String {
        var object = classification.json(file: file, top: top)
        if let savedInput { object = object.setting("input", to: .string(savedInput)) }
        return JSONWriter.write(object, style: .line)
    }
}

/// `p` as a percentage with one decimal: the text `String(format: "%.1f%%", 100 * Double(p))` gives,
/// without Foundation's formatter (its first use was a measurable part of one classify process).
/// 100·p and then ×10 are exact in a `Double` (24 + 7 + 4 bits), so rounding that to an integer,
/// halves to even, is printf's rounding of the exact value.
func percent(_ p: Float) -> String {
    let tenths = 1000 * Double(p)
    guard tenths.isFinite, abs(tenths) < 1e15 else { return String(format: "%.1f%%", 100 * Double(p)) }
    let rounded = Int(tenths.rounded(.toNearestOrEven))
    let sign = rounded < 0 || (rounded == 0 && tenths.sign == .minus) ? "-" : ""
    return "\(sign)\(abs(rounded) / 10).\(abs(rounded) % 10)%"
}
