import Glibc

/// Adam (Kingma & Ba 2015) with bias correction, as PyTorch's `Adam`/`AdamW`. Per parameter θ with
/// gradient ∇, at step t = 1, 2, …:
///
///     g ← ∇ + λ·θ                       (weights only; not with decoupled decay)
///     m ← β₁·m + (1 − β₁)·g             first moment
///     v ← β₂·v + (1 − β₂)·g²            second moment
///     m̂ = m / (1 − β₁ᵗ),  v̂ = v / (1 − β₂ᵗ)      bias correction: m and v start at 0
///     θ ← θ − η · m̂ / (√v̂ + ε)
///
/// With `decoupledWeightDecay` (AdamW) the decay leaves g alone and shrinks the weight directly,
/// θ ← θ − η·λ·θ, before the adaptive step. Biases are never decayed. The corrections 1 − βᵗ are
/// computed in Double (βᵗ underflows gracefully to 0). Tiny gradients and state are flushed to 0
/// (`Subnormals`) to keep the loop off the slow subnormal path.
public final class Adam: Optimizer {
    public var settings: SGDSettings
    public var adaptive: AdaptiveSettings
    /// m: one matrix per parameter, W₁, b₁, W₂, b₂, …
    public var firstMoments: [Matrix]
    /// v: one matrix per parameter, W₁, b₁, W₂, b₂, …
    public var secondMoments: [Matrix]
    public var stepCount = 0

    /// [m, v] (separate stored arrays, so one update can write both without overlapping accesses).
    public var slots: [[Matrix]] {
        get { [firstMoments, secondMoments] }
        set {
            firstMoments = newValue[0]
            secondMoments = newValue[1]
        }
    }

    public var kind: OptimizerKind { .adam }
    public var learningRate: Float {
        get { settings.learningRate }
        set { settings.learningRate = newValue }
    }

    public init(settings: SGDSettings, adaptive: AdaptiveSettings = AdaptiveSettings(), for layers: [Linear]) {
        self.settings = settings
        self.adaptive = adaptive
        firstMoments = zeroStatePerParameter(layers)
        secondMoments = zeroStatePerParameter(layers)
    }

    public func step(_ layers: [Linear]) {
        precondition(firstMoments.count == 2 * layers.count, "Adam was made for \(firstMoments.count / 2) layers")
        stepCount += 1
        let t = Double(stepCount)
        let c1 = Float(1 - pow(Double(adaptive.beta1), t)), c2 = Float(1 - pow(Double(adaptive.beta2), t))
        forEachParameter(of: layers, weightDecay: settings.weightDecay) { parameter, gradient, index, decay in
            update(&parameter, gradient: gradient, index: index, weightDecay: decay, c1: c1, c2: c2)
        }
    }

    private func update(_ parameter: inout Matrix, gradient: Matrix, index: Int, weightDecay: Float, c1: Float, c2: Float) {
        let eta = settings.learningRate, b1 = adaptive.beta1, b2 = adaptive.beta2, eps = adaptive.epsilon
        let coupled: Float = adaptive.decoupledWeightDecay ? 0 : weightDecay
        let shrink: Float = adaptive.decoupledWeightDecay ? 1 - eta * weightDecay : 1
        parameter.elements.withUnsafeMutableBufferPointer { theta in
            gradient.elements.withUnsafeBufferPointer { grad in
                firstMoments[index].elements.withUnsafeMutableBufferPointer { m in
                    secondMoments[index].elements.withUnsafeMutableBufferPointer { v in
                        for i in 0..<theta.count {
                            let g = Subnormals.gradient(grad[i] + coupled * theta[i])  // g = ∇ + λθ (coupled only)
                            m[i] = Subnormals.flush(b1 * m[i] + (1 - b1) * g)  // m ← β₁m + (1 − β₁)g
                            v[i] = Subnormals.flush(b2 * v[i] + (1 - b2) * g * g)  // v ← β₂v + (1 − β₂)g²
                            let mHat = m[i] / c1, vHat = v[i] / c2
                            theta[i] = shrink * theta[i] - eta * mHat / (vHat.squareRoot() + eps)
                        }
                    }
                }
            }
        }
    }
}
