import DigitsCore
import DigitsTestSupport
import Testing

/// Central differences against `backward` for every layer, every loss and whole networks, at fixed
/// non-random (sine-pattern) parameters, over small odd shapes and batch sizes. The step h and the
/// tolerance are explained in `GradientCheck` (DigitsTestSupport).
@Suite("Gradient checks")
struct GradientCheckTests {
    static let sizes = [1, 2, 3, 7]
    static let batches = [1, 2, 5]

    struct LinearShape: Sendable, CustomTestStringConvertible {
        var inputs: Int, outputs: Int, batch: Int
        var testDescription: String { "\(inputs)→\(outputs), batch \(batch)" }
    }

    struct Shape: Sendable, CustomTestStringConvertible {
        var size: Int, batch: Int
        var testDescription: String { "size \(size), batch \(batch)" }
    }

    static let linearShapes = sizes.flatMap { i in sizes.flatMap { o in batches.map { LinearShape(inputs: i, outputs: o, batch: $0) } } }
    static let shapes = sizes.flatMap { s in batches.map { Shape(size: s, batch: $0) } }

    // MARK: - Layers

    /// Loss Σ G⊙Y with a fixed pattern G; dW, db and dX from one backward(G) against central differences.
    @Test("Linear: dW, db and dX", arguments: linearShapes, [true, false])
    func linear(shape: LinearShape, withBias: Bool) {
        let linear = Linear(
            weight: .sinePattern(rows: shape.outputs, columns: shape.inputs, phase: 0.3),
            bias: withBias ? .sinePattern(rows: 1, columns: shape.outputs, phase: 1.1) : nil)
        let x = Matrix.sinePattern(rows: shape.batch, columns: shape.inputs, phase: 2.2)
        let g = Matrix.sinePattern(rows: shape.batch, columns: shape.outputs, phase: 3.3)

        _ = linear.forward(x)
        let dX = linear.backward(g)
        let dW = linear.weightGradient, db = linear.biasGradient

        let objective = { weightedSum(linear.forward(x), weights: g) }
        expectAgreement(dW, GradientCheck.numericalGradient(linear, \.weight, loss: objective), "dW")
        if withBias {
            expectAgreement(db, GradientCheck.numericalGradient(linear, \.bias, loss: objective), "db")
        } else {
            #expect(db == Matrix(rows: 1, columns: shape.outputs), "a layer without bias has no bias gradient")
        }
        expectAgreement(dX, GradientCheck.numericalGradient(at: x) { weightedSum(linear.forward($0), weights: g) }, "dX")
    }

    /// dX of each activation. ReLU-family inputs (and ELU's, whose second derivative jumps at 0) are
    /// at least 0.2 away from the kink (h = 0.01); sigmoid and tanh see inputs in ±2, i.e. also their
    /// curved, half-saturated parts. Maxout's pieces are never within 0.25 of each other (see
    /// `maxoutInput`), so no ±h perturbation changes the winner.
    @Test("Activations: dX", arguments: Activation.allCases, shapes)
    func activation(_ activation: Activation, shape: Shape) {
        let layer = activation.makeLayer(size: shape.size)
        let x: Matrix =
            switch activation {
            case .relu, .leakyReLU, .elu: .awayFromZeroPattern(rows: shape.batch, columns: shape.size, phase: 0.4)
            case .sigmoid, .tanh: .sinePattern(rows: shape.batch, columns: shape.size, phase: 0.4, scale: 2)
            case .maxout: Self.maxoutInput(rows: shape.batch, units: shape.size, pieces: Architecture.defaultMaxoutPieces)
            }
        #expect(x.columns == layer.inputSize)
        let g = Matrix.sinePattern(rows: shape.batch, columns: shape.size, phase: 1.9)
        _ = layer.forward(x)
        let dX = layer.backward(g)
        // ReLU's gradient is rightly zero on an all-negative input, so for it the guard needs a positive one.
        let expectsNonZero = x.elements.contains { $0 > 0 } || activation != .relu
        expectAgreement(
            dX, GradientCheck.numericalGradient(at: x) { weightedSum(layer.forward($0), weights: g) },
            "\(activation) dX", nonZero: expectsNonZero)
    }

