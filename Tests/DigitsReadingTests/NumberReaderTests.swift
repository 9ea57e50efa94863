import DigitsData
import DigitsEvaluation
import DigitsJSON
import Testing

@testable import DigitsReading

/// The reading policy with a stand-in classifier whose answers depend only on the shape of the
/// 16 × 16 it gets: sure of a 0 when the ink spans at least 14 rows and 6 columns (a ring fitted
/// into the frame: its longer side is vertical), unsure (0.3) otherwise — as a network is unsure
/// of two digits squeezed into one frame, whose longer side is then horizontal.
@Suite("Reading a whole number")
struct NumberReaderTests {
    static func ringClassifier(_ input: [Float]) -> [Float] {
        let side = PreprocessingSettings.frameSide
        let rows = (0..<side).filter { y in (0..<side).contains { input[y * side + $0] > 0.3 } }
        let columns = (0..<side).filter { x in (0..<side).contains { input[$0 * side + x] > 0.3 } }
        let sure = (rows.last ?? 0) - (rows.first ?? 0) + 1 >= 14 && (columns.last ?? 0) - (columns.first ?? 0) + 1 >= 6
        var probabilities = [Float](repeating: sure ? 0.01 / 9 : 0.7 / 9, count: 10)
        probabilities[0] = sure ? 0.99 : 0.3
        return probabilities
    }

    /// A ring alone, then two rings joined by a bridge: "000", the joined pair cut in two.
    static var threeZeros: Canvas {
        var canvas = Canvas(width: 80, height: 30)
        canvas.ring(5, 5, 18, 24)
        canvas.ring(30, 5, 43, 24)
        canvas.ring(47, 5, 60, 24)
        canvas.fill(44, 14, 46, 15)
        return canvas
    }

    @Test func touchingDigitsAreCutWhereTheClassifierIsSurest() throws {
        let reader = NumberReader(settings: lightInk, rule: RejectionRule(minimumConfidence: 0.5), classify: Self.ringClassifier)
        let reading = try reader.read(Self.threeZeros.image)
        #expect(reading.text == "000")
        #expect(reading.isComplete)
        #expect(reading.digits.map(\.box.minX) == [5, 30, reading.digits[2].box.minX])
        #expect((44...47).contains(reading.digits[2].box.minX))
        #expect(reading.digits.allSatisfy { $0.confidence == 0.99 && $0.input.count == 256 })
    }

    /// The photo path's in-line rule (a glyph's dot is not dust) is for one glyph: a number's box
    /// spans every digit, and in line with it within a third of its size is nearly everywhere.
    /// Measured: with the rule on, read-accuracy's touching strings lost 0.8–1.2 points to specks.
    @Test func aNumberIsFoundWithoutTheInLineDotRule() {
        #expect(PreprocessingSettings.standard.photo.speckInLineDivisor != nil)
        let reader = NumberReader(settings: .standard, rule: nil, classify: Self.ringClassifier)
        #expect(reader.preprocessor.settings.photo.speckInLineDivisor == nil)
        var others = reader.preprocessor.settings
        others.photo.speckInLineDivisor = PreprocessingSettings.standard.photo.speckInLineDivisor
        #expect(others == .standard, "nothing else changes")
    }

    @Test func aMarkTheRuleRefusesIsAQuestionMark() throws {
        // A low, wide bar after the zeros: a mark of its own (too far from the last ring to be its
        // fragment), which the stand-in is unsure of (0.3, under the rule's 0.5).
        var canvas = Self.threeZeros
        canvas.fill(66, 12, 78, 16)
        let reader = NumberReader(settings: lightInk, rule: RejectionRule(minimumConfidence: 0.5), classify: Self.ringClassifier)
        let reading = try reader.read(canvas.image)
        #expect(reading.text == "000?")
        #expect(!reading.isComplete)
        #expect(reading.digits.last?.verdict == .notADigit)
        // Without a rule every mark is named.
        let naming = NumberReader(settings: lightInk, rule: nil, classify: Self.ringClassifier)
        #expect(try naming.read(canvas.image).text == "0000")
    }

    @Test func jsonNamesEachDigitWithItsBox() throws {
        let reader = NumberReader(settings: lightInk, rule: nil, classify: Self.ringClassifier)
        var canvas = Canvas(width: 30, height: 30)
        canvas.ring(5, 5, 18, 24)
        let line = JSONWriter.write(try reader.read(canvas.image).json(file: "a.png", inputs: ["seen/a.1.input.png"]), style: .line)
        #expect(
            line.hasPrefix(
                #"{"file": "a.png", "number": "0", "complete": true, "digits": [{"digit": 0, "verdict": "digit", "confidence": 0.99, "box": {"x": 5, "y": 5, "width": 14, "height": 20}, "probabilities": ["#
            ))
        #expect(line.hasSuffix(#"], "input": "seen/a.1.input.png"}]}"#))
    }
}

