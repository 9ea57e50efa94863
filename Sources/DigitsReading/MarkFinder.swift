import DigitsData

/// From connected pieces of ink to the marks of a number, left to right.
///
/// A handwritten digit is usually one piece, but not always: a 5's flag lifted off its body, a 4
/// drawn in two strokes, a pencil line broken by a pale stretch. Digits, on the other hand, stand
/// *beside* each other. So:
/// 1. the line height H is the upper quartile of the heights of the substantial pieces (area ≥
///    `substantialShare` of the largest): the halves of broken digits do not pull it down, one
///    tall stray stroke does not push it up;
/// 2. a piece at least `fullHeight`·H tall is a mark of its own (a "1" is tall and thin, so height,
///    not area, decides);
/// 3. a shorter piece is a fragment: it joins the mark whose columns it overlaps most (a flag above
///    its body, the lower half of a broken stroke), or, overlapping none, the nearest mark within
///    `joinGap`·H columns; failing both it stays a mark if it is a real share of a digit
///    (a dot-sized digit is not legible anyway), else it is a speck and is dropped;
/// 4. two marks stacked over each other (columns overlapping by `stackedOverlap` of the narrower,
///    rows by at most `stackedRowOverlap` of the shorter) are one broken digit, and so are two
///    whose columns overlap by `nestedOverlap` of the narrower, whatever their rows, if together
///    they are no wider than `nestedWidth` line heights (an 8 or a 2 broken along a slanted
///    stroke: two tall pieces, one over the other's columns; neighbours leaning by 15° overlap
///    their boxes by far less);
/// 5. the order is by each mark's mean column, which a slant or a wavy baseline does not upset.
/// Touching digits stay one mark here; `NumberReader` cuts them, because only the classifier can
/// tell a wide 0 from a touching 10.
public struct MarkFinder: Sendable {
    public var substantialShare: Float = 0.15
    public var fullHeight: Float = 0.5
    public var joinGap: Float = 0.1
    /// A fragment that overlaps no mark and is at least this share of the largest piece's area
    /// and `fullHeight`/2 tall stays a mark of its own.
    public var loneFragmentShare: Float = 0.1
    public var stackedOverlap: Float = 0.6
    public var stackedRowOverlap: Float = 0.25
    public var nestedOverlap: Float = 0.7
    public var nestedWidth: Float = 1.0

    public init() {}

    /// The marks, ordered left to right, and the line height H they were judged by.
    public func marks(in components: InkComponents) -> (marks: [Mark], lineHeight: Int) {
        let pieces = components.components
        guard let largest = pieces.map(\.area).max() else { return ([], 0) }
        let substantial = pieces.filter { Float($0.area) >= substantialShare * Float(largest) }.map(\.box.height).sorted()
        let lineHeight = substantial[(3 * substantial.count) / 4]
        let full = Float(lineHeight) * fullHeight

        var marks: [Mark] = []
        var fragments: [Int] = []
        for (index, piece) in pieces.enumerated() {
            if Float(piece.box.height) >= full {
                marks.append(Mark(component: index, of: components))
            } else {
                fragments.append(index)
            }
        }
        // Larger fragments first, so a mark grown by one is seen by the next.
        fragments.sort { pieces[$0].area > pieces[$1].area }
        for index in fragments {
            let piece = pieces[index]
            let fragment = Mark(component: index, of: components)
            let overlapping = marks.indices.max { marks[$0].box.columnOverlap(piece.box) < marks[$1].box.columnOverlap(piece.box) }
            if let best = overlapping, marks[best].box.columnOverlap(piece.box) > 0 {
                marks[best] = marks[best].merged(with: fragment)
                continue
            }
            let nearest = marks.indices.min { marks[$0].box.columnGap(piece.box) < marks[$1].box.columnGap(piece.box) }
            if let nearest, Float(marks[nearest].box.columnGap(piece.box)) <= joinGap * Float(lineHeight) {
                marks[nearest] = marks[nearest].merged(with: fragment)
            } else if Float(piece.area) >= loneFragmentShare * Float(largest) && 2 * Float(piece.box.height) >= full {
                marks.append(fragment)
            }
        }
        marks = mergingStacked(marks, lineHeight: lineHeight)
        return (marks.sorted { $0.centreX < $1.centreX }, lineHeight)
    }

    private func mergingStacked(_ input: [Mark], lineHeight: Int) -> [Mark] {
        var marks = input
        var merged = true
        while merged {
            merged = false
            search: for i in marks.indices {
                for j in marks.indices where j > i {
                    let (a, b) = (marks[i].box, marks[j].box)
                    let overlap = Float(a.columnOverlap(b))
                    let narrower = Float(min(a.width, b.width))
                    let stacked =
                        overlap >= stackedOverlap * narrower
                        && Float(a.rowOverlap(b)) <= stackedRowOverlap * Float(min(a.height, b.height))
                    let nested = overlap >= nestedOverlap * narrower && Float(a.union(b).width) <= nestedWidth * Float(lineHeight)
                    if stacked || nested {
                        marks[i] = marks[i].merged(with: marks[j])
                        marks.remove(at: j)
                        merged = true
                        break search
                    }
                }
            }
        }
        return marks
    }
}
