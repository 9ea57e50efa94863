import Glibc

/// A loss over a minibatch: the mean over examples of a per-example loss.
/// `forward` takes the network's output Y and the targets T (both (B, classes)) and returns the
/// mean loss; `backward` returns dL/dY for that same batch.
public protocol Loss: AnyObject {
    func forward(_ output: Matrix, targets: Matrix) -> Float
    func backward() -> Matrix
}

/// Softmax followed by cross-entropy, fused: L = −(1/B) Σ_b Σ_j t_bj · log p_bj with p = softmax(z).
///
/// Fusing gives the simple, stable gradient dL/dz = (p − t)/B, and log p is computed as
/// (z − max) − log Σ e^(z − max), which stays finite for logits of ±1000.
public final class SoftmaxCrossEntropy: Loss {
    public private(set) var probabilities = Matrix(rows: 0, columns: 0)
    private var gradient = Matrix(rows: 0, columns: 0)
    private var targets = Matrix(rows: 0, columns: 0)

    public init() {}

    public func forward(_ z: Matrix, targets t: Matrix) -> Float {
        precondition(z.rows == t.rows && z.columns == t.columns, "cross-entropy: logits and targets differ in shape")
        if probabilities.columns != z.columns {
            probabilities = Matrix(rows: z.rows, columns: z.columns)
            gradient = Matrix(rows: z.rows, columns: z.columns)
            targets = Matrix(rows: z.rows, columns: z.columns)
        }
        probabilities.prepare(rows: z.rows)
        targets.assign(t)
        let n = z.columns
        var total: Float = 0
        probabilities.elements.withUnsafeMutableBufferPointer { p in
            z.elements.withUnsafeBufferPointer { z in
                t.elements.withUnsafeBufferPointer { t in
                    for row in 0..<t.count / max(n, 1) {
                        let o = row * n
                        var maximum = -Float.infinity
                        for j in 0..<n { maximum = max(maximum, z[o + j]) }
                        var sum: Float = 0
                        for j in 0..<n { sum += expf(z[o + j] - maximum) }
                        let logSum = logf(sum)
                        for j in 0..<n {
                            let logP = z[o + j] - maximum - logSum
                            p[o + j] = expf(logP)
                            if t[o + j] != 0 { total -= t[o + j] * logP }
                        }
                    }
                }
            }
        }
        return z.rows == 0 ? 0 : total / Float(z.rows)
    }

    public func backward() -> Matrix {
        gradient.prepare(rows: probabilities.rows)
        let inverseBatch = 1 / Float(max(probabilities.rows, 1))
        gradient.elements.withUnsafeMutableBufferPointer { g in
            probabilities.elements.withUnsafeBufferPointer { p in
                targets.elements.withUnsafeBufferPointer { t in
                    for i in 0..<p.count { g[i] = (p[i] - t[i]) * inverseBatch }
                }
            }
        }
        return gradient
    }
}

/// Squared error as in the lecture notes: L = (1/B) Σ_b ½‖t_b − y_b‖², so dL/dy = (y − t)/B.
public final class MeanSquaredError: Loss {
    private var gradient = Matrix(rows: 0, columns: 0)

    public init() {}

    public func forward(_ y: Matrix, targets t: Matrix) -> Float {
        precondition(y.rows == t.rows && y.columns == t.columns, "squared error: output and targets differ in shape")
        if gradient.columns != y.columns { gradient = Matrix(rows: y.rows, columns: y.columns) }
        gradient.prepare(rows: y.rows)
        let inverseBatch = 1 / Float(max(y.rows, 1))
        var total: Float = 0
        gradient.elements.withUnsafeMutableBufferPointer { g in
            y.elements.withUnsafeBufferPointer { y in
                t.elements.withUnsafeBufferPointer { t in
                    for i in 0..<y.count {
                        let difference = y[i] - t[i]
                        total += 0.5 * difference * difference
                        g[i] = difference * inverseBatch
                    }
                }
            }
        }
        return total * inverseBatch
    }

    public func backward() -> Matrix { gradient }
}

/// The loss an `MLP` is trained with, as named on the command line and in model files.
public enum LossFunction: String, CaseIterable, Codable, Sendable {
    case crossEntropy = "cross-entropy"
    /// Squared error on the softmax probabilities.
    case meanSquaredError = "mse"
    /// The multiclass hinge loss on the scores (`MulticlassHingeLoss`); probabilities are a softmax of them.
    case hinge
}