    /// ELU with α ≠ 1 (its derivative is then discontinuous at 0, so the inputs stay 0.2 away) and
    /// maxout with 1, 3 and 4 pieces: the parameters that the default-only test above does not reach.
    @Test("ELU with α = 0.3 and 2.5, maxout with k = 1, 3, 4: dX", arguments: shapes)
    func parameterisedActivations(shape: Shape) {
        var layers: [(Layer, Matrix, String)] = []
        for alpha: Float in [0.3, 2.5] {
            layers.append(
                (
                    ELU(size: shape.size, alpha: alpha),
                    .awayFromZeroPattern(rows: shape.batch, columns: shape.size, phase: 1.4, scale: 2), "ELU α=\(alpha)"
                ))
        }
        for k in [1, 3, 4] {
            layers.append(
                (
                    MaxoutPool(units: shape.size, pieces: k),
                    Self.maxoutInput(rows: shape.batch, units: shape.size, pieces: k, phase: 0.8), "maxout k=\(k)"
                ))
        }
        let g = Matrix.sinePattern(rows: shape.batch, columns: shape.size, phase: 1.9)
        for (layer, x, name) in layers {
            _ = layer.forward(x)
            let dX = layer.backward(g)
            expectAgreement(
                dX, GradientCheck.numericalGradient(at: x) { weightedSum(layer.forward($0), weights: g) },
                "\(name) dX")
        }
    }

    /// Inputs (B, k·units) for a maxout pool: unit i of row b has pieces s + 0.25·((p + i) mod k), s a
    /// sine value shared by the unit's pieces, so the winner moves from piece to piece with i and the
    /// runner-up is always 0.25 below — 25 h clear of a tie.
    static func maxoutInput(rows: Int, units: Int, pieces k: Int, phase: Double = 0.4) -> Matrix {
        let base = Matrix.sinePattern(rows: rows, columns: units, phase: phase, scale: 2)
        var x = Matrix(rows: rows, columns: units * k)
        for i in 0..<rows * units {
            for p in 0..<k { x.elements[i * k + p] = base.elements[i] + 0.25 * Float((p + i) % k) }
        }
        return x
    }

    /// dX of the stand-alone softmax layer. With one column softmax is the constant 1, so its
    /// gradient is zero: both sides must say so.
    @Test("Softmax: dX", arguments: shapes)
    func softmax(shape: Shape) {
        let layer = Softmax(size: shape.size)
        let x = Matrix.sinePattern(rows: shape.batch, columns: shape.size, phase: 0.7, scale: 2)
        let g = Matrix.sinePattern(rows: shape.batch, columns: shape.size, phase: 2.5)
        _ = layer.forward(x)
        let dX = layer.backward(g)
        expectAgreement(
            dX, GradientCheck.numericalGradient(at: x) { weightedSum(layer.forward($0), weights: g) },
            "softmax dX", nonZero: shape.size > 1)
    }

    // MARK: - Losses

    enum TargetKind: String, CaseIterable, Sendable {
        case oneHot = "one-hot"
        case soft
    }

    /// Targets for a loss check: one-hot rows, or soft rows (a softmax of a pattern, each summing to 1 —
    /// the fused gradient p − t assumes targets that sum to 1 per row).
    static func targets(_ kind: TargetKind, shape: Shape) -> Matrix {
        switch kind {
        case .oneHot:
            return .oneHot((0..<shape.batch).map { (3 * $0 + 1) % shape.size }, classes: shape.size)
        case .soft:
            let softmax = Softmax(size: shape.size)
            return softmax.forward(.sinePattern(rows: shape.batch, columns: shape.size, phase: 1.3))
        }
    }

    @Test("SoftmaxCrossEntropy: dL/dz", arguments: shapes, TargetKind.allCases)
    func softmaxCrossEntropy(shape: Shape, targets kind: TargetKind) {
        let loss = SoftmaxCrossEntropy()
        let z = Matrix.sinePattern(rows: shape.batch, columns: shape.size, phase: 0.2, scale: 2)
        let t = Self.targets(kind, shape: shape)
        _ = loss.forward(z, targets: t)
        let dz = loss.backward()
        expectAgreement(
            dz, GradientCheck.numericalGradient(at: z) { Double(loss.forward($0, targets: t)) },
            "cross-entropy dz", nonZero: shape.size > 1)
    }

