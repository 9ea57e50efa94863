import DigitsCore
import Foundation

// Geometric augmentation at the source resolution: an affine map and an elastic displacement field,
// sampled together in one bilinear pass. Images here are ink images: ink high, background 0.
// Coordinates are continuous with pixel i spanning [i, i + 1), so pixel centres sit at i + ½.

/// A linear map of the plane, x' = a·x + b·y, y' = c·x + d·y, in image coordinates (y down).
public struct AffineTransform: Equatable, Sendable {
    public var a: Float, b: Float, c: Float, d: Float

    public init(a: Float, b: Float, c: Float, d: Float) {
        self.a = a
        self.b = b
        self.c = c
        self.d = d
    }

    public static let identity = AffineTransform(a: 1, b: 0, c: 0, d: 1)

    /// Anticlockwise as seen on the screen (y points down): a point right of the centre moves up.
    public static func rotation(degrees: Float) -> AffineTransform {
        let radians = Double(degrees) * Double.pi / 180
        let (cosine, sine) = (Float(cos(radians)), Float(sin(radians)))
        return AffineTransform(a: cosine, b: sine, c: -sine, d: cosine)
    }

    /// x' = x + s·y: the top leans right for s < 0 (y down), left for s > 0.
    public static func shear(_ s: Float) -> AffineTransform { AffineTransform(a: 1, b: s, c: 0, d: 1) }

    /// Width : height multiplied by e^l, area kept: x' = e^(l/2)·x, y' = e^(−l/2)·y.
    public static func aspect(log l: Float) -> AffineTransform {
        AffineTransform(a: Float(exp(Double(l) / 2)), b: 0, c: 0, d: Float(exp(-Double(l) / 2)))
    }

    /// self ∘ other: apply `other` first.
    public func after(_ other: AffineTransform) -> AffineTransform {
        AffineTransform(
            a: a * other.a + b * other.c, b: a * other.b + b * other.d,
            c: c * other.a + d * other.c, d: c * other.b + d * other.d)
    }

    /// The inverse map (every transform built above has determinant 1 up to rounding, never 0).
    public var inverse: AffineTransform {
        let determinant = a * d - b * c
        return AffineTransform(a: d / determinant, b: -b / determinant, c: -c / determinant, d: a / determinant)
    }

    func apply(_ x: Float, _ y: Float) -> (Float, Float) { (a * x + b * y, c * x + d * y) }
}

/// A smooth random displacement field (Simard, Steinkraus & Platt 2003): uniform noise in (−1, 1)
/// per node, Gaussian-smoothed, scaled so each component has the standard deviation Simard's α and σ
/// give, α·√(1/3)·‖G_σ‖₂ = α·√(1/3)/(2√π·σ) (1.38 px for α 34, σ 4).
///
/// Cheaper than Simard's per-pixel convolution: the noise lives on a grid with nodes σ apart,
/// smoothed with σ = 1 node (5 taps), and is read between nodes bilinearly (in `warped`). Two fields of a
/// 28-px image cost ~3,000 multiply-adds instead of ~50,000.
struct DisplacementField {
    /// Node (i, j) sits at (originX + i·spacing, originY + j·spacing).
    let originX: Float, originY: Float, spacing: Float
    let columns: Int, rows: Int
    var dx: [Float], dy: [Float]

    /// Covers [minX, maxX] × [minY, maxY] (output coordinates) and a node beyond each edge.
    init(
        minX: Float, minY: Float, maxX: Float, maxY: Float, alpha: Float, sigma: Float,
        generator: inout SeededGenerator
    ) {
        spacing = sigma
        originX = minX - sigma
        originY = minY - sigma
        columns = Int(((maxX - originX) / sigma).rounded(.up)) + 2
        rows = Int(((maxY - originY) / sigma).rounded(.up)) + 2
        // Kernel exp(−t²/2), t = −2…2 nodes, normalised to sum 1; ‖w‖² of the 2-D kernel is (Σ w_t²)².
        let taps: [Float] = (-2...2).map { Float(exp(-Double($0 * $0) / 2)) }
        let sum = taps.reduce(0, +)
        let kernel = taps.map { $0 / sum }
        let squares = kernel.reduce(0) { $0 + $1 * $1 }
        let target = alpha * (1 / 3).squareRoot() / (2 * Float.pi.squareRoot() * sigma)
        let gain = target / ((1 / 3 as Float).squareRoot() * squares)
        dx = Self.smoothedNoise(columns: columns, rows: rows, kernel: kernel, gain: gain, generator: &generator)
        dy = Self.smoothedNoise(columns: columns, rows: rows, kernel: kernel, gain: gain, generator: &generator)
    }

