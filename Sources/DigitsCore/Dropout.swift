/// Inverted dropout (Srivastava et al. 2014) after a hidden activation: in training each unit is
/// kept with probability 1 − p and scaled by 1/(1 − p), so that E[y] = x and inference needs no change.
///
///     training:   M_bj = [u_bj ≥ p] / (1 − p),  u_bj ~ U[0, 1) from the run's generator;   Y = X ⊙ M
///     inference:  Y = X
///     backward:   dX = dY ⊙ M   (the mask of the forward it follows)
///
/// Shapes: X, M, Y (B, n). The mask is drawn by `drawMask(rows:generator:)` from the trainer's
/// `SeededGenerator` just before a training forward, and used by that one forward only: any other
/// forward (evaluation, classification, a validation pass) sees no mask and is the identity. So the
/// masks are fixed by the seed, and a checkpoint's generator state resumes them exactly.
public final class Dropout: Layer {
    public let inputSize: Int
    public var outputSize: Int { inputSize }
    /// p, the probability of dropping a unit (0 ≤ p < 1).
    public let rate: Float
    /// The mask drawn last: 0 or 1/(1 − p) per element.
    public private(set) var mask: Matrix
    /// Set by `drawMask`, consumed by the next forward.
    private var maskIsDrawn = false
    /// Whether the last forward applied the mask (so backward applies it too).
    private var maskWasApplied = false
    private var output: Matrix
    private var inputGradient: Matrix

    public init(size: Int, rate: Float) {
        precondition(rate >= 0 && rate < 1, "dropout rate must be in [0, 1)")
        inputSize = size
        self.rate = rate
        mask = Matrix(rows: 0, columns: size)
        output = Matrix(rows: 0, columns: size)
        inputGradient = Matrix(rows: 0, columns: size)
    }

    /// Draws the mask for the next forward, of `rows` examples: one uniform number per element, row by row.
    public func drawMask(rows: Int, generator: inout SeededGenerator) {
        mask.prepare(rows: rows)
        let p = rate, scale = 1 / (1 - rate)
        mask.elements.withUnsafeMutableBufferPointer { m in
            for i in 0..<m.count { m[i] = generator.nextUnitFloat() >= p ? scale : 0 }
        }
        maskIsDrawn = true
    }

    public func forward(_ x: Matrix) -> Matrix {
        precondition(x.columns == inputSize, "dropout expects \(inputSize) inputs, got \(x.columns)")
        maskWasApplied = maskIsDrawn
        maskIsDrawn = false
        guard maskWasApplied else { return x }  // inference: Y = X
        precondition(mask.rows == x.rows, "dropout: the mask was drawn for \(mask.rows) rows, the batch has \(x.rows)")
        output.prepare(rows: x.rows)
        output.elements.withUnsafeMutableBufferPointer { y in
            x.elements.withUnsafeBufferPointer { x in
                mask.elements.withUnsafeBufferPointer { m in
                    for i in 0..<y.count { y[i] = x[i] * m[i] }  // Y = X ⊙ M
                }
            }
        }
        return output
    }

    public func backward(_ dY: Matrix) -> Matrix {
        guard maskWasApplied else { return dY }
        precondition(dY.rows == mask.rows && dY.columns == inputSize, "dropout backward: dY has the wrong shape")
        inputGradient.prepare(rows: dY.rows)
        inputGradient.elements.withUnsafeMutableBufferPointer { dx in
            dY.elements.withUnsafeBufferPointer { dy in
                mask.elements.withUnsafeBufferPointer { m in
                    for i in 0..<dx.count { dx[i] = dy[i] * m[i] }  // dX = dY ⊙ M
                }
            }
        }
        return inputGradient
    }
}

extension MLP {
    /// Draws every dropout layer's mask for the next training forward of `rows` examples, layer by
    /// layer from the input side. Without dropout this draws nothing, so runs without it are unchanged.
    public func drawDropoutMasks(rows: Int, generator: inout SeededGenerator) {
        for layer in dropoutLayers { layer.drawMask(rows: rows, generator: &generator) }
    }
}
