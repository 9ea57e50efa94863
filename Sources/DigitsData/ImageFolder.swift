import DigitsCore
import DigitsIO

/// Labelled pictures in the layout torchvision's `ImageFolder` reads: `ROOT/0/…` to `ROOT/9/…`,
/// the digit folder a picture is in (at any depth below it) being its label. PNGs and JPEGs are told
/// by content; anything else, and anything outside a digit folder, is listed as skipped.
public struct ImageFolder: Sendable {
    public let root: String
    /// The pictures and their labels, in sorted path order.
    public var files: [String]
    public var labels: [Int]
    public var skipped: [PictureFolder.Skipped]

    public var count: Int { files.count }

    public init(_ root: String, entryLimit: Int = DirectoryListing.defaultEntryLimit) throws(FileIOError) {
        self.root = root
        let found = try PictureFolder(root, entryLimit: entryLimit)
        let prefix = root.hasSuffix("/") ? root : root + "/"
        files = []
        labels = []
        skipped = found.skipped
        for path in found.pictures {
            let relative = path.dropFirst(prefix.count)
            let parts = relative.split(separator: "/", maxSplits: 1)
            // "0" … "9" exactly: not "٣" (an Arabic-Indic three) nor "10".
            if parts.count == 2, parts[0].count == 1, let name = parts[0].first, name.isASCII, let digit = name.wholeNumberValue {
                files.append(path)
                labels.append(digit)
            } else {
                skipped.append(.init(path: path, reason: "not inside a digit folder (\(prefix)0/ … \(prefix)9/)"))
            }
        }
        skipped.sort { DirectoryListing.precedesByBytes($0.path, $1.path) }
    }

    /// A picture that could not be used, with why (its one-line error).
    public struct Unusable: Sendable {
        public var path: String
        public var error: any Error
    }

    /// Every picture read and preprocessed into one row of `inputs`, with its label. A picture that
    /// cannot be read or preprocessed (corrupt, too large, blank) is left out and returned in
    /// `unusable`, in order, so one bad file does not end an evaluation; `onUnusable` is called as each is met.
    /// With `findingMarks`, also the shape of each kept picture's ink (from the same pass), for the
    /// "not a digit" verdict; otherwise `marks` is nil. With `findingMarks`, a picture is read as
    /// `digits classify` reads it (`Preprocessor.readings(of:)`): its first reading is its row of
    /// `inputs`, and a second one (a picture read both ways round) is in `secondReadings`, for the
    /// caller to keep the surer of the two (`Classification.bestReading`).
    public func inputs(
        preprocessor: Preprocessor, sideLimit: Int = ImageReader.defaultSideLimit, findingMarks: Bool = false,
        onUnusable: (Unusable) -> Void = { _ in }
    )
        -> (
            inputs: Matrix, labels: [Int], files: [String], unusable: [Unusable], marks: [InkMarks]?,
            secondReadings: [SecondReading]
        )
    {
        var elements: [Float] = []
        elements.reserveCapacity(files.count * Preprocessor.outputCount)
        var kept: [Int] = []
        var unusable: [Unusable] = []
        var marks: [InkMarks] = []
        var secondReadings: [SecondReading] = []
        for (index, path) in files.enumerated() {
            do {
                let image = try ImageReader.read(path, sideLimit: sideLimit)
                if findingMarks {
                    let readings = try preprocessor.readings(of: image)
                    elements += readings[0].input
                    marks.append(readings[0].marks)
                    if readings.count > 1 {
                        secondReadings.append(SecondReading(row: kept.count, input: readings[1].input, marks: readings[1].marks))
                    }
                } else {
                    elements += try preprocessor.process(image)
                }
                kept.append(index)
            } catch {
                let problem = Unusable(path: path, error: error)
                unusable.append(problem)
                onUnusable(problem)
            }
        }
        return (
            Matrix(rows: kept.count, columns: Preprocessor.outputCount, elements: elements),
            kept.map { labels[$0] }, kept.map { files[$0] }, unusable, findingMarks ? marks : nil, secondReadings
        )
    }

    /// The other reading of a picture read both ways round: its row in `inputs`, and that reading's
    /// network input and ink marks.
    public struct SecondReading: Sendable {
        public var row: Int
        public var input: [Float]
        public var marks: InkMarks
    }
}
