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

    /// The images of one split, as stored, and the file they came from (to name it in messages).
    func images(split: DatasetSplit) throws -> LabeledImages {
        try imagesAndPath(split: split).images
    }

    func imagesAndPath(split: DatasetSplit) throws -> (images: LabeledImages, path: String) {
        if let dataset {
            let directories = searchDirectories ?? Datasets.searchDirectories(for: dataset)
            let images = try Datasets.load(dataset, split: split, searchDirectories: directories)
            return (images, Datasets.locate(dataset, split: split, in: directories)?.images ?? "\(dataset.rawValue) \(split.rawValue)")
        } else if let files {
            return (try LabeledImages.load(imagesPath: files.images, labelsPath: files.labels), files.images)
        } else {
            throw Failure("no data given")
        }
    }

    /// The split's images, preprocessed. Images with no ink are kept out of `inputs` and listed in
    /// `unreadable`; the command decides what they mean.
    /// With `marks`, also the shape of each kept image's ink (for the "not a digit" count).
    func examples(split: DatasetSplit, preprocessor: Preprocessor, marks: Bool = false) throws -> Examples {
        let (images, path) = try imagesAndPath(split: split)
        let processed = try preprocessor.processed(images)
        let blank = Set(processed.blank)
        var examples = Examples(inputs: processed.inputs, labels: images.labels)
        if !blank.isEmpty {
            examples = examples.subset(images.labels.indices.filter { !blank.contains($0) })
        }
        examples.unreadable = processed.blank
        if marks {
            var polarityKnown = preprocessor.settings
            if polarityKnown.polarity == .auto { polarityKnown.polarity = images.inkPolarity }
            let marker = Preprocessor(settings: polarityKnown)
            examples.marks = try images.labels.indices.filter { !blank.contains($0) }.map { try marker.marks(images.image(at: $0)) }
        }
        examples.path = path
        return examples
    }

    /// The default number of training images held out for validation: 5,000 of MNIST's 60,000
    /// (as LeCun et al. did), 10 % of anything else.
    func defaultValidationCount(of count: Int) -> Int { dataset == .mnist ? 5_000 : count / 10 }
}
