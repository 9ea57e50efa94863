import DigitsCore
import DigitsData
import Foundation

/// A tiny labelled image set that stands in for MNIST in the end-to-end tests: `count` 16×16 images
/// (light ink on black, as in MNIST's IDX files), label `i % 10` for image `i`, ten classes that are
/// easy to tell apart after the preprocessor has cropped and fitted the ink — so each is a *shape*,
/// not a position: ring, vertical bar, horizontal bar, diagonal, anti-diagonal, plus, cross, filled
/// square, L, T. Each image draws its shape in a random box (9…13 px, anywhere on the canvas) with a
/// random ink level, per-pixel jitter, a few dropped ink pixels and faint background noise, all from
/// `SeededGenerator(seed:)`, so the same seed always gives the same files.
struct SyntheticDigits {
    static let side = 16
    let count: Int
    let seed: UInt64

    init(count: Int = 300, seed: UInt64 = 2026) {
        self.count = count
        self.seed = seed
    }

    /// Pixels (count × 16 × 16 bytes, row-major) and labels.
    func make() -> (pixels: [UInt8], labels: [UInt8]) {
        var generator = SeededGenerator(seed: seed)
        var pixels: [UInt8] = []
        pixels.reserveCapacity(count * Self.side * Self.side)
        var labels: [UInt8] = []
        for index in 0..<count {
            let label = index % 10
            labels.append(UInt8(label))
            let box = 9 + generator.nextIndex(below: 5)
            let left = generator.nextIndex(below: Self.side - box + 1)
            let top = generator.nextIndex(below: Self.side - box + 1)
            let ink = 170 + generator.nextIndex(below: 86)
            for y in 0..<Self.side {
                for x in 0..<Self.side {
                    var value = generator.nextIndex(below: 11)  // background noise, well under the ink threshold
                    let (u, v) = (x - left, y - top)
                    if (0..<box).contains(u), (0..<box).contains(v),
                        Self.isInk(label: label, u: u, v: v, box: box),
                        generator.nextIndex(below: 100) >= 3
                    {
                        value = min(255, max(0, ink - 20 + generator.nextIndex(below: 41)))
                    }
                    pixels.append(UInt8(value))
                }
            }
        }
        return (pixels, labels)
    }

    /// Whether pixel (u, v) of a `box`-sided square is ink for this class; strokes are 2 px wide.
    static func isInk(label: Int, u: Int, v: Int, box: Int) -> Bool {
        let last = box - 1
        let middle = box / 2
        let edge = u < 2 || u > last - 2 || v < 2 || v > last - 2
        let vertical = abs(u - middle) <= 1
        let horizontal = abs(v - middle) <= 1
        let diagonal = abs(u - v) <= 1
        let antiDiagonal = abs(u + v - last) <= 1
        switch label {
        case 0: return edge
        case 1: return vertical
        case 2: return horizontal
        case 3: return diagonal
        case 4: return antiDiagonal
        case 5: return vertical || horizontal
        case 6: return diagonal || antiDiagonal
        case 7: return true
        case 8: return u < 2 || v > last - 2
        default: return v < 2 || vertical
        }
    }

    /// The four files written by `write(to:)`.
    struct Files {
        var images: String
        var labels: String
        var rawImages: String
        var rawLabels: String
    }

    /// The names of the files `write(to:)` makes, for tests that check nothing else was written.
    static let fileNames: Set<String> = ["images.idx.gz", "labels.idx.gz", "images.idx", "labels.idx"]

    /// Writes the set as IDX files in `directory`: `images.idx.gz`/`labels.idx.gz` and raw
    /// `images.idx`/`labels.idx` (`fileNames`).
    @discardableResult
    func write(to directory: URL) throws -> Files {
        let (pixels, labels) = make()
        let files = Files(
            images: directory.appendingPathComponent("images.idx.gz").path,
            labels: directory.appendingPathComponent("labels.idx.gz").path,
            rawImages: directory.appendingPathComponent("images.idx").path,
            rawLabels: directory.appendingPathComponent("labels.idx").path)
        let imageArray = IDXArray(dimensions: [count, Self.side, Self.side], elements: .uint8(pixels))
        let labelArray = IDXArray(dimensions: [count], elements: .uint8(labels))
        try IDXWriter.write(imageArray, to: files.images, compressed: true)
        try IDXWriter.write(labelArray, to: files.labels, compressed: true)
        try IDXWriter.write(imageArray, to: files.rawImages)
        try IDXWriter.write(labelArray, to: files.rawLabels)
        return files
    }
}