    @Test("MeanSquaredError: dL/dy", arguments: shapes)
    func meanSquaredError(shape: Shape) {
        let loss = MeanSquaredError()
        let y = Matrix.sinePattern(rows: shape.batch, columns: shape.size, phase: 0.9)
        let t = Matrix.sinePattern(rows: shape.batch, columns: shape.size, phase: 2.9, scale: 0.5)
        _ = loss.forward(y, targets: t)
        let dy = loss.backward()
        expectAgreement(dy, GradientCheck.numericalGradient(at: y) { Double(loss.forward($0, targets: t)) }, "mse dy")
    }

    /// The hinge loss at scores whose every margin s_j − s_y + 1 is at least 0.05 from the kink at 0
    /// (`hingeScores`), one-hot targets. With one class there is no j ≠ y: loss and gradient are 0.
    @Test("MulticlassHingeLoss: dL/ds", arguments: shapes)
    func hinge(shape: Shape) throws {
        let loss = MulticlassHingeLoss()
        let labels = (0..<shape.batch).map { (3 * $0 + 1) % shape.size }
        let t = Matrix.oneHot(labels, classes: shape.size)
        let s = try Self.hingeScores(rows: shape.batch, columns: shape.size, labels: labels)
        _ = loss.forward(s, targets: t)
        let ds = loss.backward()
        expectAgreement(
            ds, GradientCheck.numericalGradient(at: s) { Double(loss.forward($0, targets: t)) },
            "hinge ds", nonZero: shape.size > 1)
    }

    /// The smallest distance of any margin s_bj − s_b,y + 1 (j ≠ y) from the hinge's kink, and whether
    /// some margin is violated (so the gradient is not trivially zero).
    static func hingeMargins(_ s: Matrix, labels: [Int]) -> (distance: Float, violated: Bool) {
        var distance = Float.infinity, violated = false
        for (row, label) in labels.enumerated() {
            for j in 0..<s.columns where j != label {
                let m = s[row, j] - s[row, label] + 1
                distance = min(distance, abs(m))
                violated = violated || m > 0
            }
        }
        return (distance, violated)
    }

    /// Sine-pattern scores (±2), the first phase of 0, 0.25, … that keeps every margin 0.05 from the kink
    /// and violates at least one (when there are two classes or more).
    static func hingeScores(rows: Int, columns: Int, labels: [Int]) throws -> Matrix {
        for attempt in 0..<100 {
            let s = Matrix.sinePattern(rows: rows, columns: columns, phase: 0.25 * Double(attempt), scale: 2)
            let (distance, violated) = hingeMargins(s, labels: labels)
            if distance >= 0.05 && (violated || columns == 1) { return s }
        }
        throw KinkError()
    }

    // MARK: - Whole networks

    static let networkSizes: [[Int]] = [[1, 2, 2], [3, 7, 2], [7, 3, 3], [2, 7, 1, 3], [3, 2, 7, 7]]

    struct NetworkCase: Sendable, CustomTestStringConvertible {
        var layerSizes: [Int], batch: Int
        var testDescription: String { layerSizes.map(String.init).joined(separator: "-") + ", batch \(batch)" }
    }

    static let networkCases = networkSizes.flatMap { s in batches.map { NetworkCase(layerSizes: s, batch: $0) } }

