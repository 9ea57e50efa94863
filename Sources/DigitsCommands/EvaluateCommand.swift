import ArgumentParser
import DigitsCore
import DigitsData
import DigitsEvaluation
import DigitsJSON
import DigitsModel
import Foundation

public struct EvaluateCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "evaluate",
        _superCommandName: "digits",
        abstract: "Measure a model: accuracy, per-class precision/recall/F1 and the confusion matrix.",
        discussion: """
        Images go through the preprocessing recorded in the model file, as in training.

        Examples:
          digits evaluate --dataset mnist
          digits evaluate --dataset usps --report reports/usps
          digits evaluate --images imgs.idx.gz --labels labels.idx.gz --json
        """,
        version: digitsVersion)

    @OptionGroup var modelOptions: ModelOptions
    @OptionGroup(title: "Data") var data: DatasetOptions

    @Option(help: "Which split of a named dataset to measure (--images/--labels are one set).")
    var split: DatasetSplit = .test
    @Flag(help: "Print one JSON object instead of the terminal report.") var json = false
    @Flag(help: "Do not count the digits classify would refuse (\"not a digit\", \"several digits\").")
    var noReject = false
    @Option(help: ArgumentHelp("Count as refused the digits read with a confidence below this (default: the model's calibrated threshold, if any).",
                               valueName: "p"))
    var rejectConfidence: Float?
    @Option(help: ArgumentHelp("Also write confusion.png, misclassified.png, per-class.png and report.json here.",
                               valueName: "dir"))
    var report: String?

    public init() {}

    public func validate() throws {
        if data.dataset == nil, data.images == nil {
            throw ValidationError("say what to evaluate on: --dataset mnist|usps, or --images FILE --labels FILE")
        }
    }

    public func run() throws {
        try reportingFailures(tool: "digits evaluate") {
            let (saved, modelPath) = try modelOptions.load()
            let network = try saved.makeNetwork()
            let source = try DataSource(dataset: data.dataset?.rawValue, images: data.images, labels: data.labels,
                                        dataDirectory: data.dataDir)
            let examples = try source.examples(split: split, preprocessor: Preprocessor(settings: saved.preprocessing),
                                               marks: !noReject)
            guard examples.count + examples.unreadable.count > 0 else { throw Failure("\(source.name): no images to evaluate") }
            // An IDX pair given by path is one set of images: it has no split to name.
            let setName = source.hasTestSplit ? "\(source.name) \(split.rawValue)" : source.name
            let start = Date()
            let probabilities = network.probabilities(examples.inputs)
            let evaluation = try Evaluation(labels: examples.labels, probabilities: probabilities,
                                            unreadable: examples.unreadable.count)
            let seconds = Date().timeIntervalSince(start)
            // How many of these digits classify would refuse, by the model's rule.
            let rule = RejectionRule(minimumConfidence: rejectConfidence
                                     ?? saved.provenance.other[RejectionRule.metadataKey].flatMap(Float.init))
            var refused: [Verdict: Int] = [:]
            if let marks = examples.marks {
                let classes = probabilities.columns
                for row in 0..<probabilities.rows {
                    let verdict = rule.verdict(probabilities: Array(probabilities.elements[row * classes ..< (row + 1) * classes]),
                                               marks: marks[row])
                    if verdict != .digit { refused[verdict, default: 0] += 1 }
                }
            }
            let rejected = refused.values.reduce(0, +)
            let refusedNotADigit = JSONValue.integer(refused[.notADigit] ?? 0)
            let refusedSeveral = JSONValue.integer(refused[.severalDigits] ?? 0)
            let threshold: JSONValue = noReject ? .string("off") : rule.minimumConfidence.map { .double(Double($0)) } ?? .string("none")
            let context: KeyValuePairs<String, JSONValue> = source.hasTestSplit
                ? ["model": .string(modelPath), "dataset": .string(source.name), "split": .string(split.rawValue),
                   "rejected": .integer(rejected), "rejected_not_a_digit": refusedNotADigit,
                   "rejected_several_digits": refusedSeveral, "reject_confidence": threshold]
                : ["model": .string(modelPath), "dataset": .string(source.name),
                   "rejected": .integer(rejected), "rejected_not_a_digit": refusedNotADigit,
                   "rejected_several_digits": refusedSeveral, "reject_confidence": threshold]
            if json {
                print(try evaluation.confusion.jsonReport(extraFields: context))
            } else {
                print("\(setName): \(examples.count + examples.unreadable.count) images, model \(modelPath) "
                      + String(format: "(%.3f s)", seconds))
                print(evaluation.confusion.terminalReport(colour: useColourOnStandardOutput))
                if !noReject {
                    let threshold = rule.minimumConfidence.map { String(format: "confidence below %.4f, ", Double($0)) } ?? ""
                    print("\nRefused by classify: \(rejected) of \(examples.count) digits "
                          + String(format: "(%.2f%%)", 100 * Double(rejected) / Double(max(1, examples.count)))
                          + ": \(refused[.notADigit] ?? 0) \"not a digit\" (\(threshold)ink shape), "
                          + "\(refused[.severalDigits] ?? 0) \"several digits\"")
                }
            }
            if let report {
                // FileIOError names the file and the problem; the folder is left as it was on failure.
                let written = try evaluation.writeReport(to: report, images: examples.inputs, extraFields: context)
                let message = "report: " + written.joined(separator: ", ") + "\n"
                FileHandle.standardError.write(Data(message.utf8))
            }
        }
    }
}

extension DatasetSplit: ExpressibleByArgument {}
