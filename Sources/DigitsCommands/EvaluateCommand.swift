import ArgumentParser
import DigitsCore
import DigitsData
import DigitsEvaluation
import DigitsIO
import DigitsJSON
import DigitsModel
import Foundation

public struct EvaluateCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "evaluate",
        _superCommandName: "digits",
        abstract: "Measure a model: accuracy, per-class precision/recall/F1 and the confusion matrix.",
        discussion: """
            Images go through the preprocessing recorded in the model file, as in training. With \
            --folder, a picture that cannot be read (or has no ink) is named on stderr and counted as \
            an unreadable mistake, the rest is still evaluated, and the exit status is then 1.

            Examples:
              digits evaluate --dataset mnist
              digits evaluate --dataset usps --report reports/usps
              digits evaluate --images imgs.idx.gz --labels labels.idx.gz --json
              digits evaluate --folder my-digits/   (my-digits/0/*.png … 9/*.jpg)
            """,
        version: digitsVersion)

    @OptionGroup var modelOptions: ModelOptions
    @OptionGroup(title: "Data") var data: DatasetOptions

    @Option(
        help: ArgumentHelp(
            "A folder of labelled PNG/JPEG pictures: DIR/0/… to DIR/9/…, as torchvision's ImageFolder.",
            valueName: "dir"))
    var folder: String?

    @Option(help: "Which split of a named dataset to measure (--images/--labels are one set).")
    var split: DatasetSplit = .test
    @Flag(help: "Print one JSON object instead of the terminal report.") var json = false
    @Flag(help: "Do not count the digits classify would refuse (\"not a digit\", \"several digits\").")
    var noReject = false
    @Option(
        help: ArgumentHelp(
            "Count as refused the digits read with a confidence below this (default: the model's calibrated threshold, if any).",
            valueName: "p"))
    var rejectConfidence: Float?
    @Option(
        help: ArgumentHelp(
            "Also write index.html (an HTML report to explore), confusion.png, misclassified.png, per-class.png and report.json here.",
            valueName: "dir"))
    var report: String?

    public init() {}

    public func validate() throws {
        try requireNonEmptyPaths(["--folder": folder, "--report": report])
        if folder != nil, data.dataset != nil || data.images != nil {
            throw ValidationError("give --folder alone, without --dataset or --images/--labels")
        }
        if data.dataset == nil, data.images == nil, folder == nil {
            throw ValidationError(
                "say what to evaluate on: --dataset \(DatasetName.allCases.map(\.rawValue).joined(separator: "|")), "
                    + "--images FILE --labels FILE, or --folder DIR")
        }
        if let dataset = data.dataset, dataset.names.count > 1, report != nil {
            throw ValidationError("--report takes one dataset: run it once for each of \(dataset)")
        }
    }

    public func run() throws {
        try reportingFailures(tool: "digits evaluate") {
            // One BLAS thread: these products are small, and an idle OpenBLAS worker spins on sched_yield.
            BLASThreads.set(1)
            let (saved, modelPath) = try modelOptions.load()
            let network = try saved.makeNetwork()
            // The report's folder is made before the evaluation, as --save-input's is: one that cannot
            // be (a file, a device, a file on its way) is one line at once, not after the whole report.
            if let report { try FileSet.makeDirectories(report) }
            // Several datasets (`--dataset mnist,usps`): one report each, in the order given.
            for name in data.dataset.map({ $0.names.map(\.rawValue) }) ?? [nil] {
                try evaluate(network, saved: saved, modelPath: modelPath, dataset: name)
            }
        }
    }

    /// A picture read both ways round keeps the reading `digits classify` would keep
    /// (`Classification.bestReading`): its probabilities, its input (for the report) and its marks.
    private func keepSurerReadings(
        of secondReadings: [ImageFolder.SecondReading], in examples: inout Examples, probabilities: inout Matrix,
        network: MLP, rule: RejectionRule
    ) {
        guard !secondReadings.isEmpty, let marks = examples.marks else { return }
        let (columns, classes) = (examples.inputs.columns, probabilities.columns)
        let others = network.probabilities(
            Matrix(rows: secondReadings.count, columns: columns, elements: secondReadings.flatMap(\.input)))
        for (index, second) in secondReadings.enumerated() {
            let row = second.row
            let first = Array(probabilities.elements[row * classes..<(row + 1) * classes])
            let other = Array(others.elements[index * classes..<(index + 1) * classes])
            let (_, chosen) = Classification.bestReading(outputs: [first, other], marks: [marks[row], second.marks], rule: rule)
            guard chosen == 1 else { continue }
            probabilities.elements.replaceSubrange(row * classes..<(row + 1) * classes, with: other)
            examples.inputs.elements.replaceSubrange(row * columns..<(row + 1) * columns, with: second.input)
            examples.marks?[row] = second.marks
        }
    }

    private func evaluate(_ network: MLP, saved: SavedModel, modelPath: String, dataset: String?) throws {
        // A dataset's split, an IDX pair, or a folder of pictures (EvaluationSet.swift).
        let set = try EvaluationSet(
            folder: folder, data: data, dataset: dataset, split: split,
            preprocessor: Preprocessor(settings: saved.preprocessing), marks: !noReject,
            tool: "digits evaluate")
        var (examples, setName) = (set.examples, set.name)
        guard examples.count + examples.unreadable.count > 0 else { throw Failure("\(setName): no images to evaluate") }
        let start = Date()
        var probabilities = network.probabilities(examples.inputs)
        // How many of these digits classify would refuse, by the model's rule.
        let rule = RejectionRule(model: saved, confidence: rejectConfidence)
        keepSurerReadings(of: set.secondReadings, in: &examples, probabilities: &probabilities, network: network, rule: rule)
        if !examples.labels.isEmpty, examples.labels.allSatisfy({ $0 == LabeledImages.notADigitLabel }) {
            try reportRefusals(of: set, probabilities: probabilities, rule: rule, modelPath: modelPath)
            return
        }
        // Accuracy is of the most probable digit (a trained "not a digit" output counts among the refusals).
        let evaluation = try Evaluation(
            labels: examples.labels, probabilities: rule.digitProbabilities(probabilities),
            unreadable: examples.unreadable.count)
        let seconds = Date().timeIntervalSince(start)
        var refused: [Verdict: Int] = [:]
        var refusedRows: [RefusedExample] = []
        if let marks = examples.marks {
            let classes = probabilities.columns
            for row in 0..<probabilities.rows {
                let verdict = rule.verdict(
                    probabilities: Array(probabilities.elements[row * classes..<(row + 1) * classes]),
                    marks: marks[row])
                if verdict != .digit {
                    refused[verdict, default: 0] += 1
                    refusedRows.append(RefusedExample(row: row, verdict: verdict))
                }
            }
        }
        let rejected = refused.values.reduce(0, +)
        let refusedNotADigit = JSONValue.integer(refused[.notADigit] ?? 0)
        let refusedSeveral = JSONValue.integer(refused[.severalDigits] ?? 0)
        let threshold: JSONValue = noReject ? .string("off") : rule.minimumConfidence.map { .double(Double($0)) } ?? .string("none")
        let classBar: JSONValue =
            noReject ? .string("off") : rule.notADigitClass == nil ? .null : .double(Double(rule.notADigitRatio))
        // Refusals are counted where the ink's marks were found (not with --no-reject): null elsewhere.
        let counted = noReject || examples.marks != nil
        let context = set.reportFields(
            model: modelPath, rejected: counted ? .integer(rejected) : .null,
            notADigit: counted ? refusedNotADigit : .null,
            severalDigits: counted ? refusedSeveral : .null, threshold: threshold, classBar: classBar)
        if json {
            print(try evaluation.confusion.jsonReport(extraFields: context))
        } else {
            print(
                "\(setName): \(examples.count + examples.unreadable.count) images, model \(modelPath) "
                    + String(format: "(%.3f s)", seconds))
            // A folder's unreadable pictures are its unusable ones, named on stderr: undecodable or without ink.
            let unreadableReason =
                set.unusable > 0 ? "that could not be used (no ink, or not decodable: named on stderr)" : "with no ink"
            print(evaluation.confusion.terminalReport(colour: useColourOnStandardOutput, unreadableReason: unreadableReason))
            if !noReject {
                print(
                    "\nRefused by classify: \(rejected) of \(examples.count) digits "
                        + String(format: "(%.2f%%)", 100 * Double(rejected) / Double(max(1, examples.count)))
                        + ": \(refused[.notADigit] ?? 0) \"not a digit\" (\(rule.grounds)), "
                        + "\(refused[.severalDigits] ?? 0) \"several digits\"")
            }
        }
        if let report {
            // FileIOError names the file and the problem; the folder is left as it was on failure.
            let page = EvaluationPage(
                title: setName, classLabels: saved.classLabels, exampleNames: set.exampleNames,
                facts: saved.reportFacts(path: modelPath), refused: examples.marks == nil ? nil : refusedRows,
                refusalRule: rule.grounds,
                history: saved.trainingHistory)
            let written = try evaluation.writeReport(to: report, images: examples.inputs, extraFields: context, page: page)
            let message = "report: " + written.joined(separator: ", ") + "\n"
            FileHandle.standardError.write(Data(message.utf8))
        }
        if set.unusable > 0 {
            throw Failure(
                "\(countText(set.unusable, "picture")) could not be used (named above); "
                    + "they count as unreadable mistakes among the \(examples.count + examples.unreadable.count)")
        }
    }
}

