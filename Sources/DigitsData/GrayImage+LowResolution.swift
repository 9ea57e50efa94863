// Low-resolution binarised copies: what a digit looks like when someone has already shrunk it to
// 16 px, thresholded it and perhaps stretched it to fill the frame (USPS-like, or a tiny icon).

extension GrayImage {
    /// How far a stretched copy's shorter side may grow beyond its proportional length.
    static let stretchLimit: Float = 2

    /// The ink box (pixels above 0.1 of the strongest ink) area-resampled to `side` px on its longer
    /// side — and, when `stretch`, its shorter side widened towards `side` too, to at most
    /// `stretchLimit` times its proportional length — binarised at `threshold` × the strongest ink,
    /// inside a 1-px empty border (so the preprocessor's border always sees background).
    /// Nil when there is no ink, or none survives the threshold.
    ///
    /// Why the limit: someone who enlarges a digit to fill its picture stretches a round digit to
    /// the square, but a 1 only so far — a 1 stretched to 16 × 16 is a solid block, not a digit
    /// anyone makes, and training on such blocks taught the network nothing about the fat bars
    /// that thick frame-filling 1s are (it read them as 0).
    func lowResolutionCopy(side: Int, stretch: Bool, threshold: Float) -> GrayImage? {
        let strongest = pixels.max() ?? 0
        guard strongest > 0, let box = inkBounds(above: 0.1 * strongest) else { return nil }
        let (boxWidth, boxHeight) = (box.maxX - box.minX + 1, box.maxY - box.minY + 1)
        let longer = max(boxWidth, boxHeight)
        let widen: Float = stretch ? Self.stretchLimit : 1
        let targetWidth = min(side, max(1, Int((widen * Float(boxWidth * side) / Float(longer)).rounded())))
        let targetHeight = min(side, max(1, Int((widen * Float(boxHeight * side) / Float(longer)).rounded())))
        let columnWeights = areaWeights(from: box.minX, length: boxWidth, to: targetWidth)
        let rowWeights = areaWeights(from: box.minY, length: boxHeight, to: targetHeight)
        let (outWidth, outHeight) = (targetWidth + 2, targetHeight + 2)
        var output = [Float](repeating: 0, count: outWidth * outHeight)
        let cut = threshold * strongest
        var any = false
        for v in 0..<targetHeight {
            for u in 0..<targetWidth {
                var sum: Float = 0
                for (y, wy) in rowWeights[v] {
                    for (x, wx) in columnWeights[u] { sum += wy * wx * pixels[y * width + x] }
                }
                if sum > cut {
                    output[(v + 1) * outWidth + u + 1] = 1
                    any = true
                }
            }
        }
        return any ? GrayImage(width: outWidth, height: outHeight, pixels: output) : nil
    }
}

/// For each of `count` output pixels over source [start, start + length): the source pixels it
/// overlaps and the overlap as a fraction of the output pixel (weights sum to 1).
private func areaWeights(from start: Int, length: Int, to count: Int) -> [[(Int, Float)]] {
    let span = Float(length) / Float(count)
    return (0..<count).map { u in
        let low = Float(start) + Float(u) * span
        let high = low + span
        var weights: [(Int, Float)] = []
        var i = max(start, Int(low.rounded(.down)))
        while Float(i) < high && i < start + length {
            let overlap = min(high, Float(i + 1)) - max(low, Float(i))
            if overlap > 0 { weights.append((i, overlap / span)) }
            i += 1
        }
        return weights
    }
}
