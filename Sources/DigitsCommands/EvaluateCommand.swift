import ArgumentParser
import DigitsCore
import DigitsData
import DigitsEvaluation
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
    @Option(help: ArgumentHelp("Also write confusion.png, misclassified.png, per-class.png and report.json here.",
                               valueName: "dir"))
    var report: String?

    public init() {}

    public func validate() throws {
        if data.dataset == nil, data.images == nil {
            throw ValidationError("say what to evaluate on: --dataset mnist|usps, or --images FILE --labels FILE")
        }
        if let dataset = data.dataset, dataset.names.count > 1, report != nil {
            throw ValidationError("--report takes one dataset: run it once for each of \(dataset)")
        }
    }

    public func run() throws {
        try reportingFailures(tool: "digits evaluate") {
            let (saved, modelPath) = try modelOptions.load()
            let network = try saved.makeNetwork()
            // Several datasets (`--dataset mnist,usps`): one report each, in the order given.
            for name in data.dataset.map({ $0.names.map(\.rawValue) }) ?? [nil] {
                try evaluate(network, saved: saved, modelPath: modelPath, dataset: name)
            }
        }
    }

    private func evaluate(_ network: MLP, saved: SavedModel, modelPath: String, dataset: String?) throws {
        let source = try DataSource(dataset: dataset, images: data.images, labels: data.labels,
                                    dataDirectory: data.dataDir)
        let examples = try source.examples(split: split, preprocessor: Preprocessor(settings: saved.preprocessing))
        guard examples.count > 0 else { throw Failure("\(source.name): no images to evaluate") }
        // An IDX pair given by path is one set of images: it has no split to name.
        let setName = source.hasTestSplit ? "\(source.name) \(split.rawValue)" : source.name
        let start = Date()
        let probabilities = network.probabilities(examples.inputs)
        let evaluation = try Evaluation(labels: examples.labels, probabilities: probabilities)
        let seconds = Date().timeIntervalSince(start)
        let context: KeyValuePairs<String, JSONValue> = source.hasTestSplit
            ? ["model": .string(modelPath), "dataset": .string(source.name), "split": .string(split.rawValue)]
            : ["model": .string(modelPath), "dataset": .string(source.name)]
        if json {
            print(try evaluation.confusion.jsonReport(extraFields: context))
        } else {
            print("\(setName): \(examples.count) images, model \(modelPath) "
                  + String(format: "(%.3f s)", seconds))
            print(evaluation.confusion.terminalReport(colour: useColourOnStandardOutput))
        }
        if let report {
            let written: [String]
            do {
                written = try evaluation.writeReport(to: report, images: examples.inputs, extraFields: context)
            } catch let error as NSError where error.domain == NSCocoaErrorDomain || error.domain == NSPOSIXErrorDomain {
                // Foundation's own description is "Error Domain=NSCocoaErrorDomain Code=4 …".
                throw Failure("\(report): cannot write the report: \(fileSystemReason(error))")
            }
            let message = "report: " + written.joined(separator: ", ") + "\n"
            FileHandle.standardError.write(Data(message.utf8))
        }
    }
}

extension DatasetSplit: ExpressibleByArgument {}
