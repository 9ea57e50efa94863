import DigitsCore
import Testing
@testable import DigitsData

@Suite("The ink's marks")
struct InkMarksTests {
    static func image(_ isInk: (Int, Int) -> Bool) -> GrayImage {
        GrayImage(width: 30, height: 30, pixels: (0..<900).map { isInk($0 % 30, $0 / 30) ? 1 : 0 })
    }
    let lightInk = Preprocessor(settings: with(\.polarity, .lightInk))

    @Test func countsPiecesSideBySideAndDensity() throws {
        // A 7: one piece; its box 20 × 20 holds 20·3 + 17·3 = 111 ink pixels → density 0.2775.
        let seven = try lightInk.marks(
            Self.image { x, y in
                ((5...24).contains(x) && (5...7).contains(y)) || ((22...24).contains(x) && (8...24).contains(y))
            })
        #expect(seven == InkMarks(pieces: 1, sideBySide: 1, density: 0.2775, aspect: 1))
        // "11": two bars side by side, 3 × 20 each, 10 columns apart.
        let eleven = try lightInk.marks(Self.image { x, y in (5...24).contains(y) && ((8...10).contains(x) || (20...22).contains(x)) })
        #expect(eleven.pieces == 2 && eleven.sideBySide == 2)
        // A 5's flag apart from its body, *above* it: two pieces, but not side by side.
        let five = try lightInk.marks(
            Self.image { x, y in
                ((10...20).contains(x) && (4...6).contains(y)) || ((8...22).contains(x) && (10...25).contains(y) && (x < 11 || y > 22))
            })
        #expect(five.pieces == 2 && five.sideBySide == 1)
        // Dots on a grid: 64 pieces of 1/64 of the ink each.
        #expect(try lightInk.marks(Self.image { x, y in x % 4 == 0 && y % 4 == 0 }).pieces > 20)
        #expect(throws: PreprocessingError.self) { try lightInk.marks(Self.image { _, _ in false }) }
    }

    /// A dot apart from the stroke, above or below it and in its columns, small, roundish and filled:
    /// "!", "i"; not a 5's flag (a bar), not a hook broken off a stroke (it fills little of its box),
    /// not a fragment just under the stroke, not a dot off to the side.
    @Test func findsTheDotOfAnExclamationMark() throws {
        let stroke = { (x: Int, y: Int) in (13...15).contains(x) && (3...20).contains(y) }
        let dot = { (x: Int, y: Int) in (13...16).contains(x) && (24...27).contains(y) }
        #expect(try lightInk.marks(Self.image { stroke($0, $1) || dot($0, $1) }).dots == 1)  // "!"
        #expect(try lightInk.marks(Self.image { stroke($0, $1 - 6) || dot($0, $1 + 21) }).dots == 1)  // "i": dot above
        #expect(try lightInk.marks(Self.image { stroke($0, $1) }).dots == 0)  // "1"
        #expect(try lightInk.marks(Self.image { stroke($0, $1) || dot($0 - 10, $1) }).dots == 0)  // beside, not below
        // A slanted "!": the dot just right of the stroke's columns, within an eighth of its height.
        #expect(try lightInk.marks(Self.image { stroke($0, $1) || dot($0 - 4, $1) }).dots == 1)
        // Two rows under an 18-row stroke (not more than an eighth of it): a fragment broken off the stroke.
        #expect(try lightInk.marks(Self.image { stroke($0, $1) || dot($0, $1 + 2) }).dots == 0)
        // A blob more than half as tall as the stroke is a part of the glyph, not its dot.
        let short = { (x: Int, y: Int) in (13...15).contains(x) && (3...14).contains(y) }
        #expect(try lightInk.marks(Self.image { short($0, $1) || ((12...17).contains($0) && (18...23).contains($1)) }).dots == 1)
        #expect(try lightInk.marks(Self.image { short($0, $1) || ((12...18).contains($0) && (18...24).contains($1)) }).dots == 0)
        let hook = { (x: Int, y: Int) in (13...19).contains(x) && (23...29).contains(y) && (y == 23 || x == 19) }
        #expect(try lightInk.marks(Self.image { stroke($0, $1) || hook($0, $1) }).dots == 0)  // a broken-off hook
        let five = try lightInk.marks(
            Self.image { x, y in
                ((10...20).contains(x) && (4...6).contains(y)) || ((8...22).contains(x) && (10...25).contains(y) && (x < 11 || y > 22))
            })
        #expect(five.dots == 0)  // the flag is a bar
    }
}

