import DigitsCore
import DigitsTestSupport
import Testing

/// Adam, AdamW, RMSProp and Adagrad on one weight and one bias, gradient 0.5 on both each step,
/// η = 0.1, the arithmetic beside the numbers (absolute tolerance 1e-6). NumPyGoldenTests checks
/// the same formulas on whole networks against float64.
@Suite("Adaptive optimisers by hand")
struct AdaptiveOptimizerTests {
    static let tolerance: Float = 1e-6

    /// A 1 → 1 layer with w = b = 1 whose gradients dW = db = 0.5 (x = 1, dY = 0.5).
    static func layer() -> Linear {
        let linear = Linear(weight: Matrix([[1]]), bias: Matrix([[1]]))
        setGradient(linear)
        return linear
    }

    static func setGradient(_ linear: Linear) {
        _ = linear.forward(Matrix([[1]]))
        _ = linear.backward(Matrix([[0.5]]))
    }

    /// Step 1: m = 0.1·0.5 = 0.05, v = 0.001·0.25 = 0.00025; m̂ = 0.05/0.1 = 0.5, v̂ = 0.00025/0.001 = 0.25;
    /// θ = 1 − 0.1·0.5/(0.5 + 1e-8) = 0.9 (Adam's first step is η·sign(g), whatever |g|).
    /// Step 2, same g: m = 0.095, v = 0.00049975; m̂ = 0.095/0.19 = 0.5, v̂ = 0.00049975/0.001999 = 0.25: θ = 0.8.
    /// With λ = 0.5 coupled, the weight's g = 0.5 + 0.5·1 = 1 at step 1: still η·sign(g), θ = 0.9.
    @Test("Adam: bias-corrected steps of η·m̂/√v̂")
    func adam() {
        let linear = Self.layer()
        let adam = Adam(settings: SGDSettings(learningRate: 0.1), for: [linear])
        adam.step([linear])
        #expect(isClose(linear.weight[0, 0], 0.9, absoluteTolerance: Self.tolerance))
        #expect(isClose(linear.bias[0, 0], 0.9, absoluteTolerance: Self.tolerance))
        #expect(isClose(adam.firstMoments[0][0, 0], 0.05, absoluteTolerance: Self.tolerance))
        // 1 − β₂ is 0.00099998713 in Float, not 0.001: v is 0.00025 to four digits.
        #expect(isClose(adam.secondMoments[0][0, 0], 0.00025, absoluteTolerance: 0, relativeTolerance: 1e-4))
        Self.setGradient(linear)
        adam.step([linear])
        #expect(isClose(linear.weight[0, 0], 0.8, absoluteTolerance: Self.tolerance))
        #expect(adam.stepCount == 2)
    }

    /// AdamW, λ = 0.1: the weight shrinks first, θ(1 − ηλ) = 1·0.99, then the Adam step: 0.99 − 0.1 = 0.89.
    /// The bias is not decayed: 0.9. Coupled decay would instead have given 0.9 for both (step 1 = η·sign).
    @Test("AdamW: decoupled weight decay shrinks the weight by ηλθ, not the bias")
    func adamW() {
        let linear = Self.layer()
        let adam = Adam(
            settings: SGDSettings(learningRate: 0.1, weightDecay: 0.1),
            adaptive: AdaptiveSettings(decoupledWeightDecay: true), for: [linear])
        adam.step([linear])
        #expect(isClose(linear.weight[0, 0], 0.89, absoluteTolerance: Self.tolerance))
        #expect(isClose(linear.bias[0, 0], 0.9, absoluteTolerance: Self.tolerance))
    }

