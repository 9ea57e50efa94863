// Connected pieces of ink at pixel resolution, for finding the digits of a number.
//
// 8-connected, like `marks(_:)`: a diagonal step along a thin slanted stroke keeps it one piece.
// A flood fill with an explicit stack, so a long stroke cannot overflow the call stack.

/// Inclusive pixel bounds.
public struct PixelBox: Sendable, Equatable, Hashable {
    public var minX: Int, minY: Int, maxX: Int, maxY: Int

    public init(minX: Int, minY: Int, maxX: Int, maxY: Int) {
        self.minX = minX
        self.minY = minY
        self.maxX = maxX
        self.maxY = maxY
    }

    public var width: Int { maxX - minX + 1 }
    public var height: Int { maxY - minY + 1 }

    public func union(_ other: PixelBox) -> PixelBox {
        PixelBox(minX: min(minX, other.minX), minY: min(minY, other.minY), maxX: max(maxX, other.maxX), maxY: max(maxY, other.maxY))
    }

    /// Columns both boxes cover (0 when they are apart).
    public func columnOverlap(_ other: PixelBox) -> Int { max(0, min(maxX, other.maxX) - max(minX, other.minX) + 1) }
    /// Rows both boxes cover (0 when they are apart).
    public func rowOverlap(_ other: PixelBox) -> Int { max(0, min(maxY, other.maxY) - max(minY, other.minY) + 1) }
    /// Empty columns between the boxes (0 when they overlap or touch).
    public func columnGap(_ other: PixelBox) -> Int { max(0, max(minX, other.minX) - min(maxX, other.maxX) - 1) }
}

/// The ink pixels of a picture grouped into connected pieces.
public struct InkComponents: Sendable {
    public struct Component: Sendable, Equatable {
        public var box: PixelBox
        /// Ink pixels in the piece.
        public var area: Int
        /// Mean column of its pixels (pixel centres), for ordering pieces left to right.
        public var centreX: Float
    }

    public let width: Int
    public let height: Int
    /// Component index per pixel, row-major; −1 for pixels that are not ink.
    public let labels: [Int32]
    public let components: [Component]

    public init(_ ink: InkImage) {
        let (width, height) = (ink.width, ink.height)
        var labels = [Int32](repeating: -1, count: width * height)
        var components: [Component] = []
        var stack: [Int] = []
        for seed in 0..<(width * height) where labels[seed] < 0 && ink.values[seed] > ink.threshold {
            let index = Int32(components.count)
            var box = PixelBox(minX: seed % width, minY: seed / width, maxX: seed % width, maxY: seed / width)
            var area = 0
            var sumX = 0
            labels[seed] = index
            stack.append(seed)
            while let pixel = stack.popLast() {
                let (x, y) = (pixel % width, pixel / width)
                box = box.union(PixelBox(minX: x, minY: y, maxX: x, maxY: y))
                area += 1
                sumX += x
                for ny in max(0, y - 1)...min(height - 1, y + 1) {
                    for nx in max(0, x - 1)...min(width - 1, x + 1) {
                        let neighbour = ny * width + nx
                        if labels[neighbour] < 0 && ink.values[neighbour] > ink.threshold {
                            labels[neighbour] = index
                            stack.append(neighbour)
                        }
                    }
                }
            }
            components.append(Component(box: box, area: area, centreX: Float(sumX) / Float(area) + 0.5))
        }
        self.width = width
        self.height = height
        self.labels = labels
        self.components = components
    }
}