/// The policy's two rules about cuts, each with a stand-in classifier whose answer depends only on
/// how wide the ink is in the 16 × 16 (a whole mark fills the frame's width more than a bar).
@Suite("Choosing between one digit and a cut")
struct CutPolicyTests {
    /// Columns of the 16 × 16 holding ink.
    static func inkColumns(_ input: [Float]) -> Int {
        let side = PreprocessingSettings.frameSide
        return (0..<side).filter { x in (0..<side).contains { input[$0 * side + x] > 0.3 } }.count
    }

    /// `sure` of `digit` with the rest spread evenly over the other nine.
    static func probabilities(_ digit: Int, _ sure: Float) -> [Float] {
        var probabilities = [Float](repeating: (1 - sure) / 9, count: 10)
        probabilities[digit] = sure
        return probabilities
    }

    /// Two bars joined by a bridge along the top, like an "n": as one digit a 0 at 0.85, each bar
    /// alone a 1 at 0.9. Reading it as "11" is doubted 0.1 + 0.1 = 0.2 (either 1 may be wrong), more
    /// than the 0's 0.15: one digit is kept. (The larger side's doubt alone, 0.1, would have cut it.)
    @Test func twoDigitsMustTogetherBeSurerThanOne() throws {
        var canvas = Canvas(width: 40, height: 30)
        canvas.fill(10, 5, 12, 24)
        canvas.fill(21, 5, 23, 24)
        canvas.fill(13, 5, 20, 6)  // the bridge, 2 rows: the cheapest cut crosses only it
        let stub: NumberReader.Classifier = { input in
            Self.inkColumns(input) >= 9 ? Self.probabilities(0, 0.85) : Self.probabilities(1, 0.9)
        }
        let reading = try NumberReader(settings: lightInk, rule: nil, classify: stub).read(canvas.image)
        #expect(reading.text == "0")
        #expect(reading.digits.first?.box == PixelBox(minX: 10, minY: 5, maxX: 23, maxY: 24))
        // Surer bars (0.95 each: 0.1 together) are worth the cut.
        let surer: NumberReader.Classifier = { input in
            Self.inkColumns(input) >= 9 ? Self.probabilities(0, 0.85) : Self.probabilities(1, 0.95)
        }
        #expect(try NumberReader(settings: lightInk, rule: nil, classify: surer).read(canvas.image).text == "11")
    }

    /// A solid block twice as wide as tall: whole, the stand-in is unsure of it (0.3); its halves are
    /// solid bars it would read as 1s at 0.99. A side of a cut that dense is no digit, so the block
    /// stays one mark, refused by the rule — not "11".
    @Test func aCutBlobsHalvesAreNotDigits() throws {
        var canvas = Canvas(width: 60, height: 30)
        canvas.fill(10, 5, 49, 24)
        let stub: NumberReader.Classifier = { input in
            Self.inkColumns(input) >= 12 ? Self.probabilities(0, 0.3) : Self.probabilities(1, 0.99)
        }
        let reading = try NumberReader(settings: lightInk, rule: RejectionRule(minimumConfidence: 0.5), classify: stub)
            .read(canvas.image)
        #expect(reading.text == "?")
        #expect(reading.digits.first?.box == PixelBox(minX: 10, minY: 5, maxX: 49, maxY: 24))
    }

    /// A whole mark is judged by the rule it is given, as `classify` would judge the picture: a thick
    /// upright bar (a bilevel 1, dense but for its box's corners) is a 1 when the rule's density
    /// check is off, as it is for a model with a "not a digit" class.
    @Test func aDenseWholeMarkIsJudgedByTheGivenRule() throws {
        var canvas = Canvas(width: 40, height: 30)
        canvas.fill(14, 5, 21, 24)  // 8 × 20: aspect 0.4, density 1
        let stub: NumberReader.Classifier = { _ in Self.probabilities(1, 0.99) }
        var rule = RejectionRule(minimumConfidence: 0.5)
        rule.maximumDensity = 1
        #expect(try NumberReader(settings: lightInk, rule: rule, classify: stub).read(canvas.image).text == "1")
        // With the density check on (the rule of a model without that class), refused.
        let checking = NumberReader(settings: lightInk, rule: RejectionRule(minimumConfidence: 0.5), classify: stub)
        #expect(try checking.read(canvas.image).text == "?")
    }
}
