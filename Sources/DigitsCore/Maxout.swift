/// The pooling half of a maxout layer (Goodfellow et al. 2013): each unit is the largest of k pieces,
///
///     h_j = max_p z_{j,p},    z = X·Wᵀ + 1·bᵀ   (the Linear layer in front, with k × units outputs)
///
/// so a hidden layer of n maxout units is `Linear(in → k·n)` followed by `MaxoutPool(units: n, pieces: k)`:
/// the weight of that Linear has k × the outputs, row j·k + p holding piece p of unit j (a unit's
/// pieces are adjacent, so one row of Z is read contiguously).
///
/// Shapes: Z (B, k·n) → H (B, n). Forward keeps, per row and unit, the column of the winning piece
/// (the first one on ties); backward routes each dH_j to that column and gives the other pieces 0:
///
///     dZ_{b, j·k + p} = dH_{b,j}  if p = argmax_p z_{b,j,p},  else 0
///
/// With k = 2 and one piece fixed at 0 this is ReLU; with learnt pieces it is a learnt convex function.
public final class MaxoutPool: Layer {
    public let units: Int
    public let pieces: Int
    public var inputSize: Int { units * pieces }
    public var outputSize: Int { units }
    private var output: Matrix
    private var inputGradient: Matrix
    /// Column of Z that won, per element of H (row-major like H).
    public private(set) var winners: [Int] = []

    public init(units: Int, pieces: Int) {
        precondition(units > 0 && pieces > 0, "maxout needs at least one unit and one piece")
        self.units = units
        self.pieces = pieces
        output = Matrix(rows: 0, columns: units)
        inputGradient = Matrix(rows: 0, columns: units * pieces)
    }

    public func forward(_ z: Matrix) -> Matrix {
        precondition(z.columns == inputSize, "maxout expects \(inputSize) inputs (\(units) units × \(pieces) pieces), got \(z.columns)")
        output.prepare(rows: z.rows)
        let count = z.rows * units
        if winners.count < count { winners = [Int](repeating: 0, count: count) }
        let k = pieces
        output.elements.withUnsafeMutableBufferPointer { h in
            z.elements.withUnsafeBufferPointer { z in
                winners.withUnsafeMutableBufferPointer { w in
                    for i in 0..<count {  // i = b·n + j; its pieces start at column i·k of Z's storage
                        let start = i * k
                        var best = start
                        // A NaN piece wins (and a NaN first piece is never beaten), so a NaN reaches the loss.
                        for c in (start + 1)..<(start + k) where z[c] > z[best] || z[c].isNaN { best = c }
                        w[i] = best
                        h[i] = z[best]
                    }
                }
            }
        }
        return output
    }

    public func backward(_ dH: Matrix) -> Matrix {
        precondition(dH.rows == output.rows && dH.columns == units, "maxout backward: dH has the wrong shape")
        inputGradient.prepare(rows: dH.rows)
        let count = dH.rows * units
        inputGradient.elements.withUnsafeMutableBufferPointer { dz in
            for i in 0..<dz.count { dz[i] = 0 }
            dH.elements.withUnsafeBufferPointer { dh in
                winners.withUnsafeBufferPointer { w in
                    for i in 0..<count { dz[w[i]] = dh[i] }  // dZ at the winning piece = dH
                }
            }
        }
        return inputGradient
    }
}
