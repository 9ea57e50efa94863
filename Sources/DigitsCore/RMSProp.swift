/// RMSProp (Hinton, Coursera lecture 6e), as PyTorch's `RMSprop` without momentum or centring.
/// Per parameter θ with gradient ∇:
///
///     g ← ∇ + λ·θ                   (weights only)
///     s ← ρ·s + (1 − ρ)·g²          running mean of the squared gradient
///     θ ← θ − η · g / (√s + ε)
///
/// Each parameter's step is scaled by the recent size of its own gradient. Tiny gradients and state
/// are flushed to 0 (`Subnormals`): s decays geometrically and would otherwise go subnormal.
public final class RMSProp: Optimizer {
    public var settings: SGDSettings
    public var adaptive: AdaptiveSettings
    /// s: one matrix per parameter, W₁, b₁, W₂, b₂, …
    public var slots: [[Matrix]]
    public var stepCount = 0

    public var kind: OptimizerKind { .rmsprop }
    public var learningRate: Float {
        get { settings.learningRate }
        set { settings.learningRate = newValue }
    }

    public init(settings: SGDSettings, adaptive: AdaptiveSettings = AdaptiveSettings(), for layers: [Linear]) {
        self.settings = settings
        self.adaptive = adaptive
        slots = [zeroStatePerParameter(layers)]
    }

    public func step(_ layers: [Linear]) {
        precondition(slots[0].count == 2 * layers.count, "RMSProp was made for \(slots[0].count / 2) layers")
        stepCount += 1
        forEachParameter(of: layers, weightDecay: settings.weightDecay) { parameter, gradient, index, decay in
            update(&parameter, gradient: gradient, index: index, weightDecay: decay)
        }
    }

    private func update(_ parameter: inout Matrix, gradient: Matrix, index: Int, weightDecay: Float) {
        let eta = settings.learningRate, rho = adaptive.rho, eps = adaptive.epsilon
        parameter.elements.withUnsafeMutableBufferPointer { theta in
            gradient.elements.withUnsafeBufferPointer { grad in
                slots[0][index].elements.withUnsafeMutableBufferPointer { s in
                    for i in 0..<theta.count {
                        let g = Subnormals.gradient(grad[i] + weightDecay * theta[i])
                        s[i] = Subnormals.flush(rho * s[i] + (1 - rho) * g * g)  // s ← ρs + (1 − ρ)g²
                        theta[i] -= eta * g / (s[i].squareRoot() + eps)  // θ ← θ − ηg/(√s + ε)
                    }
                }
            }
        }
    }
}
