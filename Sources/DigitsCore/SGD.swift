/// Settings of stochastic gradient descent.
public struct SGDSettings: Codable, Equatable, Sendable {
    public var learningRate: Float
    /// μ in v ← μ·v + g; 0 turns momentum off.
    public var momentum: Float
    /// Nesterov's variant steps along g + μ·v instead of v (Sutskever et al. 2013, as in PyTorch).
    public var nesterov: Bool
    /// λ in g ← ∇L + λ·W: L2 regularisation of the weights (biases are not decayed).
    public var weightDecay: Float

    public init(learningRate: Float, momentum: Float = 0, nesterov: Bool = false, weightDecay: Float = 0) {
        self.learningRate = learningRate
        self.momentum = momentum
        self.nesterov = nesterov
        self.weightDecay = weightDecay
    }
}

/// Minibatch SGD with classical or Nesterov momentum and L2 weight decay, over the Linear layers of a network.
///
/// Per parameter θ with gradient ∇ (PyTorch's formulation, so the learning rate can change between
/// epochs without rescaling the velocity):
///     g ← ∇ + λ·θ            (weights only)
///     v ← μ·v + g
///     θ ← θ − η·(nesterov ? g + μ·v : v)
/// With μ = 0 this is plain gradient descent, θ ← θ − η·g.
public final class SGD {
    public var settings: SGDSettings
    /// One velocity per parameter, in the order W₁, b₁, W₂, b₂, … (saved in checkpoints).
    public var velocities: [Matrix]
    /// Steps taken (see `Optimizer.stepCount`).
    var sgdStepCount = 0

    public init(settings: SGDSettings, for layers: [Linear]) {
        self.settings = settings
        velocities = layers.flatMap {
            [
                Matrix(rows: $0.weight.rows, columns: $0.weight.columns),
                Matrix(rows: 1, columns: $0.bias.columns)
            ]
        }
    }

    public func step(_ layers: [Linear]) {
        precondition(velocities.count == 2 * layers.count, "SGD was made for \(velocities.count / 2) layers")
        sgdStepCount += 1
        for (index, layer) in layers.enumerated() {
            update(
                &layer.weight, gradient: layer.weightGradient, velocity: &velocities[2 * index],
                weightDecay: settings.weightDecay)
            if layer.hasBias {
                update(
                    &layer.bias, gradient: layer.biasGradient, velocity: &velocities[2 * index + 1],
                    weightDecay: 0)
            }
        }
    }

    /// One fused pass over θ, ∇ and v, so each parameter is read and written once per step.
    private func update(_ parameter: inout Matrix, gradient: Matrix, velocity: inout Matrix, weightDecay: Float) {
        let eta = settings.learningRate, mu = settings.momentum, nesterov = settings.nesterov
        parameter.elements.withUnsafeMutableBufferPointer { theta in
            gradient.elements.withUnsafeBufferPointer { grad in
                velocity.elements.withUnsafeMutableBufferPointer { v in
                    if mu == 0 {
                        for i in 0..<theta.count { theta[i] -= eta * (grad[i] + weightDecay * theta[i]) }
                    } else if nesterov {
                        for i in 0..<theta.count {
                            let g = grad[i] + weightDecay * theta[i]
                            v[i] = mu * v[i] + g
                            theta[i] -= eta * (g + mu * v[i])
                        }
                    } else {
                        for i in 0..<theta.count {
                            let g = grad[i] + weightDecay * theta[i]
                            v[i] = mu * v[i] + g
                            theta[i] -= eta * v[i]
                        }
                    }
                }
            }
        }
    }
}
