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
}
