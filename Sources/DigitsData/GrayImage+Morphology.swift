// Stroke-width jitter: grey dilation and erosion with a 2 × 2 or 3 × 3 square, and area-average
// downsampling by a whole factor.

extension GrayImage {
    /// Each pixel becomes the largest of its `square × square` neighbourhood: with 3 (offsets
    /// −1…1) strokes grow by one pixel on every side, a 1-px line becomes 3 px wide; with 2 (offsets
    /// 0…1) by one pixel in all, half a pixel each side (and half a pixel up-left, which the
    /// preprocessor's re-centring undoes) — what a 3 × 3 square does at twice the resolution.
    func dilated(square: Int = 3) -> GrayImage { neighbourhood(square: square, largest: true) }

    /// Each pixel becomes the smallest of its `square × square` neighbourhood (outside the image
    /// counts as background): strokes lose 2 px of width with 3 (a 3-px line becomes 1 px), 1 px with 2.
    func eroded(square: Int = 3) -> GrayImage { neighbourhood(square: square, largest: false) }

    /// The square done separably: along rows, then along columns (outside is 0).
    private func neighbourhood(square: Int, largest: Bool) -> GrayImage {
        precondition(square == 2 || square == 3, "neighbourhood: a 2 × 2 or 3 × 3 square")
        let before = square == 3 ? 1 : 0  // offsets −before…1
        let (w, h) = (width, height)
        var across = [Float](repeating: 0, count: w * h)
        var output = [Float](repeating: 0, count: w * h)
        @inline(__always) func combine(_ a: Float, _ b: Float) -> Float { largest ? max(a, b) : min(a, b) }
        pixels.withUnsafeBufferPointer { source in
            across.withUnsafeMutableBufferPointer { row in
                for y in 0..<h {
                    for x in 0..<w {
                        let left = before == 0 ? source[y * w + x] : x > 0 ? source[y * w + x - 1] : 0
                        let right = x < w - 1 ? source[y * w + x + 1] : 0
                        row[y * w + x] = combine(combine(left, source[y * w + x]), right)
                    }
                }
            }
        }
        across.withUnsafeBufferPointer { row in
            output.withUnsafeMutableBufferPointer { out in
                for y in 0..<h {
                    for x in 0..<w {
                        let up = before == 0 ? row[y * w + x] : y > 0 ? row[(y - 1) * w + x] : 0
                        let down = y < h - 1 ? row[(y + 1) * w + x] : 0
                        out[y * w + x] = combine(combine(up, row[y * w + x]), down)
                    }
                }
            }
        }
        return GrayImage(width: w, height: h, pixels: output)
    }

    /// Each k × k block becomes its mean (the size must be a multiple of k).
    func downsampled(by k: Int) -> GrayImage {
        precondition(k >= 1 && width % k == 0 && height % k == 0, "downsampled(by:): \(width) × \(height) is not a multiple of \(k)")
        guard k > 1 else { return self }
        let (w, h) = (width / k, height / k)
        var output = [Float](repeating: 0, count: w * h)
        let scale = 1 / Float(k * k)
        for y in 0..<height {
            for x in 0..<width { output[(y / k) * w + x / k] += pixels[y * width + x] }
        }
        for i in output.indices { output[i] *= scale }
        return GrayImage(width: w, height: h, pixels: output)
    }
}
