import DigitsCore
import Foundation

/// The training inputs of every epoch of a run: each training image augmented at its source
/// resolution (`Augmenter`), preprocessed by the one `Preprocessor`, then shifted by whole pixels.
///
/// Epoch e's matrix is a pure function of (seed, e, the images, the settings): row k is made from
/// `Augmenter.generator(seed:epoch:index: k)` alone. So it is the same whether it is built on one
/// thread or several, now or in the background during epoch e − 1 (`EpochPrefetcher`), and a run
/// resumed from a checkpoint rebuilds exactly the epochs it would have seen.
///
/// An augmented copy that the preprocessor finds blank (all ink eroded or thresholded away) falls
/// back to the unaugmented row, still shifted: deterministic, and training never stops for it.
public final class AugmentedEpochs: Sendable {
    /// One source of training images and the images of it that are training examples, in order.
    public struct Part: Sendable {
        public let images: LabeledImages
        public let indices: [Int]

        public init(images: LabeledImages, indices: [Int]) {
            self.images = images
            self.indices = indices
        }
    }

    public let parts: [Part]
    /// The preprocessed, unaugmented rows: the parts' examples one after another.
    public let clean: Matrix
    public let settings: AugmentationSettings
    public let seed: UInt64
    private let augmenter: Augmenter
    /// The run's preprocessing, for an augmented image (always light ink on 0, whatever the source).
    private let preprocessor: Preprocessor
    /// Where each part's rows start in `clean`, and the ink polarity of its files.
    private let starts: [Int]
    private let darkInk: [Bool]

    public var count: Int { clean.rows }

    public init(
        parts: [Part], clean: Matrix, preprocessing: PreprocessingSettings,
        augmentation: AugmentationSettings, seed: UInt64
    ) {
        precondition(clean.rows == parts.reduce(0) { $0 + $1.indices.count }, "one clean row per training example")
        precondition(clean.columns == Preprocessor.outputCount, "clean rows are preprocessed inputs")
        self.parts = parts
        self.clean = clean
        self.settings = augmentation
        self.seed = seed
        augmenter = Augmenter(settings: augmentation)
        var lightInk = preprocessing
        lightInk.polarity = .lightInk
        preprocessor = Preprocessor(settings: lightInk)
        var starts: [Int] = []
        var start = 0
        for part in parts {
            starts.append(start)
            start += part.indices.count
        }
        self.starts = starts
        darkInk = parts.map { part in
            (preprocessing.polarity == .auto ? part.images.inkPolarity : preprocessing.polarity) == .darkInk
        }
    }

    /// Epoch `epoch`'s `count × 256` inputs, rows in the order of `clean`, built on `threads` threads.
    public func inputs(epoch: Int, threads: Int = 1) -> Matrix {
        var result = clean
        guard !settings.isIdentity else { return result }
        let rows = clean.rows, columns = clean.columns
        let chunks = max(1, min(threads, rows))
        result.elements.withUnsafeMutableBufferPointer { buffer in
            nonisolated(unsafe) let output = buffer
            DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
                let range = (chunk * rows / chunks)..<((chunk + 1) * rows / chunks)
                for row in range {
                    let target = UnsafeMutableBufferPointer(rebasing: output[row * columns..<(row + 1) * columns])
                    fill(row: row, epoch: epoch, into: target)
                }
            }
        }
        return result
    }

    /// Fallbacks to the unaugmented row among `rows` of epoch `epoch` (for tests and diagnostics).
    func fallbackCount(epoch: Int, rows: Range<Int>) -> Int {
        var buffer = [Float](repeating: 0, count: clean.columns)
        return buffer.withUnsafeMutableBufferPointer { target in
            rows.reduce(0) { $0 + (fill(row: $1, epoch: epoch, into: target) ? 0 : 1) }
        }
    }

    /// Writes row `row` of epoch `epoch` into `target` (which holds the clean row on entry);
    /// false when the augmented copy was blank and the clean row was kept.
    @discardableResult
    private func fill(row: Int, epoch: Int, into target: UnsafeMutableBufferPointer<Float>) -> Bool {
        var generator = Augmenter.generator(seed: seed, epoch: epoch, index: row)
        var augmented = true
        // With every image augmented nothing is drawn here, so a fraction of 1 draws as before it existed.
        let chosen = settings.augmentedFraction >= 1 || generator.nextUnitFloat() < settings.augmentedFraction
        if settings.transformsSource && chosen {
            let (partIndex, index) = source(of: row)
            var image = parts[partIndex].images.image(at: index)
            if darkInk[partIndex] { for i in image.pixels.indices { image.pixels[i] = 1 - image.pixels[i] } }
            let copy = augmenter.augment(image, generator: &generator)
            if let processed = try? preprocessor.process(copy) {
                for i in 0..<target.count { target[i] = processed[i] }
            } else {
                augmented = false
                for i in 0..<target.count { target[i] = clean.elements[row * clean.columns + i] }
            }
        }
        if settings.shift > 0 {
            let span = 2 * settings.shift + 1
            let dx = generator.nextIndex(below: span) - settings.shift
            let dy = generator.nextIndex(below: span) - settings.shift
            shiftFrame(target, dx: dx, dy: dy)
        }
        return augmented
    }

    /// The part and the index within its images of training example `row`.
    private func source(of row: Int) -> (part: Int, index: Int) {
        var part = starts.count - 1
        while starts[part] > row { part -= 1 }
        return (part, parts[part].indices[row - starts[part]])
    }
}

/// Moves a 16 × 16 frame by (dx, dy) whole pixels, filling with background (0): small translations
/// are the commonest difference between one person's framing of a digit and another's.
func shiftFrame(_ frame: UnsafeMutableBufferPointer<Float>, dx: Int, dy: Int) {
    let side = PreprocessingSettings.frameSide
    precondition(frame.count == side * side, "shiftFrame: not a \(side) × \(side) frame")
    guard dx != 0 || dy != 0 else { return }
    var moved = [Float](repeating: 0, count: side * side)
    for y in max(0, -dy)..<min(side, side - dy) {
        for x in max(0, -dx)..<min(side, side - dx) { moved[(y + dy) * side + x + dx] = frame[y * side + x] }
    }
    for i in 0..<frame.count { frame[i] = moved[i] }
}
