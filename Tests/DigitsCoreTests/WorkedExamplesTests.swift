import DigitsCore
import DigitsTestSupport
import Testing

/// The three worked examples of the lecture notes, reproduced through the library's own layers,
/// losses and optimiser, to the printed digits (absolute tolerance 1e-5 unless noted; the notes
/// print six decimals, so 1e-5 leaves room only for their rounding and Float's).
@Suite("Worked examples from the lecture notes")
struct WorkedExamplesTests {
    static let tolerance: Float = 1e-5

    /// h = w·x + b, L = ½(y − h)², x = 1, y = 3, w₀ = 0.1, b₀ = 1, η = 0.2.
    /// ∂L/∂h = h − y, ∂L/∂w = (h − y)·x, ∂L/∂b = h − y.
    @Test("Linear regression by gradient descent: three steps")
    func linearRegression() throws {
        let linear = Linear(weight: Matrix([[0.1]]), bias: Matrix([[1]]))
        let loss = MeanSquaredError()
        let sgd = SGD(settings: SGDSettings(learningRate: 0.2), for: [linear])
        let x = Matrix([[1]]), y = Matrix([[3]])

        // (h, L, ∂L/∂h, w after the step, b after the step)
        let expected: [(h: Float, loss: Float, dh: Float, w: Float, b: Float)] = [
            // h = 0.1·1 + 1 = 1.1;     L = ½(3 − 1.1)²  = ½·1.9²  = 1.805;  ∂L/∂h = −1.9
            // w = 0.1 − 0.2·(−1.9·1) = 0.48;   b = 1 − 0.2·(−1.9) = 1.38
            (1.1, 1.805, -1.9, 0.48, 1.38),
            // h = 0.48 + 1.38 = 1.86;  L = ½·1.14²     = 0.6498;  ∂L/∂h = −1.14
            // w = 0.48 + 0.228 = 0.708;        b = 1.38 + 0.228 = 1.608
            (1.86, 0.6498, -1.14, 0.708, 1.608),
            // h = 0.708 + 1.608 = 2.316; L = ½·0.684² = 0.233928; ∂L/∂h = −0.684
            // w = 0.708 + 0.1368 = 0.8448;     b = 1.608 + 0.1368 = 1.7448
            (2.316, 0.233928, -0.684, 0.8448, 1.7448)
        ]
        for (step, e) in expected.enumerated() {
            let h = linear.forward(x)
            let value = loss.forward(h, targets: y)
            let dh = loss.backward()
            _ = linear.backward(dh)
            sgd.step([linear])
            #expect(isClose(h[0, 0], e.h, absoluteTolerance: Self.tolerance), "step \(step + 1): h")
            #expect(isClose(value, e.loss, absoluteTolerance: Self.tolerance), "step \(step + 1): L")
            #expect(isClose(dh[0, 0], e.dh, absoluteTolerance: Self.tolerance), "step \(step + 1): ∂L/∂h")
            #expect(isClose(linear.weight[0, 0], e.w, absoluteTolerance: Self.tolerance), "step \(step + 1): w")
            #expect(isClose(linear.bias[0, 0], e.b, absoluteTolerance: Self.tolerance), "step \(step + 1): b")
        }
    }

    /// f = σ(w₀x₀ + w₁x₁ + w₂), w = (2, −3), w₂ = −3, x = (−1, −2), upstream gradient 1.
    /// z = 2·(−1) + (−3)·(−2) − 3 = 1;  f = σ(1) = 0.731059;  σ′(1) = f(1 − f) = 0.196612.
    /// ∂f/∂w = σ′·x = (−0.196612, −0.393224);  ∂f/∂b = σ′ = 0.196612;  ∂f/∂x = σ′·w = (0.393224, −0.589836).
    @Test("A sigmoid neuron: forward and every gradient")
    func sigmoidNeuron() {
        let linear = Linear(weight: Matrix([[2, -3]]), bias: Matrix([[-3]]))
        let sigmoid = Sigmoid(size: 1)
        let f = sigmoid.forward(linear.forward(Matrix([[-1, -2]])))
        let dx = linear.backward(sigmoid.backward(Matrix([[1]])))

        #expect(isClose(f[0, 0], 0.731059, absoluteTolerance: Self.tolerance))
        #expect(isClose(linear.weightGradient, Matrix([[-0.196612, -0.393224]]), absoluteTolerance: Self.tolerance))
        #expect(isClose(linear.biasGradient, Matrix([[0.196612]]), absoluteTolerance: Self.tolerance))
        #expect(isClose(dx, Matrix([[0.393224, -0.589836]]), absoluteTolerance: Self.tolerance))
    }

