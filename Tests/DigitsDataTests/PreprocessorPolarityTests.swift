import Testing
@testable import DigitsData

/// When `.auto` polarity cannot trust the border (`Preprocessor.hasAmbiguousPolarity`).
@Suite struct PreprocessorPolarityTests {
    /// A 16 × 16 bilevel picture: `isInk` pixels `ink`, the others `paper`.
    func bilevel(ink: Float, paper: Float, side: Int = 16, _ isInk: (Int, Int) -> Bool) -> GrayImage {
        GrayImage(width: side, height: side, pixels: (0..<(side * side)).map { isInk($0 % side, $0 / side) ? ink : paper })
    }

    /// A thick "7" filling the frame: the top bar is the whole first three rows, the stem 5 px wide
    /// slanting down to the bottom edge (columns 6…10 there). Of the 60 border pixels 25 are ink
    /// (top row 16, bottom row 5, two more on each side), so only 35 (58 %) are near the median.
    func frameFillingSeven(x: Int, y: Int) -> Bool {
        y < 3 || (x >= 9 - y / 4 && x <= 13 - y / 4 && y >= 3)
    }

    @Test func aDigitWithAMarginIsNotAmbiguous() {
        let auto = Preprocessor(settings: .standard)
        // A 7 drawn inside the frame, MNIST-like: the border is all paper.
        let framed = Drawing.render(Drawing.seven, width: 28, height: 28, box: (4, 4, 20))
        #expect(!auto.hasAmbiguousPolarity(framed))
        // Dark ink on white with a margin: still not.
        #expect(!auto.hasAmbiguousPolarity(bilevel(ink: 0, paper: 1) { x, y in (5...10).contains(x) && (3...12).contains(y) }))
    }

    @Test func aFrameFillingThickDigitIsAmbiguousInBothPolarities() {
        let auto = Preprocessor(settings: .standard)
        #expect(auto.hasAmbiguousPolarity(bilevel(ink: 1, paper: 0, frameFillingSeven)))
        #expect(auto.hasAmbiguousPolarity(bilevel(ink: 0, paper: 1, frameFillingSeven)))
    }

    @Test func onlyAutoPolarityAndTheSmallPathAsk() {
        var known = PreprocessingSettings.standard
        known.polarity = .lightInk
        #expect(!Preprocessor(settings: known).hasAmbiguousPolarity(bilevel(ink: 1, paper: 0, frameFillingSeven)))
        // A 64-px picture goes the photo path, whose paper is a fitted surface, not the border median.
        let big = bilevel(ink: 1, paper: 0, side: 64) { x, y in frameFillingSeven(x: x / 4, y: y / 4) }
        #expect(!Preprocessor(settings: .standard).hasAmbiguousPolarity(big))
    }

    @Test func withPolarityFixesOnlyThePolarity() {
        let fixed = Preprocessor(settings: .standard).withPolarity(.darkInk)
        var expected = PreprocessingSettings.standard
        expected.polarity = .darkInk
        #expect(fixed.settings == expected)
        // Read the right way round, the frame-filling 7 keeps its ink (the top bar) as ink.
        let picture = bilevel(ink: 0, paper: 1, frameFillingSeven)
        let input = try? fixed.process(picture)
        #expect(input.map { $0[0..<16].reduce(0, +) } ?? 0 > 8)
    }
}
