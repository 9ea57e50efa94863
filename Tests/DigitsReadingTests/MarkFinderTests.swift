import DigitsData
import Testing

@testable import DigitsReading

@Suite("Finding the marks of a number")
struct MarkFinderTests {
    func marks(_ canvas: Canvas) throws -> (marks: [Mark], lineHeight: Int) {
        let (_, pieces) = try components(of: canvas)
        return MarkFinder().marks(in: pieces)
    }

    @Test func barsSideBySideAreMarksInOrder() throws {
        var canvas = Canvas(width: 60, height: 30)
        canvas.fill(40, 5, 42, 24)  // drawn right to left: the order must come from the columns
        canvas.fill(25, 5, 27, 24)
        canvas.fill(10, 5, 12, 24)
        let found = try marks(canvas)
        #expect(found.marks.map(\.box.minX) == [10, 25, 40])
        #expect(found.marks.map(\.area) == [60, 60, 60])  // 3 × 20 each
        #expect(found.lineHeight == 20)
    }

    @Test func aFlagAboveItsBodyJoinsIt() throws {
        // A 5 whose flag (rows 4–6) is lifted off its body (rows 10–25), then a bar beside it.
        var canvas = Canvas(width: 50, height: 30)
        canvas.fill(10, 4, 20, 6)
        canvas.fill(8, 10, 10, 25)
        canvas.fill(8, 23, 22, 25)
        canvas.fill(35, 4, 37, 25)
        let found = try marks(canvas)
        #expect(found.marks.count == 2)
        #expect(found.marks.first?.box == PixelBox(minX: 8, minY: 4, maxX: 22, maxY: 25))
        #expect(found.marks.first?.area == 33 + 48 + 36)  // flag 11·3, stroke 3·16, foot 12·3 (3 px shared)
    }

    @Test func aBrokenStrokeIsOneMark() throws {
        // One vertical stroke with a gap at rows 14–15: two halves stacked, each under half the
        // height of the "1" beside them.
        var canvas = Canvas(width: 40, height: 30)
        canvas.fill(10, 3, 12, 13)
        canvas.fill(10, 16, 12, 26)
        canvas.fill(25, 3, 27, 26)
        let found = try marks(canvas)
        #expect(found.marks.count == 2)
        #expect(found.marks.first?.box == PixelBox(minX: 10, minY: 3, maxX: 12, maxY: 26))
    }

    @Test func specksAwayFromTheDigitsAreDropped() throws {
        var canvas = Canvas(width: 60, height: 30)
        canvas.fill(10, 5, 14, 24)
        canvas.fill(30, 5, 34, 24)
        canvas.fill(50, 27, 51, 28)  // dust in a corner, far from both
        let found = try marks(canvas)
        #expect(found.marks.map(\.box.minX) == [10, 30])
    }

    @Test func slantedDigitsWhoseBoxesOverlapStayApartAndInOrder() throws {
        // Two bars leaning right by 0.5 px a row: each box spans 13 columns, the boxes overlap in
        // columns 17–19, the ink never touches. A wavy baseline: the second one 4 rows lower.
        var canvas = Canvas(width: 50, height: 40)
        canvas.slantedBar(top: 4, bottom: 24, startX: 17, slant: 0.5)
        canvas.slantedBar(top: 8, bottom: 28, startX: 27, slant: 0.5)
        let found = try marks(canvas)
        #expect(found.marks.count == 2)
        let (left, right) = (found.marks[0].box, found.marks[1].box)
        #expect(left.columnOverlap(right) > 0)
        #expect(left.minX < right.minX)
        #expect(found.marks[0].centreX < found.marks[1].centreX)
    }

    @Test func noInkIsBlank() throws {
        #expect(throws: PreprocessingError.self) { try components(of: Canvas(width: 20, height: 20)) }
    }
}

@Suite("Cutting touching digits")
struct CutTests {
    @Test func theCheapestCutRunsThroughTheBridge() throws {
        // Two 0s (rings 14 wide, 20 tall) joined by a bridge 2 rows thick at rows 14–15.
        var canvas = Canvas(width: 50, height: 30)
        canvas.ring(5, 5, 18, 24)
        canvas.ring(22, 5, 35, 24)
        canvas.fill(19, 14, 21, 15)
        let (_, pieces) = try components(of: canvas)
        #expect(pieces.components.count == 1)
        let mark = Mark(component: 0, of: pieces)
        let cuts = mark.cuts(reach: 6, minimumWidth: 3, limit: 4)
        let best = try #require(cuts.first)
        #expect(best.crossing == 2)  // the bridge's two rows, nothing else
        #expect(best.left.box == PixelBox(minX: 5, minY: 5, maxX: best.left.box.maxX, maxY: 24))
        #expect((18...21).contains(best.left.box.maxX))
        #expect(best.right.box.minX == best.left.box.maxX + 1)
        #expect(best.left.area + best.right.area == mark.area)
        // Every other candidate crosses more ink.
        #expect(cuts.dropFirst().allSatisfy { $0.crossing >= best.crossing })
    }

    @Test func aCutFollowsASlantedGap() throws {
        // Two bars leaning by 0.5 px a row, touching through a bridge at the top: a straight
        // vertical cut would slice one of them; the seam follows the slanted gap.
        var canvas = Canvas(width: 50, height: 40)
        canvas.slantedBar(top: 4, bottom: 30, startX: 20, slant: 0.5)
        canvas.slantedBar(top: 4, bottom: 30, startX: 30, slant: 0.5)
        canvas.fill(23, 4, 29, 5)
        let (_, pieces) = try components(of: canvas)
        let mark = Mark(component: 0, of: pieces)
        let best = try #require(mark.cuts(reach: 12, minimumWidth: 3, limit: 4).first)
        // It crosses only the bridge's 2 rows, or the 1 row where the bridge meets the left bar.
        #expect(best.crossing <= 2)
        // Each bar (27 rows × 3 px = 81) on its own side, whole but for the pixel or two where
        // the bridge joins it; a straight cut through the middle would take a third of a bar.
        #expect(best.left.area >= 79 && best.right.area >= 79)
        #expect(best.left.area + best.right.area == mark.area)
        #expect(best.left.box.height == 27 && best.right.box.height == 27)
    }

    @Test func strokeWidthIsTheMedianRun() throws {
        var canvas = Canvas(width: 30, height: 30)
        canvas.ring(5, 5, 20, 24, stroke: 4)
        let (_, pieces) = try components(of: canvas)
        #expect(Mark(component: 0, of: pieces).strokeWidth == 4)
    }
}
