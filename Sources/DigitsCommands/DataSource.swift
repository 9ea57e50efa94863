import Foundation
import DigitsCore
import DigitsData

/// The labelled images a command was pointed at: a named dataset (both splits) or one IDX pair.
struct DataSource {
    let name: String
    private let dataset: DatasetName?
    private let files: (images: String, labels: String)?
    private let searchDirectories: [String]?

    init(dataset: String?, images: String?, labels: String?, dataDirectory: String?) throws {
        if let dataset {
            guard let named = DatasetName(rawValue: dataset) else { throw Failure("unknown dataset \(dataset)") }
            self.dataset = named
            files = nil
            name = named.rawValue
            searchDirectories = dataDirectory.map { ["\($0)/\(named.rawValue)"] }
        } else if let images, let labels {
            self.dataset = nil
            files = (images, labels)
            name = (images as NSString).lastPathComponent
            searchDirectories = nil
        } else {
            throw Failure("no data given: use --dataset, or --images with --labels")
        }
    }

    /// Only named datasets have a separate test split; an IDX pair is all one split.
    var hasTestSplit: Bool { dataset != nil }

    func examples(split: DatasetSplit, preprocessor: Preprocessor) throws -> Examples {
        let images: LabeledImages
        if let dataset {
            images = try Datasets.load(dataset, split: split, searchDirectories: searchDirectories)
        } else if let files {
            images = try LabeledImages.load(imagesPath: files.images, labelsPath: files.labels)
        } else {
            throw Failure("no data given")
        }
        return Examples(inputs: try preprocessor.inputs(for: images), labels: images.labels)
    }
}
