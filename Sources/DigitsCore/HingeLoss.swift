/// The multiclass SVM (hinge) loss of Weston & Watkins as taught in the lecture, margin Δ = 1:
///
///     L_b = Σ_{j ≠ y_b} max(0, s_bj − s_b,y_b + 1),      L = (1/B) Σ_b L_b
///
/// over the scores S (B, classes) of the last Linear layer; y_b is the class of row b, the column
/// where its one-hot target T is largest (the first such). Backward, with m_bj = s_bj − s_b,y_b + 1:
///
///     dL/ds_bj     =  [m_bj > 0] / B                         (j ≠ y_b)
///     dL/ds_b,y_b  = −(Σ_{j ≠ y_b} [m_bj > 0]) / B
///
/// **At the kink** (m_bj = 0 exactly: a wrong score exactly one below the right one) max(0, m) has
/// no derivative; the subgradient taken there is 0, the one-sided derivative from the satisfied side
/// (the margin is met, the class contributes nothing) — as in the lecture's reference code
/// (`margins > 0`). Any value in [0, 1] would be a valid subgradient.
///
/// The L2 term λΣW² of the lecture is the optimiser's weight decay, not part of this loss.
/// Scores are not probabilities: classify and evaluate still report a softmax of them.
public final class MulticlassHingeLoss: Loss {
    public static let margin: Float = 1
    private var gradient = Matrix(rows: 0, columns: 0)

    public init() {}

    public func forward(_ s: Matrix, targets t: Matrix) -> Float {
        precondition(s.rows == t.rows && s.columns == t.columns, "hinge: scores and targets differ in shape")
        if gradient.columns != s.columns { gradient = Matrix(rows: s.rows, columns: s.columns) }
        gradient.prepare(rows: s.rows)
        let n = s.columns
        let inverseBatch = 1 / Float(max(s.rows, 1))
        var total: Float = 0
        gradient.elements.withUnsafeMutableBufferPointer { g in
            s.elements.withUnsafeBufferPointer { s in
                t.elements.withUnsafeBufferPointer { t in
                    for row in 0..<(n == 0 ? 0 : s.count / n) {
                        let o = row * n
                        var label = 0
                        for j in 1..<max(n, 1) where t[o + j] > t[o + label] { label = j }
                        let correct = s[o + label]
                        var violated: Float = 0
                        for j in 0..<n {
                            g[o + j] = 0
                            guard j != label else { continue }
                            let m = s[o + j] - correct + Self.margin
                            if m > 0 {  // strictly: at m = 0 the subgradient is 0
                                total += m
                                g[o + j] = inverseBatch  // dL/ds_j = 1/B
                                violated += 1
                            } else if m.isNaN {
                                total = .nan
                            }
                        }
                        g[o + label] = -violated * inverseBatch  // dL/ds_y = −(#violations)/B
                    }
                }
            }
        }
        return total * inverseBatch
    }

    public func backward() -> Matrix { gradient }
}
