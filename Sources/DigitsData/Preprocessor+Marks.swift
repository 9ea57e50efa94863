// The shape of the ink, for telling "one digit" from "not a digit" and "several digits".
//
// Found on the same ink image as the 16 × 16 input (steps 1–3, small or photo path), at source
// resolution, before any fitting: pixels above `inkThreshold` (of the stretched scale), grouped into
// 8-connected pieces.

/// What the ink of one picture looks like, in three numbers.
public struct InkMarks: Sendable, Equatable {
    /// Connected pieces holding at least 0.5 % of the ink each (MNIST: 1–3 in 99.9 % of test digits;
    /// noise has dozens, a smiley four).
    public var pieces: Int
    /// Pieces of digit size standing side by side: at least half as tall as the whole ink, at
    /// least 15 % of the largest piece's area, their columns not overlapping ("42" gives 2; a
    /// 5 whose flag is detached gives 1, the flag being above the body, not beside it).
    public var sideBySide: Int
    /// Ink pixels over the area of the ink's box (MNIST: 99.5 % of test digits below 0.84; a
    /// filled blob more, but so is a "1", whose box is its stroke — hence `aspect`).
    public var density: Float
    /// The ink box's shorter side over its longer side.
    public var aspect: Float
    /// Dots: small, roundish pieces directly above or below the largest piece, apart from it, each
    /// at most half its height across — the dot of a "!", "?", "i" or "j". No digit is drawn
    /// with one (a 5's lifted flag is a bar, wider than tall, and stands to the right).
    public var dots: Int

    public init(pieces: Int, sideBySide: Int, density: Float, aspect: Float, dots: Int = 0) {
        self.pieces = pieces
        self.sideBySide = sideBySide
        self.density = density
        self.aspect = aspect
        self.dots = dots
    }
}

extension Preprocessor {
    /// The shape of the image's ink; `PreprocessingError.blankImage` when it has none.
    public func marks(_ image: GrayImage) throws -> InkMarks {
        try settings.validate()
        let (width, height) = (image.width, image.height)
        var ink = [Float](repeating: 0, count: width * height)
        let found = image.pixels.withUnsafeBufferPointer { grey in
            ink.withUnsafeMutableBufferPointer { ink in
                Self.isPhotoSized(width: width, height: height, parameters: settings.photo)
                    ? photoInkImage(grey: grey, width: width, height: height, polarity: settings.polarity, into: ink)
                    : inkImage(grey: grey, width: width, height: height, polarity: settings.polarity, into: ink)
            }
        }
        guard let box = found else { throw PreprocessingError.blankImage(index: nil, threshold: settings.inkThreshold) }
        return ink.withUnsafeBufferPointer { Self.marks(ink: $0, width: width, box: box, threshold: settings.inkThreshold) }
    }

    static func marks(ink: UnsafeBufferPointer<Float>, width: Int, box: InkBox, threshold: Float) -> InkMarks {
        let boxWidth = box.maxX - box.minX + 1
        let boxHeight = box.maxY - box.minY + 1
        let count = boxWidth * boxHeight
        // Each pixel of the box: −2 paper, −1 ink not yet in a piece, else its piece's number. The fill
        // works on buffer pointers with a stack that holds each pixel at most once (this step, with
        // arrays captured by a closure, was 7–8 % of classifying a folder of 1,000 small PNGs, by perf).
        var label = [Int32](repeating: -2, count: count)
        var stack = [Int32](repeating: 0, count: count)
        let (pieces, areas) = label.withUnsafeMutableBufferPointer { label in
            stack.withUnsafeMutableBufferPointer { stack -> ([InkBox], [Int]) in
                for y in 0..<boxHeight {
                    let row = (box.minY + y) * width + box.minX
                    for x in 0..<boxWidth where ink[row + x] > threshold { label[y * boxWidth + x] = -1 }
                }
                var pieces: [InkBox] = []
                var areas: [Int] = []
                for seed in 0..<count where label[seed] == -1 {
                    let index = Int32(pieces.count)
                    var piece = InkBox(minX: boxWidth, minY: boxHeight, maxX: -1, maxY: -1)
                    var area = 0
                    label[seed] = index
                    stack[0] = Int32(seed)
                    var top = 1
                    while top > 0 {
                        top -= 1
                        let pixel = Int(stack[top])
                        let y = pixel / boxWidth
                        let x = pixel - y * boxWidth
                        piece.include(x: x, y: y)
                        area += 1
                        for ny in max(0, y - 1)...min(boxHeight - 1, y + 1) {
                            for nx in max(0, x - 1)...min(boxWidth - 1, x + 1) {
                                let neighbour = ny * boxWidth + nx
                                if label[neighbour] == -1 {
                                    label[neighbour] = index
                                    stack[top] = Int32(neighbour)
                                    top += 1
                                }
                            }
                        }
                    }
                    pieces.append(piece)
                    areas.append(area)
                }
                return (pieces, areas)
            }
        }
        let total = areas.reduce(0, +)
        let largest = areas.max() ?? 0
        let significant = areas.filter { 200 * $0 >= total }.count
        // Digit-sized pieces, left to right; count a chain of ones whose columns do not overlap.
        let digitSized = pieces.indices.filter { index in
            2 * (pieces[index].maxY - pieces[index].minY + 1) >= boxHeight && 100 * areas[index] >= 15 * largest
        }.map { pieces[$0] }.sorted { $0.minX < $1.minX }
        var sideBySide = 0
        var right = -1
        for piece in digitSized where piece.minX > right {
            sideBySide += 1
            right = piece.maxX
        }
        return InkMarks(
            pieces: significant, sideBySide: sideBySide,
            density: Float(total) / Float(boxWidth * boxHeight),
            aspect: Float(min(boxWidth, boxHeight)) / Float(max(boxWidth, boxHeight)),
            dots: dots(pieces: pieces, areas: areas, total: total))
    }

    /// `InkMarks.dots`: pieces of at least 0.5 % of the ink, at most half the largest piece's height
    /// across, at least half as wide as tall (or tall as wide) and filling half their box, wholly
    /// above or below it — more than an eighth of its height away — and in its columns widened by an
    /// eighth of its height on each side (a slanted "!" has its dot where the stroke would go on, just
    /// beside its columns: 8 of seed 3's pen-drawn "!"s were read as 1 without the widening).
    /// The gap and the fill keep a digit's broken-off fragment from counting (one 16 × 16 frame-filling
    /// 7 of the robustness suite, a 3 broken into a hook and a curve).
    private static func dots(pieces: [InkBox], areas: [Int], total: Int) -> Int {
        guard let main = areas.indices.max(by: { areas[$0] < areas[$1] }) else { return 0 }
        let stroke = pieces[main]
        let strokeHeight = stroke.maxY - stroke.minY + 1
        return pieces.indices.filter { index in
            let piece = pieces[index]
            let (width, height) = (piece.maxX - piece.minX + 1, piece.maxY - piece.minY + 1)
            return index != main && 200 * areas[index] >= total
                && 2 * max(width, height) <= strokeHeight && 2 * min(width, height) >= max(width, height)
                && 2 * areas[index] >= width * height
                && max(piece.minY - stroke.maxY, stroke.minY - piece.maxY) > strokeHeight / 8
                && piece.minX <= stroke.maxX + strokeHeight / 8 && piece.maxX >= stroke.minX - strokeHeight / 8
        }.count
    }
}