extension EvaluateCommand {
    /// A set of pictures that are not digits (`--dataset nondigits`): no digit accuracy to measure,
    /// only how many `classify` refuses (the rest it would read as some digit).
    private func reportRefusals(of set: EvaluationSet, probabilities: Matrix, rule: RejectionRule, modelPath: String) throws {
        guard report == nil else { throw Failure("\(set.name): --report draws digit reports; this set holds no digits") }
        let examples = set.examples
        var refused: [Verdict: Int] = [:]
        let classes = probabilities.columns
        for row in 0..<probabilities.rows {
            let verdict =
                noReject
                ? .digit
                : rule.verdict(
                    probabilities: Array(probabilities.elements[row * classes..<(row + 1) * classes]), marks: examples.marks?[row])
            refused[verdict, default: 0] += 1
        }
        let (notADigit, several) = (refused[.notADigit] ?? 0, refused[.severalDigits] ?? 0)
        let count = examples.count
        if json {
            let object: JSONValue = .object([
                ("count", .integer(count)), ("unreadable", .integer(examples.unreadable.count)),
                ("refused", .integer(notADigit + several)),
                ("refused_share", .double(Double(notADigit + several) / Double(max(1, count)))),
                ("rejected_not_a_digit", .integer(notADigit)), ("rejected_several_digits", .integer(several)),
                ("model", .string(modelPath)), ("set", .string(set.name))
            ])
            print(JSONWriter.write(object))
        } else {
            print("\(set.name): \(count) pictures that are not digits, model \(modelPath)")
            print(
                "Refused by classify: \(notADigit + several) of \(count) "
                    + String(format: "(%.2f%%)", 100 * Double(notADigit + several) / Double(max(1, count)))
                    + ": \(notADigit) \"not a digit\", \(several) \"several digits\""
                    + (examples.unreadable.isEmpty ? "" : "; \(examples.unreadable.count) blank, left out"))
        }
    }
}

extension DatasetSplit: ExpressibleByArgument {}
