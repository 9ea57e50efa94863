import DigitsCore
import DigitsTestSupport
import Testing

/// SGD's update rules on one scalar parameter, worked by hand, and the learning-rate schedules.
@Suite("SGD")
struct SGDTests {
    /// One weight θ, no bias, h = θ·1 and L = ½h² against a target of 0: the gradient is ∂L/∂θ = θ.
    /// Runs `steps` steps and returns θ after each, with the optimiser for further inspection.
    static func quadratic(_ settings: SGDSettings, start: Float = 1, steps: Int = 2) -> (thetas: [Float], sgd: SGD) {
        let linear = Linear(weight: Matrix([[start]]))
        let loss = MeanSquaredError()
        let sgd = SGD(settings: settings, for: [linear])
        var thetas: [Float] = []
        for _ in 0..<steps {
            _ = loss.forward(linear.forward(Matrix([[1]])), targets: Matrix([[0]]))
            _ = linear.backward(loss.backward())
            sgd.step([linear])
            thetas.append(linear.weight[0, 0])
        }
        return (thetas, sgd)
    }

    /// η = 0.1, θ₀ = 1: θ₁ = 1 − 0.1·1 = 0.9; θ₂ = 0.9 − 0.1·0.9 = 0.81.
    @Test("Plain gradient descent: θ ← θ − η·g")
    func plain() {
        let (thetas, sgd) = Self.quadratic(SGDSettings(learningRate: 0.1))
        #expect(isClose(thetas, [0.9, 0.81], absoluteTolerance: 1e-6))
        #expect(sgd.velocities.allSatisfy { $0.maximumMagnitude == 0 }, "no momentum, no velocity")
    }

    /// η = 0.1, μ = 0.9, θ₀ = 1, g = θ:
    /// step 1: g = 1,   v = 0.9·0 + 1 = 1,      θ = 1 − 0.1·1 = 0.9
    /// step 2: g = 0.9, v = 0.9·1 + 0.9 = 1.8,  θ = 0.9 − 0.1·1.8 = 0.72
    @Test("Classical momentum: two steps by hand")
    func momentum() {
        let (thetas, sgd) = Self.quadratic(SGDSettings(learningRate: 0.1, momentum: 0.9))
        #expect(isClose(thetas, [0.9, 0.72], absoluteTolerance: 1e-6))
        #expect(isClose(sgd.velocities[0], Matrix([[1.8]]), absoluteTolerance: 1e-6))
    }

    /// η = 0.1, μ = 0.9, θ₀ = 1, g = θ, step along g + μ·v:
    /// step 1: g = 1,    v = 1,                θ = 1 − 0.1·(1 + 0.9·1) = 0.81
    /// step 2: g = 0.81, v = 0.9·1 + 0.81 = 1.71, θ = 0.81 − 0.1·(0.81 + 0.9·1.71) = 0.81 − 0.2349 = 0.5751
    @Test("Nesterov momentum: two steps by hand")
    func nesterov() {
        let (thetas, sgd) = Self.quadratic(SGDSettings(learningRate: 0.1, momentum: 0.9, nesterov: true))
        #expect(isClose(thetas, [0.81, 0.5751], absoluteTolerance: 1e-6))
        #expect(isClose(sgd.velocities[0], Matrix([[1.71]]), absoluteTolerance: 1e-6))
    }

    /// η = 0.1, μ = 0.5, λ = 0.2, θ₀ = 1, g = θ + λθ = 1.2θ:
    /// step 1: g = 1.2,   v = 1.2,                 θ = 1 − 0.12 = 0.88
    /// step 2: g = 1.056, v = 0.6 + 1.056 = 1.656,  θ = 0.88 − 0.1656 = 0.7144
    @Test("Weight decay enters the velocity with momentum")
    func weightDecayWithMomentum() {
        let (thetas, _) = Self.quadratic(SGDSettings(learningRate: 0.1, momentum: 0.5, weightDecay: 0.2))
        #expect(isClose(thetas, [0.88, 0.7144], absoluteTolerance: 1e-6))
    }