    /// Every weight and bias gradient of an MLP (each activation, each loss) against central
    /// differences of the network's own loss, plus dL/dX obtained by switching on the first layer's
    /// input gradient (the MLP skips it in training) and backpropagating by hand.
    @Test(
        "MLP: every weight, bias and input gradient",
        arguments: Activation.allCases.flatMap { a in LossFunction.allCases.map { (a, $0) } }, networkCases)
    func mlp(_ configuration: (Activation, LossFunction), _ network: NetworkCase) throws {
        let (activation, lossFunction) = configuration
        let architecture = Architecture(layerSizes: network.layerSizes, activation: activation, loss: lossFunction)
        let x = Matrix.sinePattern(rows: network.batch, columns: architecture.inputSize, phase: 0.5)
        let labels = (0..<network.batch).map { (2 * $0 + 1) % architecture.classCount }
        let t = Matrix.oneHot(labels, classes: architecture.classCount)

        let mlp = try Self.network(architecture, input: x)
        mlp.computeGradients(input: x, targets: t)
        let analytic = mlp.linearLayers.map { (weight: $0.weightGradient, bias: $0.biasGradient) }

        mlp.linearLayers[0].computesInputGradient = true
        _ = mlp.loss.forward(mlp.forward(x), targets: t)
        var dX = mlp.loss.backward()
        for layer in mlp.layers.reversed() { dX = layer.backward(dX) }

        let objective = { Double(mlp.loss.forward(mlp.forward(x), targets: t)) }
        for (index, linear) in mlp.linearLayers.enumerated() {
            expectAgreement(
                analytic[index].weight, GradientCheck.numericalGradient(linear, \.weight, loss: objective),
                "dW\(index + 1)", nonZero: false)
            expectAgreement(
                analytic[index].bias, GradientCheck.numericalGradient(linear, \.bias, loss: objective),
                "db\(index + 1)", nonZero: false)
        }
        // Not trivially zero: the last bias always receives Σ(p − t) ≠ 0, and `network` keeps a unit
        // of every hidden layer alive, so every weight matrix gets some gradient.
        #expect(analytic.last!.bias.maximumMagnitude > 1e-4)
        for (index, gradient) in analytic.enumerated() {
            #expect(gradient.weight.maximumMagnitude > 1e-4, "dW\(index + 1) is trivially zero")
        }
        expectAgreement(
            dX, GradientCheck.numericalGradient(at: x) { Double(mlp.loss.forward(mlp.forward($0), targets: t)) },
            "dX", nonZero: false)
    }

    /// An MLP with sine-pattern weights (scale 0.9) and biases (scale 0.3). For the ReLU family and
    /// ELU the pattern's phase is the first of 0, 0.25, 0.5, … that keeps every hidden pre-activation at
    /// least 0.05 from the kink, so that no ±h perturbation (≤ 0.01 · |x| ≤ 0.01 per product) crosses it,
    /// and leaves at least one unit of each hidden layer active, so that no layer's gradient is zero
    /// merely because the pattern killed everything behind it. For maxout the same 0.05 separates
    /// each unit's winning piece from its runner-up (away from ties); for hinge it separates every
    /// margin from the kink, and some margin must be violated (else every gradient is 0).
    static func network(_ architecture: Architecture, input x: Matrix) throws -> MLP {
        let labels = (0..<x.rows).map { (2 * $0 + 1) % architecture.classCount }
        for attempt in 0..<200 {
            let phase = 0.25 * Double(attempt)
            let parameters = architecture.weightShapes.enumerated().map { index, shape in
                (
                    weight: Matrix.sinePattern(rows: shape.rows, columns: shape.columns, phase: phase + 1.3 * Double(index), scale: 0.9),
                    bias: Matrix.sinePattern(rows: 1, columns: shape.rows, phase: phase + 0.7 + 1.3 * Double(index), scale: 0.3)
                )
            }
            let mlp = try MLP(architecture: architecture, parameters: parameters)
            var activation = x
            var margin = Float.infinity
            var everyLayerAlive = true
            for (index, layer) in mlp.layers.enumerated() {
                activation = layer.forward(activation)
                guard layer is Linear && index + 1 < mlp.layers.count else { continue }
                let next = mlp.layers[index + 1]
                if next is ReLU || next is LeakyReLU || next is ELU {
                    margin = min(margin, activation.elements.map { abs($0) }.min() ?? .infinity)
                    everyLayerAlive = everyLayerAlive && activation.elements.contains { $0 > 0 }
                } else if let pool = next as? MaxoutPool {
                    margin = min(margin, Self.smallestMaxoutGap(activation, pieces: pool.pieces))
                }
            }
            if architecture.loss == .hinge {
                let (distance, violated) = hingeMargins(activation, labels: labels)
                margin = min(margin, distance)
                everyLayerAlive = everyLayerAlive && violated
            }
            if margin >= 0.05 && everyLayerAlive { return mlp }
        }
        throw KinkError()
    }

