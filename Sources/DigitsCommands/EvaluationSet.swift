import DigitsData
import DigitsEvaluation
import DigitsJSON
import Foundation

/// What `digits evaluate` measures: a named dataset's split, an IDX pair, or a folder in the
/// ImageFolder layout (`DIR/0/… DIR/9/…`), each as preprocessed examples with the names the reports use.
struct EvaluationSet {
    var examples: Examples
    /// The report header's name: "mnist test", "imgs.idx", "digits-folder/".
    var name: String
    private var kind: Kind
    /// Pictures of a folder that could not be read or preprocessed, named on stderr as they were met.
    var unusable = 0
    /// Where each example (row of `examples`) came from, for the HTML report: `#index` in the data
    /// set's file (images without ink are left out of the rows, not of the numbering), or a file's path.
    var exampleNames: [String]
    /// Pictures of a folder read both ways round (as `digits classify` reads them): their other reading.
    var secondReadings: [ImageFolder.SecondReading] = []

    private enum Kind {
        case dataset(name: String, split: DatasetSplit)
        case idx(name: String)
        case folder(path: String)
    }

    /// From the command's options: `--folder DIR`, else the dataset or IDX pair (`DataSource`).
    /// `marks`: also find the ink's marks of each image, for the "not a digit" count.
    /// `dataset`: the one named dataset of `data` measured now (`--dataset mnist,usps` gives one set each).
    init(
        folder: String?, data: DatasetOptions, dataset: String?, split: DatasetSplit, preprocessor: Preprocessor,
        marks: Bool = false, tool: String
    ) throws {
        if let folder {
            try self.init(folder: folder, preprocessor: preprocessor, marks: marks, tool: tool)
            return
        }
        let source = try DataSource(
            dataset: dataset, images: data.images, labels: data.labels,
            dataDirectory: data.dataDir)
        let examples = try source.examples(split: split, preprocessor: preprocessor, marks: marks)
        // An IDX pair given by path is one set of images: it has no split to name.
        let blank = Set(examples.unreadable)
        let names = (0..<(examples.count + blank.count)).filter { !blank.contains($0) }.map { "#\($0)" }
        if source.hasTestSplit {
            self.init(
                examples: examples, name: "\(source.name) \(split.rawValue)", kind: .dataset(name: source.name, split: split),
                exampleNames: names)
        } else {
            self.init(examples: examples, name: source.name, kind: .idx(name: source.name), exampleNames: names)
        }
    }

    private init(examples: Examples, name: String, kind: Kind, exampleNames: [String]) {
        self.examples = examples
        self.name = name
        self.kind = kind
        self.exampleNames = exampleNames
    }

    /// Every picture under `DIR/0/` … `DIR/9/`. Other files are named on stderr as skipped; a picture
    /// that cannot be read or preprocessed is named on stderr as an error, left out and counted in
    /// `unusable`, and the evaluation goes on with the rest.
    init(folder: String, preprocessor: Preprocessor, marks: Bool = false, tool: String) throws {
        let found = try ImageFolder(folder)
        reportSkipped(found.skipped, tool: tool)
        let read = found.inputs(preprocessor: preprocessor, findingMarks: marks) { problem in
            printError(lineNaming(problem.path, problem.error), tool: tool)
        }
        examples = Examples(inputs: read.inputs, labels: read.labels)
        examples.marks = read.marks
        secondReadings = read.secondReadings
        // Unusable pictures count as unreadable mistakes, as blank images of a dataset do; their
        // positions in the folder's listing are what `unreadable` holds.
        examples.unreadable = Array(0..<read.unusable.count)
        unusable = read.unusable.count
        exampleNames = read.files
        name = folder
        kind = .folder(path: folder)
        if found.count == 0 {
            throw Failure("\(folder): no PNG or JPEG pictures in digit folders \(folder.hasSuffix("/") ? folder : folder + "/")0/ … 9/")
        }
    }

    /// The extra fields of the JSON report (after accuracy, count, unreadable, confusion and per-class
    /// metrics): where the images came from, then how many `classify` would refuse (null when not counted),
    /// its confidence threshold and the bar of the model's trained "not a digit" class (null without one).
    func reportFields(
        model: String, rejected: JSONValue, notADigit: JSONValue, severalDigits: JSONValue,
        threshold: JSONValue, classBar: JSONValue
    ) -> KeyValuePairs<String, JSONValue> {
        switch kind {
        case .dataset(let dataset, let split):
            [
                "model": .string(model), "dataset": .string(dataset), "split": .string(split.rawValue),
                "rejected": rejected, "rejected_not_a_digit": notADigit, "rejected_several_digits": severalDigits,
                "reject_confidence": threshold, "reject_not_a_digit_ratio": classBar
            ]
        case .idx(let dataset):
            [
                "model": .string(model), "dataset": .string(dataset),
                "rejected": rejected, "rejected_not_a_digit": notADigit, "rejected_several_digits": severalDigits,
                "reject_confidence": threshold, "reject_not_a_digit_ratio": classBar
            ]
        case .folder(let path):
            [
                "model": .string(model), "folder": .string(path),
                "rejected": rejected, "rejected_not_a_digit": notADigit, "rejected_several_digits": severalDigits,
                "reject_confidence": threshold, "reject_not_a_digit_ratio": classBar
            ]
        }
    }
}
