/// The optimisers `digits train --optimizer` offers, as named on the command line and in checkpoints.
public enum OptimizerKind: String, CaseIterable, Codable, Sendable {
    /// `SGD`: plain, momentum or Nesterov (`SGDSettings`).
    case sgd
    /// `Adam`, with bias correction; AdamW's decoupled weight decay as an option.
    case adam
    /// `RMSProp`.
    case rmsprop
    /// `Adagrad`.
    case adagrad

    /// The names of the state buffers a checkpoint stores, each one matrix per parameter (W₁, b₁, W₂, b₂, …).
    public var slotNames: [String] {
        switch self {
        case .sgd: ["velocity"]
        case .adam: ["adam_m", "adam_v"]
        case .rmsprop: ["rmsprop_mean_square"]
        case .adagrad: ["adagrad_sum_square"]
        }
    }
}

/// Hyperparameters of the adaptive optimisers. The learning rate η and the weight decay λ they share
/// with SGD (`SGDSettings`); SGD's momentum and Nesterov flag are ignored by them.
public struct AdaptiveSettings: Codable, Equatable, Sendable {
    /// Adam's decay of the first moment (mean of g), β₁.
    public var beta1: Float
    /// Adam's decay of the second moment (mean of g²), β₂.
    public var beta2: Float
    /// RMSProp's decay of its running mean of g², ρ (Hinton's lecture: 0.9).
    public var rho: Float
    /// Added to the root of the second moment so a parameter that never had a gradient does not divide by 0.
    public var epsilon: Float
    /// AdamW (Loshchilov & Hutter 2019): θ ← θ − ηλθ outside the adaptive step, instead of λθ added to g.
    public var decoupledWeightDecay: Bool

    public init(
        beta1: Float = 0.9, beta2: Float = 0.999, rho: Float = 0.9, epsilon: Float = 1e-8,
        decoupledWeightDecay: Bool = false
    ) {
        self.beta1 = beta1
        self.beta2 = beta2
        self.rho = rho
        self.epsilon = epsilon
        self.decoupledWeightDecay = decoupledWeightDecay
    }
}

/// Something that updates the parameters of a network's Linear layers from their gradients.
///
/// Its whole state is `slots` (one array per name in `kind.slotNames`, each holding one matrix per
/// parameter in the order W₁, b₁, W₂, b₂, … shaped like it) and `stepCount`: a checkpoint that stores
/// them, with the settings, resumes the optimiser bit for bit.
public protocol Optimizer: AnyObject {
    var kind: OptimizerKind { get }
    /// η, λ (and, for SGD only, momentum and Nesterov).
    var settings: SGDSettings { get }
    /// β₁, β₂, ρ, ε, decoupled decay (unused by SGD).
    var adaptive: AdaptiveSettings { get }
    /// η; the trainer sets it each epoch from the schedule.
    var learningRate: Float { get set }
    var slots: [[Matrix]] { get set }
    /// Steps taken so far (t in Adam's bias correction).
    var stepCount: Int { get set }
    func step(_ layers: [Linear])
}

/// Every parameter of `layers` in the order optimiser state is kept (W₁, b₁, W₂, b₂, …): `update`
/// gets the parameter, its gradient, its index in that order, and the weight decay that applies to it
/// (λ for weights, 0 for biases). The walk every adaptive optimiser's `step` shares.
func forEachParameter(
    of layers: [Linear], weightDecay: Float,
    _ update: (_ parameter: inout Matrix, _ gradient: Matrix, _ index: Int, _ weightDecay: Float) -> Void
) {
    for (index, layer) in layers.enumerated() {
        update(&layer.weight, layer.weightGradient, 2 * index, weightDecay)
        if layer.hasBias { update(&layer.bias, layer.biasGradient, 2 * index + 1, 0) }
    }
}

/// An optimiser of `kind` for `layers`, its state zero.
public func makeOptimizer(
    _ kind: OptimizerKind, settings: SGDSettings, adaptive: AdaptiveSettings = AdaptiveSettings(),
    for layers: [Linear]
) -> any Optimizer {
    switch kind {
    case .sgd: SGD(settings: settings, for: layers)
    case .adam: Adam(settings: settings, adaptive: adaptive, for: layers)
    case .rmsprop: RMSProp(settings: settings, adaptive: adaptive, for: layers)
    case .adagrad: Adagrad(settings: settings, adaptive: adaptive, for: layers)
    }
}

/// One zero matrix per parameter, shaped like it: W₁ (out, in), b₁ (1, out), W₂, b₂, …
func zeroStatePerParameter(_ layers: [Linear]) -> [Matrix] {
    layers.flatMap { [Matrix(rows: $0.weight.rows, columns: $0.weight.columns), Matrix(rows: 1, columns: $0.bias.columns)] }
}

extension SGD: Optimizer {
    public var kind: OptimizerKind { .sgd }
    public var adaptive: AdaptiveSettings { AdaptiveSettings() }
    public var learningRate: Float {
        get { settings.learningRate }
        set { settings.learningRate = newValue }
    }
    public var slots: [[Matrix]] {
        get { [velocities] }
        set { velocities = newValue[0] }
    }
    /// SGD's update does not depend on t; counted all the same, so every optimiser's state reads alike.
    public var stepCount: Int {
        get { sgdStepCount }
        set { sgdStepCount = newValue }
    }
}

/// Keeping the adaptive optimisers' arithmetic out of subnormal Floats (below 1.2·10⁻³⁸), where an
/// x86 core takes a slow microcode path for every operation: measured on the benchmark's data, with
/// three quarters of RMSProp's state subnormal, an epoch took 5–7 × as long as SGD's.
///
/// A gradient element smaller than `negligibleGradient` counts as 0 (its square, and (1 − β)·g², would
/// be subnormal or nearly so), and a state value that falls below the smallest normal Float is
/// stored as 0. Neither moves any weight by more than about η·10⁻⁹: far below a Float weight's ulp.
enum Subnormals {
    static let negligibleGradient: Float = 1e-17
    @inline(__always) static func gradient(_ g: Float) -> Float { abs(g) < negligibleGradient ? 0 : g }
    @inline(__always) static func flush(_ x: Float) -> Float { abs(x) < Float.leastNormalMagnitude ? 0 : x }
}
