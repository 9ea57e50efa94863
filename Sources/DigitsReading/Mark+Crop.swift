import DigitsData

extension Mark {
    /// The mark alone as a light-ink-on-black picture, for the one `Preprocessor`: its ink values
    /// inside its box (plus a pixel of margin), everything else 0. The faint edge of its strokes
    /// (pixels below the ink threshold that belong to no piece, next to the mark) comes with it,
    /// so the 16 × 16 is resampled from the same soft strokes a single digit would give; other
    /// marks' ink that reaches into the box does not.
    public func crop(from ink: InkImage, labels: [Int32]) -> GrayImage {
        let margin = 1
        let left = max(0, box.minX - margin)
        let top = max(0, box.minY - margin)
        let right = min(ink.width - 1, box.maxX + margin)
        let bottom = min(ink.height - 1, box.maxY + margin)
        let (width, height) = (right - left + 1, bottom - top + 1)
        var pixels = [Float](repeating: 0, count: width * height)
        for y in top...bottom {
            for x in left...right {
                let index = y * ink.width + x
                let keep = contains(x, y) || (labels[index] < 0 && ink.values[index] > 0 && touches(x, y))
                if keep { pixels[(y - top) * width + x - left] = ink.values[index] }
            }
        }
        return GrayImage(width: width, height: height, pixels: pixels)
    }

    /// Whether one of the 8 neighbours of (x, y) is in the mark.
    private func touches(_ x: Int, _ y: Int) -> Bool {
        for ny in (y - 1)...(y + 1) {
            for nx in (x - 1)...(x + 1) where contains(nx, ny) { return true }
        }
        return false
    }
}
