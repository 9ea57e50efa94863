import Foundation
import ArgumentParser
import DigitsCore
import DigitsData

extension Activation: ExpressibleByArgument {}
extension LossFunction: ExpressibleByArgument {}
extension LearningRateSchedule: ExpressibleByArgument {}

/// An empty path is a usage error, named by its option: joined with a file name it would mean the root
/// folder (`--data-dir ""` looked for `/usps`), and opened it was reported as ": No such file".
func requireNonEmptyPaths(_ paths: KeyValuePairs<String, String?>) throws {
    for case let (option, value?) in paths where value.isEmpty {
        throw ValidationError("\(option) is an empty path: name a file or folder")
    }
}

/// Hidden layer sizes written as a comma list: `128` or `512,256`.
struct HiddenLayers: ExpressibleByArgument, CustomStringConvertible {
    var sizes: [Int]
    init?(argument: String) {
        let parts = argument.split(separator: ",", omittingEmptySubsequences: false)
        let sizes = parts.compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard sizes.count == parts.count, sizes.allSatisfy({ (1...65_536).contains($0) }) else { return nil }
        self.sizes = sizes
    }
    init(_ sizes: [Int]) { self.sizes = sizes }
    var description: String { sizes.map(String.init).joined(separator: ",") }
    static var defaultValueDescription: String { "512,256" }
}

/// Where labelled images come from: a named dataset, or an IDX image file with its label file.
struct DatasetOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "A named dataset (its train split for training, test split for evaluation), or "
                + "several comma-separated (mnist,usps): train concatenates them, evaluate reports each.",
            valueName: "name"))
    var dataset: DatasetList?

    @Option(help: ArgumentHelp("An IDX image file (raw or gzipped), with --labels.", valueName: "file"))
    var images: String?

    @Option(help: ArgumentHelp("An IDX label file (raw or gzipped), with --images.", valueName: "file"))
    var labels: String?

    @Option(
        help: ArgumentHelp(
            "Folder holding the datasets (default: $DIGITS_DATA, else data/ of the checkout the executable was "
                + "built in, of the working directory or of a parent).",
            valueName: "dir"))
    var dataDir: String?

    func validate() throws {
        try requireNonEmptyPaths(["--images": images, "--labels": labels, "--data-dir": dataDir])
        switch (dataset, images, labels) {
        case (.some, nil, nil), (nil, .some, .some): break
        case (.some, _, _): throw ValidationError("give either --dataset or --images with --labels, not both")
        case (nil, .some, nil): throw ValidationError("--images needs --labels")
        case (nil, nil, .some): throw ValidationError("--labels needs --images")
        case (nil, nil, nil): break  // the command decides its default
        }
    }

    /// A short name for reports and provenance.
    var sourceDescription: String {
        if let dataset { return dataset.description }
        return images.map { ($0 as NSString).lastPathComponent } ?? "?"
    }
}

extension DatasetName: ExpressibleByArgument {}

/// One named dataset or several, comma-separated: `mnist`, `mnist,usps` (each at most once).
struct DatasetList: ExpressibleByArgument, CustomStringConvertible, Equatable {
    var names: [DatasetName]

    init?(argument: String) {
        let parts = argument.split(separator: ",", omittingEmptySubsequences: false)
        let names = parts.compactMap { DatasetName(rawValue: $0.trimmingCharacters(in: .whitespaces)) }
        guard !names.isEmpty, names.count == parts.count, Set(names).count == names.count else { return nil }
        self.names = names
    }

    var description: String { names.map(\.rawValue).joined(separator: ",") }
    static var allValueStrings: [String] { DatasetName.allCases.map(\.rawValue) }
}
