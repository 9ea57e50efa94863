import DigitsCore
import DigitsTestSupport
import Testing

/// The BLAS path (`gemm` over `cblas_sgemm`) against the three-loop `referenceGEMM`.
@Suite("gemm")
struct GEMMTests {
    static let sizes = [1, 2, 3, 7, 17, 33]
    /// (α, β) pairs: the default, a scaled product, accumulation, and both at once. All are exact
    /// binary fractions, so with small-integer operands every product and sum is exact in Float.
    static let scalings: [(alpha: Float, beta: Float)] = [(1, 0), (-1.5, 0), (1, 1), (0.5, -0.25), (0, 1)]

    /// A stored operand for op(M) of shape rows × columns.
    static func operand(_ transpose: Transpose, rows: Int, columns: Int, phase: Int) -> Matrix {
        transpose == .none
            ? .integerPattern(rows: rows, columns: columns, phase: phase)
            : .integerPattern(rows: columns, columns: rows, phase: phase)
    }

    /// Small integers make every summation order give the same bits, so BLAS (which blocks, vectorises
    /// and fuses multiply-adds) must agree with the naive loops exactly: compared with `==`.
    @Test("BLAS equals the reference exactly on integer data", arguments: Transpose.allCases, Transpose.allCases)
    func blasEqualsReferenceExactly(transA: Transpose, transB: Transpose) {
        for m in Self.sizes {
            for n in Self.sizes {
                for k in Self.sizes {
                    let a = Self.operand(transA, rows: m, columns: k, phase: 1)
                    let b = Self.operand(transB, rows: k, columns: n, phase: 4)
                    let c0 = Matrix.integerPattern(rows: m, columns: n, phase: 2)
                    for (alpha, beta) in Self.scalings {
                        var blas = c0, reference = c0
                        gemm(transA, a, transB, b, into: &blas, alpha: alpha, beta: beta)
                        referenceGEMM(transA, a, transB, b, into: &reference, alpha: alpha, beta: beta)
                        #expect(blas == reference, "m \(m), n \(n), k \(k), α \(alpha), β \(beta)")
                    }
                }
            }
        }
    }

    /// On general Float data the two orders of summation differ by rounding only: each of the k terms
    /// is at most 1 in magnitude here, so the error is bounded by about k·ε·Σ|aᵢbᵢ| ≤ k²·6·10⁻⁸.
    @Test("BLAS agrees with the reference on non-integer data", arguments: Transpose.allCases, Transpose.allCases)
    func blasAgreesWithReference(transA: Transpose, transB: Transpose) {
        for (m, n, k) in [(1, 1, 1), (2, 3, 7), (7, 17, 3), (33, 2, 17), (17, 33, 33)] {
            let stored = { (t: Transpose, r: Int, c: Int, phase: Double) in
                t == .none
                    ? Matrix.sinePattern(rows: r, columns: c, phase: phase)
                    : Matrix.sinePattern(rows: c, columns: r, phase: phase)
            }
            let a = stored(transA, m, k, 0.1), b = stored(transB, k, n, 0.6)
            let c0 = Matrix.sinePattern(rows: m, columns: n, phase: 1.7)
            var blas = c0, reference = c0
            gemm(transA, a, transB, b, into: &blas, alpha: 0.7, beta: 0.3)
            referenceGEMM(transA, a, transB, b, into: &reference, alpha: 0.7, beta: 0.3)
            #expect(maximumDifference(blas, reference) <= Float(k * k) * 1e-7 + 1e-6, "m \(m), n \(n), k \(k)")
        }
    }

    /// [[1, 2, 3], [4, 5, 6]] · [[7, 8], [9, 10], [11, 12]]:
    /// row 1: 1·7 + 2·9 + 3·11 = 58, 1·8 + 2·10 + 3·12 = 64; row 2: 4·7 + 5·9 + 6·11 = 139, 4·8 + 5·10 + 6·12 = 154.
    @Test("A product worked by hand, through each transpose flag")
    func handWorkedProduct() {
        let a = Matrix([[1, 2, 3], [4, 5, 6]]), b = Matrix([[7, 8], [9, 10], [11, 12]])
        let expected = Matrix([[58, 64], [139, 154]])
        for (transA, transB) in [(Transpose.none, Transpose.none), (.transposed, .none), (.none, .transposed), (.transposed, .transposed)] {
            var c = Matrix(rows: 2, columns: 2)
            gemm(transA, transA == .none ? a : a.transposed, transB, transB == .none ? b : b.transposed, into: &c)
            #expect(c == expected, "\(transA), \(transB)")
            var r = Matrix(rows: 2, columns: 2)
            referenceGEMM(transA, transA == .none ? a : a.transposed, transB, transB == .none ? b : b.transposed, into: &r)
            #expect(r == expected, "reference \(transA), \(transB)")
        }
    }

