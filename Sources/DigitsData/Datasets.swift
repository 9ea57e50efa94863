#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The digit data sets the project knows by name.
public enum DatasetName: String, CaseIterable, Sendable {
    /// 60,000 training and 10,000 test images, 28 × 28, digits in a 20 × 20 box centred by mass.
    case mnist
    /// The USPS ZIP-code digits: 7,291 training and 2,007 test images, 16 × 16, each filling its box.
    case usps
    /// Printed digits from 118 font files of 15 Debian font packages (never the robustness suite's
    /// Liberation, FreeFont or URW faces): 6,000 training and 1,000 test images, 28 × 28, made by
    /// `python3 tools/make-printed-digits.py` (seeded, light ink on black, 20-px box like MNIST).
    case printed
    /// Pictures that are not one digit (letters, symbols, scribbles, blobs, noise, scenes, several
    /// digits), all labelled 10 (`LabeledImages.notADigitLabel`): 14,000 training and 1,000 test,
    /// stored as the 16 × 16 inputs the preprocessor makes of them (light ink on black), made by
    /// `python3 tools/make-nondigit-training.py`. Training with it gives the network an 11th class,
    /// "not a digit".
    case nondigits
    /// MNIST training 1s drawn as many Europeans write them, with a flag (and for some a foot):
    /// 3,000 training and 500 test images, 28 × 28, all labelled 1, made by
    /// `python3 tools/make-style-digits.py` (seeded; the robustness suite's European stand-in is drawn
    /// from MNIST *test* digits by other code).
    case styles

    public func expectedCount(_ split: DatasetSplit) -> Int {
        switch (self, split) {
        case (.mnist, .train): 60_000
        case (.mnist, .test): 10_000
        case (.usps, .train): 7_291
        case (.usps, .test): 2_007
        case (.printed, .train): 6_000
        case (.printed, .test): 1_000
        case (.nondigits, .train): 14_000
        case (.nondigits, .test): 1_000
        case (.styles, .train): 3_000
        case (.styles, .test): 500
        }
    }

    public var imageSide: Int { self == .usps || self == .nondigits ? 16 : 28 }

    /// The labels its files may hold.
    public var labelRange: ClosedRange<Int> {
        self == .nondigits ? LabeledImages.notADigitLabel...LabeledImages.notADigitLabel : 0...9
    }

    /// The standard file names of one split (gzipped IDX).
    public func fileNames(_ split: DatasetSplit) -> (images: String, labels: String) {
        let prefix =
            switch (self, split) {
            case (_, .train): "train"
            case (.mnist, .test): "t10k"
            case (.usps, .test), (.printed, .test), (.nondigits, .test), (.styles, .test): "test"
            }
        return ("\(prefix)-images-idx3-ubyte.gz", "\(prefix)-labels-idx1-ubyte.gz")
    }

    /// What a user runs to get the data set, for the "missing" error.
    public var fetchHint: String {
        switch self {
        case .mnist: "fetch it with `bash tools/fetch-mnist.sh`"
        case .usps: "it ships in shared/data/usps beside the clone; `bash tools/fetch-mnist.sh` links it into data/usps"
        case .printed: "make it with `python3 tools/make-printed-digits.py` (installs the fonts it needs)"
        case .nondigits: "make it with `python3 tools/make-nondigit-training.py` (needs MNIST and the fonts of make-printed-digits.py)"
        case .styles: "make it with `python3 tools/make-style-digits.py` (needs MNIST)"
        }
    }
}

public enum DatasetSplit: String, CaseIterable, Sendable {
    case train
    case test
}

public enum DatasetError: Error, Equatable, Sendable, CustomStringConvertible {
    case missing(name: DatasetName, split: DatasetSplit, searched: [String])
    case unexpectedShape(
        name: DatasetName, split: DatasetSplit, path: String,
        expected: [Int], found: [Int])

    public var description: String {
        switch self {
        case .missing(let name, let split, let searched):
            let files = name.fileNames(split)
            return "\(name.rawValue) \(split.rawValue) set not found: no \(files.images) with \(files.labels) in "
                + searched.joined(separator: ", ") + "; " + name.fetchHint
        case .unexpectedShape(let name, let split, let path, let expected, let found):
            return "\(path): \(name.rawValue) \(split.rawValue) set should be \(shape(expected)) images, is \(shape(found))"
        }
    }

    private func shape(_ sizes: [Int]) -> String { sizes.map(String.init).joined(separator: " × ") }
}

/// Finds and loads the named data sets.
public enum Datasets {
    /// Where `name` is looked for, in order: `$DIGITS_DATA/<name>`, then `<root>/data/<name>` for each
    /// checkout root (``ProjectLocations/checkoutRoots(executable:workingDirectory:)``: the executable's
    /// own checkout, then the working directory and its parents), and for USPS also
    /// `<root>/../shared/data/usps` (CI clones the repository with `shared/` beside it).
    public static func searchDirectories(
        for name: DatasetName,
        dataEnvironment: String? = environment("DIGITS_DATA"),
        repositoryRoots: [String] = ProjectLocations.checkoutRoots()
    ) -> [String] {
        var directories: [String] = []
        if let dataEnvironment, !dataEnvironment.isEmpty { directories.append("\(dataEnvironment)/\(name.rawValue)") }
        for root in repositoryRoots {
            let root = root.hasSuffix("/") ? String(root.dropLast()) : root
            directories.append("\(root)/data/\(name.rawValue)")
            if name == .usps { directories.append("\(root)/../shared/data/usps") }
        }
        return directories
    }

    /// The first directory of `directories` holding both files of the split, if any.
    public static func locate(
        _ name: DatasetName, split: DatasetSplit,
        in directories: [String]
    ) -> (images: String, labels: String)? {
        let files = name.fileNames(split)
        for directory in directories {
            let images = "\(directory)/\(files.images)"
            let labels = "\(directory)/\(files.labels)"
            if access(images, R_OK) == 0 && access(labels, R_OK) == 0 { return (images, labels) }
        }
        return nil
    }

    /// Loads one split of a named data set, checking its shape against the known one.
    public static func load(
        _ name: DatasetName, split: DatasetSplit,
        searchDirectories directories: [String]? = nil
    ) throws -> LabeledImages {
        let directories = directories ?? searchDirectories(for: name)
        guard let paths = locate(name, split: split, in: directories) else {
            throw DatasetError.missing(name: name, split: split, searched: directories)
        }
        let images = try LabeledImages.load(imagesPath: paths.images, labelsPath: paths.labels, labelRange: name.labelRange)
        let expected = [name.expectedCount(split), name.imageSide, name.imageSide]
        let found = [images.count, images.rows, images.columns]
        guard found == expected else {
            throw DatasetError.unexpectedShape(
                name: name, split: split, path: paths.images,
                expected: expected, found: found)
        }
        return images
    }

    public static func environment(_ variable: String) -> String? {
        getenv(variable).map { String(cString: $0) }
    }

    public static func currentDirectory() -> String {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        guard getcwd(&buffer, buffer.count) != nil else { return "." }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
