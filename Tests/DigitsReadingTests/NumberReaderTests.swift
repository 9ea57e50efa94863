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