    /// A 2-2-1 sigmoid network without biases, L = ½(t − o)², x = (0.35, 0.9), t = 0.5, η = 1.
    ///
    /// Forward:
    ///   z¹ = W¹x = (0.1·0.35 + 0.8·0.9, 0.4·0.35 + 0.6·0.9) = (0.755, 0.68)
    ///   h  = σ(z¹) = (0.680267, 0.663739)
    ///   z² = 0.3·0.680267 + 0.9·0.663739 = 0.801445;  o = σ(z²) = 0.690283
    ///   L  = ½(0.690283 − 0.5)² = 0.018104
    /// Backward:
    ///   δ² = (o − t)·o(1 − o) = 0.190283·0.213803 = 0.040683
    ///   ∂L/∂W² = δ²·h = (0.027674, 0.027002)
    ///   δ¹ = W²ᵀδ² ⊙ h(1 − h) = (0.3·0.040683·0.217503, 0.9·0.040683·0.223197) = (0.002655, 0.008172)
    ///   ∂L/∂W¹ = δ¹xᵀ = [[0.000929, 0.002389], [0.002860, 0.007354]]
    /// Step: W ← W − 1·∂L/∂W.
    @Test("A 2-2-1 sigmoid network without biases: forward, gradients and one step")
    func twoTwoOneNetwork() {
        let first = Linear(weight: Matrix([[0.1, 0.8], [0.4, 0.6]]))
        let second = Linear(weight: Matrix([[0.3, 0.9]]))
        #expect(!first.hasBias && !second.hasBias)
        let hiddenActivation = Sigmoid(size: 2), outputActivation = Sigmoid(size: 1)
        let loss = MeanSquaredError()

        let hidden = hiddenActivation.forward(first.forward(Matrix([[0.35, 0.9]])))
        let output = outputActivation.forward(second.forward(hidden))
        let value = loss.forward(output, targets: Matrix([[0.5]]))
        _ = first.backward(hiddenActivation.backward(second.backward(outputActivation.backward(loss.backward()))))

        #expect(isClose(hidden, Matrix([[0.680267, 0.663739]]), absoluteTolerance: Self.tolerance))
        #expect(isClose(output[0, 0], 0.690283, absoluteTolerance: Self.tolerance))
        #expect(isClose(value, 0.018104, absoluteTolerance: Self.tolerance))
        #expect(isClose(second.weightGradient, Matrix([[0.027674, 0.027002]]), absoluteTolerance: Self.tolerance))
        #expect(
            isClose(
                first.weightGradient, Matrix([[0.000929, 0.002389], [0.002860, 0.007354]]),
                absoluteTolerance: Self.tolerance))

        SGD(settings: SGDSettings(learningRate: 1), for: [first, second]).step([first, second])
        #expect(isClose(second.weight, Matrix([[0.272326, 0.872998]]), absoluteTolerance: Self.tolerance))
        #expect(
            isClose(
                first.weight, Matrix([[0.099071, 0.797611], [0.397140, 0.592646]]),
                absoluteTolerance: Self.tolerance))
        // No bias: the bias stays the zero placeholder through the step.
        #expect(first.bias == Matrix(rows: 1, columns: 2) && second.bias == Matrix(rows: 1, columns: 1))
    }
}
