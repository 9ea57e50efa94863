import DigitsData

/// One mark of a number: the ink pixels taken to be one digit (a connected piece, several pieces
/// merged, or one side of a cut through touching digits).
public struct Mark: Sendable, Equatable {
    /// Bounds of the mark's pixels in the picture.
    public private(set) var box: PixelBox
    /// Which pixels of `box` belong to the mark, row-major, `box.width × box.height`.
    public private(set) var mask: [Bool]
    /// Pixels in the mark.
    public private(set) var area: Int
    /// Mean column of the mark's pixels: the order of the digits (a box's left edge would put a
    /// slanted 7 before the digit it leans over).
    public private(set) var centreX: Float

    public init(box: PixelBox, mask: [Bool]) {
        precondition(mask.count == box.width * box.height, "a mark's mask covers its box")
        var area = 0
        var sumX = 0
        for (index, inside) in mask.enumerated() where inside {
            area += 1
            sumX += box.minX + index % box.width
        }
        self.box = box
        self.mask = mask
        self.area = area
        self.centreX = area > 0 ? Float(sumX) / Float(area) + 0.5 : Float(box.minX) + Float(box.width) / 2
    }

    /// The pixels of one connected piece.
    public init(component index: Int, of components: InkComponents) {
        let box = components.components[index].box
        var mask = [Bool](repeating: false, count: box.width * box.height)
        for y in box.minY...box.maxY {
            for x in box.minX...box.maxX where components.labels[y * components.width + x] == Int32(index) {
                mask[(y - box.minY) * box.width + x - box.minX] = true
            }
        }
        self.init(box: box, mask: mask)
    }

    /// Whether picture pixel (x, y) belongs to the mark.
    @inline(__always) public func contains(_ x: Int, _ y: Int) -> Bool {
        x >= box.minX && x <= box.maxX && y >= box.minY && y <= box.maxY && mask[(y - box.minY) * box.width + x - box.minX]
    }

    /// Both marks' pixels as one mark (a 5's detached flag joining its body).
    public func merged(with other: Mark) -> Mark {
        let box = box.union(other.box)
        var mask = [Bool](repeating: false, count: box.width * box.height)
        for y in box.minY...box.maxY {
            for x in box.minX...box.maxX where contains(x, y) || other.contains(x, y) {
                mask[(y - box.minY) * box.width + x - box.minX] = true
            }
        }
        return Mark(box: box, mask: mask)
    }

    /// The pixels passing `keep`, shrunk to their box; nil when none do.
    func restricted(to keep: (_ x: Int, _ y: Int) -> Bool) -> Mark? {
        var bounds: PixelBox?
        for y in box.minY...box.maxY {
            for x in box.minX...box.maxX where contains(x, y) && keep(x, y) {
                let pixel = PixelBox(minX: x, minY: y, maxX: x, maxY: y)
                bounds = bounds?.union(pixel) ?? pixel
            }
        }
        guard let bounds else { return nil }
        var mask = [Bool](repeating: false, count: bounds.width * bounds.height)
        for y in bounds.minY...bounds.maxY {
            for x in bounds.minX...bounds.maxX where contains(x, y) && keep(x, y) {
                mask[(y - bounds.minY) * bounds.width + x - bounds.minX] = true
            }
        }
        return Mark(box: bounds, mask: mask)
    }
}