    /// ρ = 0.9: s = 0.1·0.25 = 0.025, √s = 0.158114; θ = 1 − 0.1·0.5/0.158114 = 1 − 0.316228 = 0.683772.
    /// Step 2: s = 0.9·0.025 + 0.025 = 0.0475, √s = 0.2179449; θ = 0.6837722 − 0.05/0.2179449 = 0.6837722 − 0.2294157 = 0.4543565.
    @Test("RMSProp: steps scaled by the running root mean square")
    func rmsprop() {
        let linear = Self.layer()
        let rmsprop = RMSProp(settings: SGDSettings(learningRate: 0.1), for: [linear])
        rmsprop.step([linear])
        #expect(isClose(linear.weight[0, 0], 0.683772, absoluteTolerance: Self.tolerance))
        Self.setGradient(linear)
        rmsprop.step([linear])
        #expect(isClose(linear.weight[0, 0], 0.4543565, absoluteTolerance: Self.tolerance))
        #expect(isClose(rmsprop.slots[0][0][0, 0], 0.0475, absoluteTolerance: Self.tolerance))
    }

    /// s = 0.25, θ = 1 − 0.1·0.5/0.5 = 0.9; step 2: s = 0.5, √s = 0.707107, θ = 0.9 − 0.05/0.707107 = 0.829289.
    @Test("Adagrad: steps shrink as the squared gradients add up")
    func adagrad() {
        let linear = Self.layer()
        let adagrad = Adagrad(settings: SGDSettings(learningRate: 0.1), for: [linear])
        adagrad.step([linear])
        #expect(isClose(linear.weight[0, 0], 0.9, absoluteTolerance: Self.tolerance))
        Self.setGradient(linear)
        adagrad.step([linear])
        #expect(isClose(linear.weight[0, 0], 0.829289, absoluteTolerance: Self.tolerance))
        #expect(adagrad.slots[0][0][0, 0] == 0.5)
    }

    @Test("makeOptimizer gives each kind its named state, zero, shaped like the parameters", arguments: OptimizerKind.allCases)
    func factory(kind: OptimizerKind) {
        let layers = [
            Linear(weight: .sinePattern(rows: 3, columns: 2), bias: .sinePattern(rows: 1, columns: 3)),
            Linear(weight: .sinePattern(rows: 4, columns: 3), bias: .sinePattern(rows: 1, columns: 4))
        ]
        let optimizer = makeOptimizer(kind, settings: SGDSettings(learningRate: 0.5), for: layers)
        #expect(optimizer.kind == kind && optimizer.learningRate == 0.5)
        #expect(optimizer.slots.count == kind.slotNames.count)
        for slot in optimizer.slots {
            #expect(slot.map { [$0.rows, $0.columns] } == [[3, 2], [1, 3], [4, 3], [1, 4]])
            #expect(slot.allSatisfy { $0.maximumMagnitude == 0 })
        }
        optimizer.learningRate = 0.25
        #expect(optimizer.settings.learningRate == 0.25)
    }

    /// Gradients of 10⁻³⁰ (whose squares are subnormal) count as 0, and a state decaying under zero
    /// gradients goes from normal straight to 0: nothing the optimisers store is ever subnormal, which
    /// keeps their loops off x86's slow path (an epoch of RMSProp took 6 × SGD's before this).
    @Test("No subnormal state: tiny gradients count as 0, decayed state is flushed", arguments: [OptimizerKind.adam, .rmsprop, .adagrad])
    func noSubnormalState(kind: OptimizerKind) {
        let linear = Linear(weight: Matrix([[1, 1]]), bias: Matrix([[1]]))
        let optimizer = makeOptimizer(kind, settings: SGDSettings(learningRate: 0.1), for: [linear])
        _ = linear.forward(Matrix([[1, 1e-30]]))
        _ = linear.backward(Matrix([[1e-3]]))  // dW = (1e-3, 1e-33): the second is negligible
        optimizer.step([linear])
        #expect(optimizer.slots.allSatisfy { $0[0][0, 1] == 0 }, "a gradient of 1e-33 counts as 0")
        #expect(linear.weight[0, 1] == 1)
        _ = linear.backward(Matrix([[0]]))  // from now on every gradient is 0
        for _ in 0..<2000 {
            optimizer.step([linear])
            #expect(optimizer.slots.allSatisfy { $0.allSatisfy { $0.elements.allSatisfy { $0 == 0 || $0.isNormal } } })
        }
        if kind == .rmsprop { #expect(optimizer.slots[0][0][0, 0] == 0, "ρ²⁰⁰⁰·s has been flushed to 0") }
    }
}