    /// W = [[2, −4]], b = [[3]], zero data gradient (dY = 0), η = 0.1, λ = 0.5:
    /// W ← W − 0.1·0.5·W = 0.95·W = [[1.9, −3.8]]; b is not decayed and stays 3.
    /// Then with dY = 1 and x = (1, 1): dW = (1, 1), db = 1: W ← W − 0.1·((1, 1) + 0.5·W), b ← 3 − 0.1.
    @Test("Weight decay shrinks weights and leaves biases alone")
    func weightDecayOnlyOnWeights() {
        let linear = Linear(weight: Matrix([[2, -4]]), bias: Matrix([[3]]))
        let sgd = SGD(settings: SGDSettings(learningRate: 0.1, weightDecay: 0.5), for: [linear])
        _ = linear.forward(Matrix([[1, 1]]))
        _ = linear.backward(Matrix([[0]]))
        sgd.step([linear])
        #expect(isClose(linear.weight, Matrix([[1.9, -3.8]]), absoluteTolerance: 1e-6))
        #expect(linear.bias == Matrix([[3]]))

        _ = linear.forward(Matrix([[1, 1]]))
        _ = linear.backward(Matrix([[1]]))
        sgd.step([linear])
        // W = (1.9 − 0.1·(1 + 0.95), −3.8 − 0.1·(1 − 1.9)) = (1.705, −3.71); b = 2.9.
        #expect(isClose(linear.weight, Matrix([[1.705, -3.71]]), absoluteTolerance: 1e-6))
        #expect(isClose(linear.bias, Matrix([[2.9]]), absoluteTolerance: 1e-6))
    }

    @Test("Velocities: one per parameter in the order W₁, b₁, W₂, b₂, shaped like them")
    func velocityLayout() {
        let first = Linear(weight: .sinePattern(rows: 3, columns: 7), bias: .sinePattern(rows: 1, columns: 3))
        let second = Linear(weight: .sinePattern(rows: 2, columns: 3))
        let sgd = SGD(settings: SGDSettings(learningRate: 0.1, momentum: 0.9), for: [first, second])
        #expect(sgd.velocities.map(\.rows) == [3, 1, 2, 1])
        #expect(sgd.velocities.map(\.columns) == [7, 3, 3, 2])
        // A bias-less layer keeps its zero bias through momentum steps.
        let x = Matrix.sinePattern(rows: 5, columns: 7)
        for _ in 0..<3 {
            _ = first.backward(second.backward(second.forward(first.forward(x))))
            sgd.step([first, second])
        }
        #expect(second.bias == Matrix(rows: 1, columns: 2))
        #expect(sgd.velocities[3] == Matrix(rows: 1, columns: 2))
        #expect(sgd.velocities[0].maximumMagnitude > 0 && sgd.velocities[1].maximumMagnitude > 0)
    }

    @Test("Learning-rate schedules: constant, cosine, step")
    func schedules() {
        let base: Float = 0.8
        for epoch in 0..<10 {
            #expect(LearningRateSchedule.constant.learningRate(base: base, epoch: epoch, epochs: 10) == base)
        }
        // Cosine: η·½(1 + cos(π e/E)) — η at the start, η/2 half-way, 0 at the end.
        #expect(isClose(LearningRateSchedule.cosine.learningRate(base: base, epoch: 0, epochs: 8), 0.8, absoluteTolerance: 1e-6))
        #expect(isClose(LearningRateSchedule.cosine.learningRate(base: base, epoch: 4, epochs: 8), 0.4, absoluteTolerance: 1e-6))
        #expect(isClose(LearningRateSchedule.cosine.learningRate(base: base, epoch: 8, epochs: 8), 0, absoluteTolerance: 1e-6))
        // Step: halves every quarter of the run (8 epochs: every 2).
        let steps = (0..<8).map { LearningRateSchedule.step.learningRate(base: base, epoch: $0, epochs: 8) }
        #expect(steps == [0.8, 0.8, 0.4, 0.4, 0.2, 0.2, 0.1, 0.1])
        // 10 epochs: the quarters end at 2.5, 5 and 7.5, so η halves three times — never a fourth.
        let tenEpochs = (0..<10).map { LearningRateSchedule.step.learningRate(base: base, epoch: $0, epochs: 10) }
        #expect(tenEpochs == [0.8, 0.8, 0.8, 0.4, 0.4, 0.2, 0.2, 0.2, 0.1, 0.1])
        // Fewer than four epochs: 3 epochs end at ¾ of the run, after two halvings.
        #expect((0..<3).map { LearningRateSchedule.step.learningRate(base: base, epoch: $0, epochs: 3) } == [0.8, 0.4, 0.2])
    }
}
