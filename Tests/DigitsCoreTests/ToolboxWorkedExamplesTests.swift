import DigitsCore
import DigitsTestSupport
import Glibc
import Testing

/// ELU, maxout and the multiclass hinge loss on numbers small enough to do by hand, the arithmetic
/// beside the expected values (absolute tolerance 1e-6 unless noted), and checks that the gradient
/// check catches a wrong backward of each.
@Suite("Worked examples: ELU, maxout, hinge")
struct ToolboxWorkedExamplesTests {
    static let tolerance: Float = 1e-6

    /// α = 1, x = (−1, 0, 2, −0.5):
    ///   y  = (e⁻¹ − 1, 0, 2, e^−½ − 1)            = (−0.632121, 0, 2, −0.393469)
    ///   f′ = (y + α, left side at 0: α, 1, y + α)  = (0.367879, 1, 1, 0.606531) = (e⁻¹, 1, 1, e^−½)
    /// α = 0.5 at x = −1: y = 0.5·(e⁻¹ − 1) = −0.316060, f′ = 0.5·e⁻¹ = 0.183940.
    @Test("ELU: values and slopes at known points, α = 1 and α = 0.5")
    func elu() {
        let layer = ELU(size: 4)
        let y = layer.forward(Matrix([[-1, 0, 2, -0.5]]))
        #expect(isClose(y, Matrix([[-0.632121, 0, 2, -0.393469]]), absoluteTolerance: Self.tolerance))
        let dX = layer.backward(Matrix([[1, 1, 1, 1]]))
        #expect(isClose(dX, Matrix([[0.367879, 1, 1, 0.606531]]), absoluteTolerance: Self.tolerance))

        let half = ELU(size: 1, alpha: 0.5)
        #expect(isClose(half.forward(Matrix([[-1]])), Matrix([[-0.316060]]), absoluteTolerance: Self.tolerance))
        // dY = 3: dX = 3·0.183940 = 0.551819
        #expect(isClose(half.backward(Matrix([[3]])), Matrix([[0.551819]]), absoluteTolerance: Self.tolerance))
        // Large negative inputs saturate at −α, never below.
        #expect(half.forward(Matrix([[-1000]])) == Matrix([[-0.5]]))
    }

    /// Two maxout units of k = 2 pieces on x = (2, 3). W (4, 2), row j·k + p = piece p of unit j:
    ///   unit 0: w₀₀ = (1, 0), b = 0;     w₀₁ = (0, 1), b = 0.5
    ///   unit 1: w₁₀ = (1, 1), b = 0;     w₁₁ = (−1, −1), b = 0
    ///   z = (2, 3 + 0.5, 2 + 3, −5) = (2, 3.5, 5, −5);  h = (max(2, 3.5), max(5, −5)) = (3.5, 5)
    /// Backward with dH = (1, −2): the gradient goes to the winners only,
    ///   dZ = (0, 1, −2, 0);  dW = dZᵀ·x = [(0, 0), (2, 3), (−4, −6), (0, 0)];  db = dZ = (0, 1, −2, 0)
    ///   dX = dZ·W = 1·(0, 1) − 2·(1, 1) = (−2, −1)
    @Test("Maxout: two units of two pieces by hand, through an MLP-shaped Linear + pool")
    func maxout() {
        let linear = Linear(weight: Matrix([[1, 0], [0, 1], [1, 1], [-1, -1]]), bias: Matrix([[0, 0.5, 0, 0]]))
        let pool = MaxoutPool(units: 2, pieces: 2)
        let h = pool.forward(linear.forward(Matrix([[2, 3]])))
        #expect(h == Matrix([[3.5, 5]]))
        #expect(Array(pool.winners.prefix(2)) == [1, 2])
        let dZ = pool.backward(Matrix([[1, -2]]))
        #expect(dZ == Matrix([[0, 1, -2, 0]]))
        let dX = linear.backward(dZ)
        #expect(linear.weightGradient == Matrix([[0, 0], [2, 3], [-4, -6], [0, 0]]))
        #expect(linear.biasGradient == Matrix([[0, 1, -2, 0]]))
        #expect(dX == Matrix([[-2, -1]]))
    }

