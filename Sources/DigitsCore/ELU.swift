import Glibc

/// The exponential linear unit (Clevert, Unterthiner & Hochreiter 2016), element by element:
///
///     y = x               for x > 0
///     y = α·(eˣ − 1)      for x ≤ 0           (α > 0, default 1)
///
/// Shapes: X (B, n), Y (B, n). Backward through the output, as for the other activations:
///
///     dX = dY ⊙ f′,   f′ = 1 for x > 0,   f′ = α·eˣ = y + α for x ≤ 0
///
/// At x = 0 both sides give y = 0; the derivative taken there is the left one, y + α = α (which is
/// 1, i.e. continuous, for the default α = 1). `expm1f` keeps α(eˣ − 1) accurate near 0.
public final class ELU: Layer {
    public let inputSize: Int
    public var outputSize: Int { inputSize }
    public let alpha: Float
    private var output: Matrix
    private var inputGradient: Matrix

    public init(size: Int, alpha: Float = 1) {
        inputSize = size
        self.alpha = alpha
        output = Matrix(rows: 0, columns: size)
        inputGradient = Matrix(rows: 0, columns: size)
    }

    public func forward(_ x: Matrix) -> Matrix {
        precondition(x.columns == inputSize, "ELU expects \(inputSize) inputs, got \(x.columns)")
        output.prepare(rows: x.rows)
        let alpha = alpha
        output.elements.withUnsafeMutableBufferPointer { y in
            x.elements.withUnsafeBufferPointer { x in
                // `x > 0 ? … : …` sends NaN to the second branch, where α·expm1(NaN) is NaN: it reaches the loss.
                for i in 0..<x.count { y[i] = x[i] > 0 ? x[i] : alpha * expm1f(x[i]) }
            }
        }
        return output
    }

    public func backward(_ dY: Matrix) -> Matrix {
        precondition(dY.rows == output.rows && dY.columns == inputSize, "ELU backward: dY has the wrong shape")
        inputGradient.prepare(rows: dY.rows)
        let alpha = alpha
        inputGradient.elements.withUnsafeMutableBufferPointer { dx in
            dY.elements.withUnsafeBufferPointer { dy in
                output.elements.withUnsafeBufferPointer { y in
                    for i in 0..<dy.count { dx[i] = dy[i] * (y[i] > 0 ? 1 : y[i] + alpha) }  // dX = dY ⊙ f′
                }
            }
        }
        return inputGradient
    }
}
