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

    /// The images of one split, as stored.
    func images(split: DatasetSplit) throws -> LabeledImages {
        if let dataset {
            return try Datasets.load(dataset, split: split, searchDirectories: searchDirectories)
        } else if let files {
            return try LabeledImages.load(imagesPath: files.images, labelsPath: files.labels)
        } else {
            throw Failure("no data given")
        }
    }

    func examples(split: DatasetSplit, preprocessor: Preprocessor) throws -> Examples {
        let images = try images(split: split)
        return Examples(inputs: try preprocessor.inputs(for: images), labels: images.labels)
    }

    /// The default number of training images held out for validation: 5,000 of MNIST's 60,000
    /// (as LeCun et al. did), 10 % of anything else.
    func defaultValidationCount(of count: Int) -> Int { dataset == .mnist ? 5_000 : count / 10 }
}

import Foundation
