import DigitsCore
import DigitsTestSupport
import Foundation
import Testing

/// Softmax, the fused softmax cross-entropy and squared error: stability at extreme logits and
/// values worked by hand.
@Suite("Softmax and losses")
struct SoftmaxTests {
    /// Logits of ±1000: e^1000 overflows Float (and Double), so only the max-subtracted form survives.
    static let extremeLogits = Matrix([
        [1000, -1000, 0],  // → (1, 0, 0)
        [-1000, -1000, -1000],  // → (⅓, ⅓, ⅓): all equal, however small
        [1000, 1000, -1000],  // → (½, ½, 0)
        [-1000, 1000, 999]  // → (0, 1/(1 + e⁻¹), e⁻¹/(1 + e⁻¹)) = (0, 0.731059, 0.268941)
    ])
    static let extremeProbabilities = Matrix([
        [1, 0, 0], [1.0 / 3, 1.0 / 3, 1.0 / 3], [0.5, 0.5, 0], [0, 0.731059, 0.268941]
    ])

    @Test("Softmax stays finite for logits of ±1000, and its rows sum to 1")
    func softmaxExtremeLogits() {
        let softmax = Softmax(size: 3)
        let p = softmax.forward(Self.extremeLogits)
        #expect(p.isFinite)
        #expect(isClose(p, Self.extremeProbabilities, absoluteTolerance: 1e-6))
        for sum in p.rowSums { #expect(abs(sum - 1) < 1e-6) }
        let dX = softmax.backward(.sinePattern(rows: 4, columns: 3))
        #expect(dX.isFinite)
    }

    @Test("SoftmaxCrossEntropy stays finite for logits of ±1000: probabilities, loss and gradient")
    func crossEntropyExtremeLogits() {
        let loss = SoftmaxCrossEntropy()
        let value = loss.forward(Self.extremeLogits, targets: .oneHot([0, 2, 1, 1], classes: 3))
        #expect(value.isFinite)
        #expect(isClose(loss.probabilities, Self.extremeProbabilities, absoluteTolerance: 1e-6))
        for sum in loss.probabilities.rowSums { #expect(abs(sum - 1) < 1e-6) }
        #expect(loss.backward().isFinite)
        // Row by row: −log 1 = 0, −log ⅓ = 1.098612, −log ½ = 0.693147, −log 0.731059 = 0.313262.
        #expect(isClose(value, (0 + 1.098612 + 0.693147 + 0.313262) / 4, absoluteTolerance: 1e-5))
    }

    /// A confident correct prediction costs nothing, a confident wrong one costs the logit gap:
    /// z = (1000, −1000, 0): −log p₀ = log(1 + e⁻²⁰⁰⁰ + e⁻¹⁰⁰⁰) ≈ 0, −log p₁ = 2000 + log(…) ≈ 2000.
    @Test("Cross-entropy of a confident correct prediction is ~0, of a confident wrong one large")
    func confidentPredictions() {
        let loss = SoftmaxCrossEntropy()
        let z = Matrix([[1000, -1000, 0]])
        let correct = loss.forward(z, targets: .oneHot([0], classes: 3))
        #expect(correct >= 0 && correct < 1e-6)
        #expect(loss.backward().maximumMagnitude < 1e-6, "nothing left to learn")
        let wrong = loss.forward(z, targets: .oneHot([1], classes: 3))
        #expect(isClose(wrong, 2000, absoluteTolerance: 0, relativeTolerance: 1e-6))
        // The gradient of a confident wrong answer is bounded: p − t = (1, −1, 0).
        #expect(isClose(loss.backward(), Matrix([[1, -1, 0]]), absoluteTolerance: 1e-6))
        // A milder case, by hand: z = (5, 0), t = e₀: −log(e⁵/(e⁵ + 1)) = log(1 + e⁻⁵) = 0.0067153.
        #expect(
            isClose(
                loss.forward(Matrix([[5, 0]]), targets: .oneHot([0], classes: 2)), 0.0067153,
                absoluteTolerance: 1e-6))
    }

    /// z = [[1, 2, 3], [1, 1, 1]], labels (2, 0).
    /// Row 1: Σe^z = e + e² + e³ = 30.192880; p = (0.090031, 0.244728, 0.665241); −log p₂ = 0.407606.
    /// Row 2: p = (⅓, ⅓, ⅓); −log p₀ = log 3 = 1.098612.
    /// L = (0.407606 + 1.098612)/2 = 0.753109; dL/dz = (p − t)/2 =
    ///   [[0.045015, 0.122364, −0.167379], [−0.333333, 0.166667, 0.166667]].
    @Test("Cross-entropy by hand: loss, probabilities and gradient of a batch of two")
    func crossEntropyByHand() {
        let loss = SoftmaxCrossEntropy()
        let value = loss.forward(Matrix([[1, 2, 3], [1, 1, 1]]), targets: .oneHot([2, 0], classes: 3))
        #expect(isClose(value, 0.753109, absoluteTolerance: 1e-5))
        #expect(
            isClose(
                loss.probabilities, Matrix([[0.090031, 0.244728, 0.665241], [1.0 / 3, 1.0 / 3, 1.0 / 3]]),
                absoluteTolerance: 1e-5))
        #expect(
            isClose(
                loss.backward(), Matrix([[0.045015, 0.122364, -0.167379], [-1.0 / 3, 1.0 / 6, 1.0 / 6]]),
                absoluteTolerance: 1e-5))
    }

    /// y = [[0.2, 0.7], [0.5, 0.1]], t = [[0, 1], [1, 0]].
    /// ½‖t − y‖² per row: ½(0.2² + 0.3²) = 0.065, ½(0.5² + 0.1²) = 0.13; mean L = 0.0975.
    /// dL/dy = (y − t)/2 = [[0.1, −0.15], [−0.25, 0.05]].
    @Test("Squared error by hand: loss and gradient of a batch of two")
    func squaredErrorByHand() {
        let loss = MeanSquaredError()
        let value = loss.forward(Matrix([[0.2, 0.7], [0.5, 0.1]]), targets: Matrix([[0, 1], [1, 0]]))
        #expect(isClose(value, 0.0975, absoluteTolerance: 1e-6))
        #expect(isClose(loss.backward(), Matrix([[0.1, -0.15], [-0.25, 0.05]]), absoluteTolerance: 1e-6))
        // A perfect output costs nothing and has no gradient.
        #expect(loss.forward(Matrix([[0.25, 0.75]]), targets: Matrix([[0.25, 0.75]])) == 0)
        #expect(loss.backward() == Matrix(rows: 1, columns: 2))
    }

    /// Softmax ignores a constant added to a row (the max-subtraction relies on it), and maps equal
    /// logits to the uniform distribution.
    @Test("Softmax is shift-invariant per row and uniform on equal logits")
    func shiftInvariance() {
        let z = Matrix.sinePattern(rows: 5, columns: 7, scale: 3)
        var shifted = z
        for r in 0..<5 { for c in 0..<7 { shifted[r, c] += Float(100 * r) - 250 } }
        let p = Softmax(size: 7).forward(z)
        let q = Softmax(size: 7).forward(shifted)
        // Adding up to ±250 rounds the logits to ulp(250)/2 = 7.6·10⁻⁶, which bounds the difference.
        #expect(maximumDifference(p, q) < 2e-5)
        #expect(
            isClose(
                Softmax(size: 4).forward(Matrix(rows: 2, columns: 4, repeating: 42)),
                Matrix(rows: 2, columns: 4, repeating: 0.25), absoluteTolerance: 1e-7))
    }

    /// The loss re-sizes its buffers when the batch or the class count changes between calls.
    @Test("SoftmaxCrossEntropy and MeanSquaredError follow changes of batch size and class count")
    func lossesFollowShapeChanges() {
        let ce = SoftmaxCrossEntropy(), mse = MeanSquaredError()
        for (rows, columns) in [(5, 3), (2, 3), (5, 7), (1, 2)] {
            let z = Matrix.sinePattern(rows: rows, columns: columns)
            let t = Matrix.oneHot((0..<rows).map { $0 % columns }, classes: columns)
            _ = ce.forward(z, targets: t)
            let dz = ce.backward(), p = ce.probabilities
            #expect(dz.rows == rows && dz.columns == columns)
            #expect(p.rows == rows && p.columns == columns)
            _ = mse.forward(z, targets: t)
            let dy = mse.backward()
            #expect(dy.rows == rows && dy.columns == columns)
        }
    }
}