    /// The smallest difference between a unit's largest and second-largest piece (∞ with one piece).
    static func smallestMaxoutGap(_ z: Matrix, pieces k: Int) -> Float {
        var gap = Float.infinity
        for start in stride(from: 0, to: z.elements.count, by: k) where k > 1 {
            let sorted = z.elements[start..<start + k].sorted(by: >)
            gap = min(gap, sorted[0] - sorted[1])
        }
        return gap
    }

    struct KinkError: Error {}

    // MARK: - The check itself

    /// A sigmoid whose backward forgets the factor (1 − y): dX = dY·y instead of dY·y(1 − y).
    final class SigmoidForgettingAFactor: Layer {
        let inputSize: Int
        var outputSize: Int { inputSize }
        private let correct: Sigmoid
        private var output = Matrix(rows: 0, columns: 0)
        init(size: Int) {
            inputSize = size
            correct = Sigmoid(size: size)
        }
        func forward(_ x: Matrix) -> Matrix {
            output = correct.forward(x)
            return output
        }
        func backward(_ dY: Matrix) -> Matrix {
            var dX = dY
            for i in dX.elements.indices { dX.elements[i] *= output.elements[i] }
            return dX
        }
    }

    /// A tanh whose backward is 10 % too large: subtle enough to pass a loose check, not ours.
    final class TanhTenPercentOff: Layer {
        let inputSize: Int
        var outputSize: Int { inputSize }
        private let correct: Tanh
        init(size: Int) {
            inputSize = size
            correct = Tanh(size: size)
        }
        func forward(_ x: Matrix) -> Matrix { correct.forward(x) }
        func backward(_ dY: Matrix) -> Matrix {
            var dX = correct.backward(dY)
            for i in dX.elements.indices { dX.elements[i] *= 1.1 }
            return dX
        }
    }

    @Test("A deliberately wrong backward fails the check (and the right one passes on the same data)")
    func wrongBackwardIsCaught() {
        let x = Matrix.sinePattern(rows: 5, columns: 7, phase: 0.4, scale: 2)
        let g = Matrix.sinePattern(rows: 5, columns: 7, phase: 1.9)
        let layers: [(Layer, shouldPass: Bool)] = [
            (SigmoidForgettingAFactor(size: 7), false), (TanhTenPercentOff(size: 7), false),
            (Sigmoid(size: 7), true), (Tanh(size: 7), true)
        ]
        for (layer, shouldPass) in layers {
            _ = layer.forward(x)
            let dX = layer.backward(g)
            let numerical = GradientCheck.numericalGradient(at: x) { weightedSum(layer.forward($0), weights: g) }
            let comparison = GradientCheck.compare(analytic: dX, numerical: numerical, name: "\(type(of: layer))")
            #expect(comparison.passed == shouldPass, "\(comparison)")
            if !shouldPass {
                #expect(comparison.mismatches.count > 20, "nearly every element should be flagged: \(comparison)")
                #expect(comparison.description.contains("disagree"))
            }
        }
    }

    @Test("The check reports a shape mismatch and an all-zero gradient")
    func checkReportsShapeAndZero() {
        let comparison = GradientCheck.compare(analytic: Matrix(rows: 2, columns: 3), numerical: Matrix(rows: 3, columns: 2))
        #expect(!comparison.passed)
        #expect(comparison.description.contains("shape"))
        let zeros = GradientCheck.compare(analytic: Matrix(rows: 2, columns: 2), numerical: Matrix(rows: 2, columns: 2))
        #expect(zeros.passed && zeros.isTriviallyZero())
    }

    // MARK: - Helpers

    /// Records a failure listing the disagreeing elements, and (if `nonZero`) another when the
    /// analytic gradient is trivially zero.
    func expectAgreement(
        _ analytic: Matrix, _ numerical: Matrix, _ name: String, nonZero: Bool = true,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        let comparison = GradientCheck.compare(analytic: analytic, numerical: numerical, name: name)
        #expect(comparison.passed, "\(comparison)", sourceLocation: sourceLocation)
        if nonZero {
            #expect(!comparison.isTriviallyZero(), "\(name) is trivially zero", sourceLocation: sourceLocation)
        }
    }
}