    /// Noise drawn on a grid 2 nodes larger each way, smoothed separably, the middle kept.
    private static func smoothedNoise(
        columns: Int, rows: Int, kernel: [Float], gain: Float,
        generator: inout SeededGenerator
    ) -> [Float] {
        let (wideColumns, wideRows) = (columns + 4, rows + 4)
        let noise = (0..<wideColumns * wideRows).map { _ in generator.nextFloat(symmetricLimit: 1) }
        var across = [Float](repeating: 0, count: columns * wideRows)  // rows smoothed along x
        for j in 0..<wideRows {
            for i in 0..<columns {
                var sum: Float = 0
                for t in 0..<5 { sum += kernel[t] * noise[j * wideColumns + i + t] }
                across[j * columns + i] = sum
            }
        }
        var field = [Float](repeating: 0, count: columns * rows)
        for j in 0..<rows {
            for i in 0..<columns {
                var sum: Float = 0
                for t in 0..<5 { sum += kernel[t] * across[(j + t) * columns + i] }
                field[j * columns + i] = gain * sum
            }
        }
        return field
    }

    /// The largest |component| at any node, so anywhere (bilinear values lie between their nodes').
    var largest: Float { max(dx.map(abs).max() ?? 0, dy.map(abs).max() ?? 0) }

    /// Where coordinate `t` falls along an axis of `count` nodes starting at `origin`: the node
    /// before it and the fraction of the way to the next (clamped to the grid).
    @inline(__always)
    func node(_ t: Float, origin: Float, count: Int) -> (Int, Float) {
        let position = min(max((t - origin) / spacing, 0), Float(count - 1) - 0.001)
        let index = Int(position)
        return (index, position - Float(index))
    }
}