    /// With β = 0, C is output only: NaN or infinity left in it must not leak into the result.
    @Test("β = 0 ignores garbage (NaN, ∞) in C", arguments: Transpose.allCases, Transpose.allCases)
    func betaZeroIgnoresGarbage(transA: Transpose, transB: Transpose) {
        for (m, n, k) in [(1, 1, 1), (3, 7, 2), (17, 3, 33)] {
            let a = Self.operand(transA, rows: m, columns: k, phase: 3)
            let b = Self.operand(transB, rows: k, columns: n, phase: 5)
            var clean = Matrix(rows: m, columns: n)
            referenceGEMM(transA, a, transB, b, into: &clean)
            for garbage in [Float.nan, .infinity, -.infinity, 1e30] {
                var c = Matrix(rows: m, columns: n, repeating: garbage)
                gemm(transA, a, transB, b, into: &c, alpha: 1, beta: 0)
                #expect(c == clean, "gemm, garbage \(garbage), m \(m), n \(n), k \(k)")
                var r = Matrix(rows: m, columns: n, repeating: garbage)
                referenceGEMM(transA, a, transB, b, into: &r, alpha: 1, beta: 0)
                #expect(r == clean, "reference, garbage \(garbage)")
            }
        }
    }

    /// β = 1 accumulates: two products into the same C give C₀ + 2·AB.
    @Test("β = 1 accumulates into C")
    func betaOneAccumulates() {
        let a = Matrix.integerPattern(rows: 7, columns: 3, phase: 1)
        let b = Matrix.integerPattern(rows: 3, columns: 17, phase: 2)
        let c0 = Matrix.integerPattern(rows: 7, columns: 17, phase: 6)
        var product = Matrix(rows: 7, columns: 17)
        referenceGEMM(.none, a, .none, b, into: &product)
        var c = c0
        gemm(.none, a, .none, b, into: &c, beta: 1)
        gemm(.none, a, .none, b, into: &c, beta: 1)
        #expect(c.elements == zip(c0.elements, product.elements).map { $0 + 2 * $1 })
    }

    /// An empty inner dimension: op(A)·op(B) is the zero matrix, so C ← β·C (and β = 0 clears even NaN).
    /// Empty outer dimensions leave an empty C alone.
    @Test("Empty dimensions: k = 0 gives β·C; m = 0 or n = 0 is a no-op")
    func emptyDimensions() {
        let a = Matrix(rows: 3, columns: 0), b = Matrix(rows: 0, columns: 2)
        var c = Matrix([[1, 2], [3, 4], [5, 6]])
        gemm(.none, a, .none, b, into: &c, alpha: 1, beta: 0.5)
        #expect(c == Matrix([[0.5, 1], [1.5, 2], [2.5, 3]]))
        var r = Matrix([[1, 2], [3, 4], [5, 6]])
        referenceGEMM(.none, a, .none, b, into: &r, alpha: 1, beta: 0.5)
        #expect(r == c)
        var garbage = Matrix(rows: 3, columns: 2, repeating: .nan)
        gemm(.none, a, .none, b, into: &garbage)
        #expect(garbage == Matrix(rows: 3, columns: 2))

        var empty = Matrix(rows: 0, columns: 4)
        gemm(.none, Matrix(rows: 0, columns: 5), .none, Matrix(rows: 5, columns: 4), into: &empty)
        #expect(empty.shape == (0, 4))
        var noColumns = Matrix(rows: 2, columns: 0)
        gemm(.none, Matrix(rows: 2, columns: 5), .none, Matrix(rows: 5, columns: 0), into: &noColumns)
        #expect(noColumns.shape == (2, 0))
    }
}
