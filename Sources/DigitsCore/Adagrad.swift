/// Adagrad (Duchi, Hazan & Singer 2011), as PyTorch's `Adagrad` without learning-rate decay.
/// Per parameter θ with gradient ∇:
///
///     g ← ∇ + λ·θ                   (weights only)
///     s ← s + g²                    sum of every squared gradient so far
///     θ ← θ − η · g / (√s + ε)
///
/// Steps shrink as s grows: parameters with large past gradients move least.
public final class Adagrad: Optimizer {
    public var settings: SGDSettings
    public var adaptive: AdaptiveSettings
    /// s: one matrix per parameter, W₁, b₁, W₂, b₂, …
    public var slots: [[Matrix]]
    public var stepCount = 0

    public var kind: OptimizerKind { .adagrad }
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
        precondition(slots[0].count == 2 * layers.count, "Adagrad was made for \(slots[0].count / 2) layers")
        stepCount += 1
        forEachParameter(of: layers, weightDecay: settings.weightDecay) { parameter, gradient, index, decay in
            update(&parameter, gradient: gradient, index: index, weightDecay: decay)
        }
    }

    private func update(_ parameter: inout Matrix, gradient: Matrix, index: Int, weightDecay: Float) {
        let eta = settings.learningRate, eps = adaptive.epsilon
        parameter.elements.withUnsafeMutableBufferPointer { theta in
            gradient.elements.withUnsafeBufferPointer { grad in
                slots[0][index].elements.withUnsafeMutableBufferPointer { s in
                    for i in 0..<theta.count {
                        let g = Subnormals.gradient(grad[i] + weightDecay * theta[i])
                        s[i] += g * g  // s ← s + g²
                        theta[i] -= eta * g / (s[i].squareRoot() + eps)  // θ ← θ − ηg/(√s + ε)
                    }
                }
            }
        }
    }
}
