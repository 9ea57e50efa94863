import DigitsData
import Testing

@testable import DigitsReading

/// Peeling a "1" off the edge of a mark (`Mark.barCuts`): an upright bar pressed against a "3"
/// whose middle cusp lies along it for 18 rows, as a 1 pushed against its neighbour often does.
@Suite("Cutting a 1 off its neighbour")
struct BarCutTests {
    /// The bar: columns 10–12, rows 0–29. The "3": arms in rows 0–2, 13–15 and 27–29 from column 16
    /// to 32, an upright in columns 30–32, and a cusp in columns 13–15, rows 6–23, touching the bar.
    /// Mirrored (`barOnRight`), the same drawing flipped left to right within 44 columns.
    static func oneAgainstThree(barOnRight: Bool = false) -> Canvas {
        var canvas = Canvas(width: 44, height: 30)
        let x = { (column: Int) in barOnRight ? 43 - column : column }
        func fill(_ x0: Int, _ y0: Int, _ x1: Int, _ y1: Int) { canvas.fill(min(x(x0), x(x1)), y0, max(x(x0), x(x1)), y1) }
        fill(10, 0, 12, 29)
        fill(16, 0, 32, 2)
        fill(16, 27, 32, 29)
        fill(30, 0, 32, 29)
        fill(13, 6, 15, 23)
        fill(16, 13, 32, 15)
        return canvas
    }

    static func mark(barOnRight: Bool = false) throws -> Mark {
        let (_, pieces) = try components(of: oneAgainstThree(barOnRight: barOnRight))
        try #require(pieces.components.count == 1)
        return Mark(component: 0, of: pieces)
    }

    /// The bar comes off whole, on either edge; no seam gives it alone (one would run down the
    /// cusp's 18 rows of ink, and the cheapest paths leave it for the arms).
    @Test func theBarComesOffWhole() throws {
        let bar = PixelBox(minX: 10, minY: 0, maxX: 12, maxY: 29)
        let mark = try Self.mark()
        let cut = try #require(mark.barCuts(minimumHeight: 21).first { $0.barOnLeft && $0.cut.left.box == bar })
        #expect(cut.cut.left.area == 90 && cut.cut.right.box == PixelBox(minX: 13, minY: 0, maxX: 32, maxY: 29))
        #expect(cut.cut.left.area + cut.cut.right.area == mark.area)
        #expect(!mark.cuts(reach: 9, minimumWidth: 2, limit: 100).contains { $0.left.box == bar })

        let mirrored = try Self.mark(barOnRight: true)
        let mirroredBar = PixelBox(minX: 31, minY: 0, maxX: 33, maxY: 29)
        #expect(mirrored.barCuts(minimumHeight: 21).contains { !$0.barOnLeft && $0.cut.right.box == mirroredBar })
    }

    /// A "3" with a 1 pressed against its back, on the right: arms in rows 0–2, 13–15 and 27–29
    /// from column 6 to 22, an upright in columns 20–22, cusps in columns 23–25 (rows 5–9 and
    /// 19–23) touching the bar in columns 26–28, rows 0–29. Unlike `oneAgainstThree` mirrored, the
    /// left-hand outline is not the right-hand one moved over: it is the arms' ends (column 6) in
    /// nine rows and the upright (column 20, 14 in) in the other 21.
    static func threeAgainstOne() -> Canvas {
        var canvas = Canvas(width: 32, height: 30)
        canvas.fill(6, 0, 22, 2)
        canvas.fill(6, 13, 22, 15)
        canvas.fill(6, 27, 22, 29)
        canvas.fill(20, 0, 22, 29)
        canvas.fill(23, 5, 25, 9)
        canvas.fill(23, 19, 25, 23)
        canvas.fill(26, 0, 28, 29)
        return canvas
    }

    /// The bar on the right comes off whole: the right-hand outline is measured from the right edge
    /// (the outline of the left edge, 0 in nine rows and 14 in 21, would put the cut 17 columns in).
    @Test func theBarOnTheRightComesOffWhole() throws {
        let (_, pieces) = try components(of: Self.threeAgainstOne())
        try #require(pieces.components.count == 1)
        let mark = Mark(component: 0, of: pieces)
        let bar = PixelBox(minX: 26, minY: 0, maxX: 28, maxY: 29)
        let cut = try #require(mark.barCuts(minimumHeight: 21).first { !$0.barOnLeft && $0.cut.right.box == bar })
        #expect(cut.cut.right.area == 90 && cut.cut.left.box == PixelBox(minX: 6, minY: 0, maxX: 25, maxY: 29))
        #expect(cut.cut.left.area + cut.cut.right.area == mark.area)
    }

    /// No bar as tall as asked, no cut: the outline's straight run is the bar's 30 rows.
    @Test func aBarShorterThanAskedIsNoCut() throws {
        let mark = try Self.mark()
        #expect(!mark.barCuts(minimumHeight: 30).filter(\.barOnLeft).isEmpty)
        #expect(mark.barCuts(minimumHeight: 31).filter(\.barOnLeft).isEmpty)
    }

    /// A stand-in sure of a 1 for a bar (at most 4 of the 16 columns inked), sure of a 3 for a wide
    /// mark whose leftmost inked column is the cusp (6–12 of 16 rows), and unsure (a 0 at 0.5) of
    /// any other wide mark: the bar and the 3 together, or the 3 without its cusp. Read whole, "0";
    /// a seam down the cusp is doubted e^(0.9·4.5) ≈ 57 times for its six strokes,
    /// (0.01 + 0.01)·57 > 0.5; peeled, (0.01 + 0.01)·`barDoubt` 4 = 0.08 < 0.5: "13".
    static func standIn(_ input: [Float]) -> [Float] {
        let side = PreprocessingSettings.frameSide
        let columns = (0..<side).filter { x in (0..<side).contains { input[$0 * side + x] > 0.3 } }
        func sure(_ digit: Int, _ p: Float) -> [Float] {
            var probabilities = [Float](repeating: (1 - p) / 9, count: 10)
            probabilities[digit] = p
            return probabilities
        }
        guard let first = columns.first, columns.count > 4 else { return sure(1, 0.99) }
        let rows = (0..<side).filter { input[$0 * side + first] > 0.3 }.count
        return (6...12).contains(rows) ? sure(3, 0.99) : sure(0, 0.5)
    }

    @Test func aOnePressedAlongItsNeighbourIsPeeledOff() throws {
        let reader = NumberReader(settings: lightInk, rule: nil, classify: Self.standIn)
        let reading = try reader.read(Self.oneAgainstThree().image)
        #expect(reading.text == "13")
        #expect(reading.digits.first?.box == PixelBox(minX: 10, minY: 0, maxX: 12, maxY: 29))
        // Without bar cuts (doubted beyond any reading), the seams and necks leave it whole.
        var without = reader
        without.barDoubt = .infinity
        #expect(try without.read(Self.oneAgainstThree().image).text == "0")
        // A peeled side that does not read as a 1 is no peel: the stand-in reads bars as 7s.
        let sevens = NumberReader(settings: lightInk, rule: nil) { input in
            var probabilities = Self.standIn(input)
            if probabilities[1] > 0.5 { probabilities.swapAt(1, 7) }
            return probabilities
        }
        #expect(try sevens.read(Self.oneAgainstThree().image).text == "0")
    }
}