    /// Architecture 2-3-4 with maxout k = 3: the hidden Linear is 9 × 2, the output Linear 4 × 3.
    @Test("Maxout architecture: hidden weights have k × the units; the file's sizes stay the units")
    func maxoutShapes() throws {
        let architecture = Architecture(layerSizes: [2, 3, 4], activation: .maxout, maxoutPieces: 3)
        #expect(architecture.weightShapes.map { [$0.rows, $0.columns] } == [[9, 2], [4, 3]])
        #expect(architecture.parameterCount == 9 * 2 + 9 + 4 * 3 + 4)
        var generator = SeededGenerator(seed: 3)
        let mlp = try MLP(architecture: architecture, generator: &generator)
        #expect(mlp.layers.map { "\(type(of: $0))" } == ["Linear", "MaxoutPool", "Linear"])
        #expect(mlp.forward(Matrix([[0.5, -1]])).shape == (1, 4))
        #expect(throws: ArchitectureError.badMaxoutPieces(0)) {
            try Architecture(layerSizes: [2, 3, 4], activation: .maxout, maxoutPieces: 0).validate()
        }
        #expect(throws: ArchitectureError.badELUAlpha(-1)) {
            try Architecture(layerSizes: [2, 3, 4], activation: .elu, eluAlpha: -1).validate()
        }
    }

    /// The lecture's three images, scores for (cat, car, frog):
    ///   cat  (3.2, 5.1, −1.7), label cat:  max(0, 5.1 − 3.2 + 1) + max(0, −1.7 − 3.2 + 1) = 2.9 + 0 = 2.9
    ///   car  (1.3, 4.9, 2.0),  label car:  max(0, 1.3 − 4.9 + 1) + max(0, 2.0 − 4.9 + 1) = 0 + 0  = 0
    ///   frog (2.2, 2.5, −3.1), label frog: max(0, 2.2 + 3.1 + 1) + max(0, 2.5 + 3.1 + 1) = 6.3 + 6.6 = 12.9
    ///   L = (2.9 + 0 + 12.9)/3 = 5.266667
    /// Gradient (÷ B = 3): a violated margin gives +1 to its class and −1 to the label's:
    ///   cat (−1, 1, 0)/3;  car (0, 0, 0);  frog (1, 1, −2)/3
    @Test("Hinge: the lecture's cat/car/frog scores, loss 5.27 and its gradient")
    func hingeLecture() {
        let loss = MulticlassHingeLoss()
        let s = Matrix([[3.2, 5.1, -1.7], [1.3, 4.9, 2.0], [2.2, 2.5, -3.1]])
        let value = loss.forward(s, targets: .oneHot([0, 1, 2], classes: 3))
        #expect(isClose(value, 5.266667, absoluteTolerance: 1e-5))
        let third: Float = 1.0 / 3
        #expect(
            isClose(
                loss.backward(), Matrix([[-third, third, 0], [0, 0, 0], [third, third, -2 * third]]),
                absoluteTolerance: Self.tolerance))
    }

    /// At the kink: scores (1, 0, −5), label 0. Class 1's margin is 0 − 1 + 1 = 0 exactly: it adds 0 to
    /// the loss and, by the documented choice, 0 to the gradient; class 2's is −5, satisfied. Raising
    /// s₁ by 2⁻¹⁰ (exact in Float) violates it: L = 2⁻¹⁰, gradient (−1, 1, 0).
    @Test("Hinge at the kink: a margin of exactly 0 contributes no gradient")
    func hingeKink() {
        let loss = MulticlassHingeLoss()
        #expect(loss.forward(Matrix([[1, 0, -5]]), targets: .oneHot([0], classes: 3)) == 0)
        #expect(loss.backward() == Matrix([[0, 0, 0]]))
        let nudge: Float = 1.0 / 1024
        #expect(loss.forward(Matrix([[1, nudge, -5]]), targets: .oneHot([0], classes: 3)) == nudge)
        #expect(loss.backward() == Matrix([[-1, 1, 0]]))
    }

    /// A NaN score must reach the trainer's divergence check.
    @Test("Hinge passes NaN scores on to the loss")
    func hingeNaN() {
        #expect(MulticlassHingeLoss().forward(Matrix([[.nan, 0, 1]]), targets: .oneHot([1], classes: 3)).isNaN)
    }

    /// Maxout routing its gradient to every piece (instead of the winner only), and a hinge gradient
    /// without the 1/B: both fail the central-difference check that the right versions pass.
    @Test("The gradient check catches a maxout that routes to every piece and a hinge that forgets 1/B")
    func wrongBackwardsAreCaught() {
        let z = Matrix([[0.3, 1.4, -2, -1.1, 0.6, 0.2], [2, -0.5, 0.7, 1.9, -1, -1.3]])  // 3 units, k = 2, no ties
        let g = Matrix.sinePattern(rows: 2, columns: 3, phase: 0.6)
        let pool = MaxoutPool(units: 3, pieces: 2)
        _ = pool.forward(z)
        let right = pool.backward(g)
        var everyPiece = right
        for i in 0..<everyPiece.elements.count { everyPiece.elements[i] = g.elements[i / 2] }
        let numerical = GradientCheck.numericalGradient(at: z) { weightedSum(pool.forward($0), weights: g) }
        #expect(GradientCheck.compare(analytic: right, numerical: numerical).passed)
        #expect(!GradientCheck.compare(analytic: everyPiece, numerical: numerical).passed)

        let loss = MulticlassHingeLoss()
        let s = Matrix([[3.2, 5.1, -1.7], [2.2, 2.5, -3.1]])
        let t = Matrix.oneHot([0, 2], classes: 3)
        _ = loss.forward(s, targets: t)
        let ds = loss.backward()
        var withoutMean = ds
        for i in withoutMean.elements.indices { withoutMean.elements[i] *= 2 }
        let numericalS = GradientCheck.numericalGradient(at: s) { Double(loss.forward($0, targets: t)) }
        #expect(GradientCheck.compare(analytic: ds, numerical: numericalS).passed)
        #expect(!GradientCheck.compare(analytic: withoutMean, numerical: numericalS).passed)
    }
}
