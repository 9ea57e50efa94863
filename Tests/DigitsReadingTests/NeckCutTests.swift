import DigitsData
import Testing

@testable import DigitsReading

/// Cuts at a neck (`Mark.neckCuts`): a stem resting on the foot of an "L" whose foot runs on
/// under it to the left, as a 7's stem rests on the lower arc of a 3 pushed against it.
@Suite("Cutting touching digits at a neck")
struct NeckCutTests {
    /// The stem: columns 10–12, rows 0–18; the L: a foot in rows 19–21 from column 4 to 30 and an
    /// upright in columns 28–30, rows 0–21. One 8-connected piece: the stem's foot touches the L's.
    static var stemOnFoot: Canvas {
        var canvas = Canvas(width: 36, height: 24)
        canvas.fill(10, 0, 12, 18)
        canvas.fill(4, 19, 30, 21)
        canvas.fill(28, 0, 30, 21)
        return canvas
    }

    static func mark() throws -> Mark {
        let (_, pieces) = try components(of: stemOnFoot)
        try #require(pieces.components.count == 1)
        return Mark(component: 0, of: pieces)
    }

    /// The stem alone on the left, the whole L, foot included, on the right.
    static func isStemAndL(_ cut: Cut) -> Bool {
        cut.left.box.minX == 10 && cut.left.box.maxX == 12 && cut.right.box.minX == 4 && cut.right.box.maxX == 30
    }

    /// Some neck cut gives the stem and the L; no seam can, since the foot runs on left of the stem.
    @Test func aNeckCutKeepsAStrokeWholeWhereNoSeamCan() throws {
        let mark = try Self.mark()
        let isStemAndL = Self.isStemAndL
        let necks = mark.neckCuts(radius: 2, step: 1, minimumHeight: 12, limit: 20)
        let cut = try #require(necks.first(where: isStemAndL), "\(necks.map { ($0.left.box, $0.right.box) })")
        #expect(cut.left.area + cut.right.area == mark.area)
        #expect(cut.left.box.height >= 12 && cut.right.box == PixelBox(minX: 4, minY: 0, maxX: 30, maxY: 21))
        #expect(cut.crossing >= 1 && cut.crossing <= 6)
        #expect(!mark.cuts(reach: 10, minimumWidth: 2, limit: 100).contains(where: isStemAndL))
    }

    /// Both pieces must be `minimumHeight` tall: asked for 20 rows, the stem (19) is no side, and
    /// only discs on the foot between stem and upright are left (two pieces 22 rows tall).
    @Test func bothPiecesMustBeTall() throws {
        let mark = try Self.mark()
        #expect(mark.neckCuts(radius: 2, step: 1, minimumHeight: 12, limit: 100).contains(where: Self.isStemAndL))
        let tall = mark.neckCuts(radius: 2, step: 1, minimumHeight: 20, limit: 100)
        #expect(!tall.isEmpty)
        #expect(tall.allSatisfy { $0.left.box.height == 22 && $0.right.box.height == 22 })
        #expect(!tall.contains(where: Self.isStemAndL))
    }
}