extension GrayImage {
    /// Output pixel (u, v) of a `width × height` canvas, upsampled `upsampling` times, samples this
    /// image bilinearly at `sourceCentre + inverse·(q + displacement(q))`, where q is the pixel
    /// centre relative to the canvas centre in source pixels; outside the image counts as 0.
    ///
    /// Fast path: a pixel whose affine position alone lies farther outside the image than the
    /// largest displacement can reach is background, found without evaluating the field.
    func warped(
        inverse m: AffineTransform, sourceCentre: (x: Float, y: Float),
        displacement: DisplacementField? = nil,
        width: Int, height: Int, upsampling k: Int = 1
    ) -> GrayImage {
        let (outWidth, outHeight) = (width * k, height * k)
        var output = [Float](repeating: 0, count: outWidth * outHeight)
        let step = 1 / Float(k)
        let (halfWidth, halfHeight) = (Float(width) / 2, Float(height) / 2)
        // The source with a 1-pixel empty border, so a bilinear fetch needs no bounds checks.
        let (sourceWidth, sourceHeight) = (self.width, self.height)
        let paddedWidth = sourceWidth + 2
        var padded = [Float](repeating: 0, count: paddedWidth * (sourceHeight + 2))
        var nonzero = InkBox(minX: sourceWidth, minY: sourceHeight, maxX: -1, maxY: -1)
        for y in 0..<sourceHeight {
            for x in 0..<sourceWidth where pixels[y * sourceWidth + x] != 0 {
                padded[(y + 1) * paddedWidth + x + 1] = pixels[y * sourceWidth + x]
                nonzero.include(x: x, y: y)
            }
        }
        guard nonzero.maxX >= 0 else { return GrayImage(width: outWidth, height: outHeight, pixels: output) }
        // How far the displacement can move a sample, in source pixels (‖m‖∞ · largest component).
        let reach = displacement.map { ($0.largest * max(abs(m.a) + abs(m.b), abs(m.c) + abs(m.d))) } ?? 0
        // A sample at x ∈ (minX − 1, maxX + 1) can touch a non-zero pixel; farther out it is 0.
        let (lowX, lowY) = (Float(nonzero.minX) - 1 - reach, Float(nonzero.minY) - 1 - reach)
        let (highX, highY) = (Float(nonzero.maxX) + 1 + reach, Float(nonzero.maxY) + 1 + reach)
        // The field is bilinear between nodes, so each output column and row finds its node once.
        var columnNodes = [(Int, Float)](repeating: (0, 0), count: outWidth)
        var rowNodes = [(Int, Float)](repeating: (0, 0), count: outHeight)
        if let field = displacement {
            for u in 0..<outWidth {
                columnNodes[u] = field.node((Float(u) + 0.5) * step - halfWidth, origin: field.originX, count: field.columns)
            }
            for v in 0..<outHeight {
                rowNodes[v] = field.node((Float(v) + 0.5) * step - halfHeight, origin: field.originY, count: field.rows)
            }
        }
        let fieldColumns = displacement?.columns ?? 0
        let (fieldX, fieldY) = (displacement?.dx ?? [], displacement?.dy ?? [])
        padded.withUnsafeBufferPointer { source in
            fieldX.withUnsafeBufferPointer { fieldX in
                fieldY.withUnsafeBufferPointer { fieldY in
                    output.withUnsafeMutableBufferPointer { out in
                        for v in 0..<outHeight {
                            let qy = (Float(v) + 0.5) * step - halfHeight
                            let (j, fv) = rowNodes[v]
                            for u in 0..<outWidth {
                                let qx = (Float(u) + 0.5) * step - halfWidth
                                // Sample position in pixel-index units (centres at integers).
                                var x = m.a * qx + m.b * qy + sourceCentre.x - 0.5
                                var y = m.c * qx + m.d * qy + sourceCentre.y - 0.5
                                guard x > lowX, y > lowY, x < highX, y < highY else { continue }
                                if fieldColumns > 0 {
                                    let (i, fu) = columnNodes[u]
                                    let node = j * fieldColumns + i
                                    @inline(__always) func mix(_ f: UnsafeBufferPointer<Float>) -> Float {
                                        let top = f[node] + fu * (f[node + 1] - f[node])
                                        let below = node + fieldColumns
                                        let bottom = f[below] + fu * (f[below + 1] - f[below])
                                        return top + fv * (bottom - top)
                                    }
                                    let (ddx, ddy) = (mix(fieldX), mix(fieldY))
                                    x += m.a * ddx + m.b * ddy
                                    y += m.c * ddx + m.d * ddy
                                    guard x > -1, y > -1, x < Float(sourceWidth), y < Float(sourceHeight) else { continue }
                                }
                                // x, y > −1: truncating x + 1 is ⌊x⌋ + 1, the padded index, with no floor call.
                                // Clamped: x just below the width can round up to width when 1 is added
                                // (x = 15.9999995 + 1 is 17.0 in Float), and the fetch would leave the image.
                                let (column, row) = (min(Int(x + 1), sourceWidth), min(Int(y + 1), sourceHeight))
                                let (fx, fy) = (x + 1 - Float(column), y + 1 - Float(row))
                                let i = row * paddedWidth + column
                                let top = source[i] + fx * (source[i + 1] - source[i])
                                let below = i + paddedWidth
                                let bottom = source[below] + fx * (source[below + 1] - source[below])
                                out[v * outWidth + u] = top + fy * (bottom - top)
                            }
                        }
                    }
                }
            }
        }
        return GrayImage(width: outWidth, height: outHeight, pixels: output)
    }

    /// Inclusive bounds of the pixels above `threshold`, or nil when there are none.
    func inkBounds(above threshold: Float) -> (minX: Int, minY: Int, maxX: Int, maxY: Int)? {
        var box = InkBox(minX: width, minY: height, maxX: -1, maxY: -1)
        for y in 0..<height {
            for x in 0..<width where pixels[y * width + x] > threshold { box.include(x: x, y: y) }
        }
        return box.maxX >= 0 ? (box.minX, box.minY, box.maxX, box.maxY) : nil
    }
}