@Suite("One pass gives the input and the marks")
struct ProcessWithMarksTests {
    /// `processWithMarks` finds the ink once (for a photo, one paper-surface fit) and must give
    /// exactly what the two separate calls give: the same 256 inputs to the bit and the same marks.
    @Test(arguments: [false, true])
    func sameAsTwoCalls(photo: Bool) throws {
        let preprocessor = Preprocessor()
        let image =
            photo
            ? Photo.image(coverage: Photo.twoCoverage)
            : InkMarksTests.image { x, y in ((5...24).contains(x) && (5...7).contains(y)) || ((22...24).contains(x) && (8...24).contains(y))
            }
        let (input, marks) = try preprocessor.processWithMarks(image)
        #expect(input == (try preprocessor.process(image)))
        #expect(marks == (try preprocessor.marks(image)))
        #expect(marks.pieces >= 1 && input.contains { $0 > 0.5 })
        let blank = GrayImage(width: 30, height: 30, pixels: [Float](repeating: 0.5, count: 900))
        #expect(throws: PreprocessingError.self) { try preprocessor.processWithMarks(blank) }
    }
}

@Suite("Median by selection")
struct MedianSelectionTests {
    /// The selection must return what a sort puts at count / 2, for every small length, with
    /// duplicates, sorted and reversed runs (the cases that break a careless partition).
    @Test func agreesWithSorting() {
        var generator = SeededGenerator(seed: 11)
        for count in 1...40 {
            for pattern in 0..<4 {
                var values = (0..<count).map { _ in Float(generator.next() % 7) }  // many duplicates
                if pattern == 1 { values = (0..<count).map(Float.init) }
                if pattern == 2 { values = (0..<count).map { Float(count - $0) } }
                if pattern == 3 { values = (0..<count).map { _ in generator.nextUnitFloat() } }
                #expect(median(values) == values.sorted()[count / 2], "count \(count), pattern \(pattern)")
            }
        }
        #expect(median([]) == 0)
    }

    /// By bits and by quickselect, every rank of non-negative values gives the same bits as a sort
    /// (zeros, subnormals, ∞, values that share their high bits); with a negative or NaN value the
    /// bitwise selection declines and the median is quickselect's.
    @Test func bitwiseSelectionAgreesWithQuickselect() {
        var generator = SeededGenerator(seed: 5)
        let special: [Float] = [0, .leastNonzeroMagnitude, .leastNormalMagnitude, 1, 1.0000001, 0.99999994, .infinity, 3e38]
        for count in [1, 2, 3, 7, 64, 1000, 8560] {
            var values = (0..<count).map { _ in abs(generator.nextUnitFloat() - 0.5) * 0.01 }
            for index in stride(from: 0, to: count, by: 5) { values[index] = special[index % special.count] }
            let sorted = values.sorted()
            for k in Set([0, count / 2, count - 1, count / 3]) {
                #expect(radixSelect(values, k)?.bitPattern == sorted[k].bitPattern, "count \(count), k \(k)")
                #expect(quickselect(values, k).bitPattern == sorted[k].bitPattern, "count \(count), k \(k)")
            }
            #expect(median(values).bitPattern == sorted[count / 2].bitPattern)
        }
        #expect(radixSelect([1, -2, 3], 1) == nil && radixSelect([1, .nan, 3], 1) == nil && radixSelect([-0.0], 0) == nil)
        #expect(median([3, -2, 1]) == 1)
    }
}
