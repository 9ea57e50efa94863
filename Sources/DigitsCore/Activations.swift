import Glibc

/// An element-wise function y = f(x) whose derivative can be written in terms of its output y,
/// so the layer keeps only Y for backward.
public protocol ElementwiseFunction {
    static func value(_ x: Float) -> Float
    /// f′(x) expressed through y = f(x).
    static func derivative(output y: Float) -> Float
    // Whole-buffer forms (defaults below). They are requirements, not just extension methods, so each
    // concrete function gets its own witness with `value`/`derivative` inlined into the loop.
    static func apply(_ x: UnsafeBufferPointer<Float>, into y: UnsafeMutableBufferPointer<Float>)
    static func backpropagate(
        _ dy: UnsafeBufferPointer<Float>, output y: UnsafeBufferPointer<Float>,
        into dx: UnsafeMutableBufferPointer<Float>)
}

extension ElementwiseFunction {
    /// y[i] = f(x[i]) over a whole buffer: one call per minibatch, its loop compiled per function
    /// (the layer is reached through the `Layer` existential, unspecialised, so a per-element call
    /// would go through the witness table and never vectorise).
    public static func apply(_ x: UnsafeBufferPointer<Float>, into y: UnsafeMutableBufferPointer<Float>) {
        for i in 0..<x.count { y[i] = value(x[i]) }
    }

    /// dx[i] = dy[i] · f′ expressed through y[i], over a whole buffer.
    public static func backpropagate(
        _ dy: UnsafeBufferPointer<Float>, output y: UnsafeBufferPointer<Float>,
        into dx: UnsafeMutableBufferPointer<Float>
    ) {
        for i in 0..<dy.count { dx[i] = dy[i] * derivative(output: y[i]) }
    }
}

public enum ReLUFunction: ElementwiseFunction {
    // Written as `x < 0 ? 0 : x` rather than `x > 0 ? x : 0` so that NaN passes through (NaN < 0 is
    // false): a NaN input or weight must reach the loss, where the trainer reports divergence,
    // instead of being silently turned into 0.
    @inline(__always) public static func value(_ x: Float) -> Float { x < 0 ? 0 : x }
    @inline(__always) public static func derivative(output y: Float) -> Float { y > 0 ? 1 : 0 }
}

public enum LeakyReLUFunction: ElementwiseFunction {
    public static let negativeSlope: Float = 0.01
    @inline(__always) public static func value(_ x: Float) -> Float { x > 0 ? x : negativeSlope * x }
    // y > 0 exactly when x > 0 because the slope is positive.
    @inline(__always) public static func derivative(output y: Float) -> Float { y > 0 ? 1 : negativeSlope }
}

public enum SigmoidFunction: ElementwiseFunction {
    @inline(__always) public static func value(_ x: Float) -> Float { 1 / (1 + expf(-x)) }
    @inline(__always) public static func derivative(output y: Float) -> Float { y * (1 - y) }  // σ′ = σ(1 − σ)
}

public enum TanhFunction: ElementwiseFunction {
    @inline(__always) public static func value(_ x: Float) -> Float { tanhf(x) }
    @inline(__always) public static func derivative(output y: Float) -> Float { 1 - y * y }  // tanh′ = 1 − tanh²
}

/// Y = f(X) element by element; dX = dY ⊙ f′(X), with f′ computed from Y.
public final class ElementwiseLayer<Function: ElementwiseFunction>: Layer {
    public let inputSize: Int
    public var outputSize: Int { inputSize }
    private var output: Matrix
    private var inputGradient: Matrix

    public init(size: Int) {
        inputSize = size
        output = Matrix(rows: 0, columns: size)
        inputGradient = Matrix(rows: 0, columns: size)
    }

    public func forward(_ x: Matrix) -> Matrix {
        precondition(x.columns == inputSize, "activation expects \(inputSize) inputs, got \(x.columns)")
        output.prepare(rows: x.rows)
        output.elements.withUnsafeMutableBufferPointer { y in
            x.elements.withUnsafeBufferPointer { x in
                Function.apply(x, into: y)
            }
        }
        return output
    }

    public func backward(_ dY: Matrix) -> Matrix {
        precondition(dY.rows == output.rows && dY.columns == inputSize, "activation backward: dY has the wrong shape")
        inputGradient.prepare(rows: dY.rows)
        inputGradient.elements.withUnsafeMutableBufferPointer { dx in
            dY.elements.withUnsafeBufferPointer { dy in
                output.elements.withUnsafeBufferPointer { y in
                    Function.backpropagate(dy, output: y, into: dx)
                }
            }
        }
        return inputGradient
    }
}

public typealias ReLU = ElementwiseLayer<ReLUFunction>
public typealias LeakyReLU = ElementwiseLayer<LeakyReLUFunction>
public typealias Sigmoid = ElementwiseLayer<SigmoidFunction>
public typealias Tanh = ElementwiseLayer<TanhFunction>

/// Row-wise softmax as a layer of its own, for networks trained with squared error on probabilities.
/// (With cross-entropy use `SoftmaxCrossEntropy`, which fuses the two and whose gradient is simply p − t.)
/// Backward: dX = Y ⊙ (dY − (dY·Y) 1ᵀ), the softmax Jacobian applied row by row.
public final class Softmax: Layer {
    public let inputSize: Int
    public var outputSize: Int { inputSize }
    private var output: Matrix
    private var inputGradient: Matrix

    public init(size: Int) {
        inputSize = size
        output = Matrix(rows: 0, columns: size)
        inputGradient = Matrix(rows: 0, columns: size)
    }

    public func forward(_ x: Matrix) -> Matrix {
        precondition(x.columns == inputSize, "softmax expects \(inputSize) inputs, got \(x.columns)")
        output.prepare(rows: x.rows)
        softmaxRows(of: x, into: &output)
        return output
    }

    public func backward(_ dY: Matrix) -> Matrix {
        precondition(dY.rows == output.rows && dY.columns == inputSize, "softmax backward: dY has the wrong shape")
        inputGradient.prepare(rows: dY.rows)
        let n = inputSize
        inputGradient.elements.withUnsafeMutableBufferPointer { dx in
            dY.elements.withUnsafeBufferPointer { dy in
                output.elements.withUnsafeBufferPointer { y in
                    for row in 0..<dY.rows {
                        let o = row * n
                        var dot: Float = 0
                        for j in 0..<n { dot += dy[o + j] * y[o + j] }
                        for j in 0..<n { dx[o + j] = y[o + j] * (dy[o + j] - dot) }
                    }
                }
            }
        }
        return inputGradient
    }
}

/// p = softmax(z) per row, with the row maximum subtracted first so that e^z never overflows
/// (softmax is unchanged by adding a constant to a row).
func softmaxRows(of z: Matrix, into p: inout Matrix) {
    let n = z.columns
    p.elements.withUnsafeMutableBufferPointer { p in
        z.elements.withUnsafeBufferPointer { z in
            for row in 0..<(n == 0 ? 0 : z.count / n) {
                let o = row * n
                var maximum = -Float.infinity
                for j in 0..<n { maximum = max(maximum, z[o + j]) }
                var sum: Float = 0
                for j in 0..<n {
                    let e = expf(z[o + j] - maximum)
                    p[o + j] = e
                    sum += e
                }
                let inverse = 1 / sum
                for j in 0..<n { p[o + j] *= inverse }
            }
        }
    }
}

/// The hidden-layer non-linearity of an `MLP`, as named on the command line and in model files.
public enum Activation: String, CaseIterable, Codable, Sendable {
    case relu
    case leakyReLU = "leaky-relu"
    case sigmoid
    case tanh
    /// `ELU` with α = `Architecture.eluAlpha`.
    case elu
    /// `MaxoutPool` over `Architecture.maxoutPieces` pieces: the Linear layer in front has k × the units.
    case maxout

    /// The layer producing `size` hidden units: for maxout its input is `maxoutPieces` × wider.
    public func makeLayer(
        size: Int, eluAlpha: Float = Architecture.defaultELUAlpha,
        maxoutPieces: Int = Architecture.defaultMaxoutPieces
    ) -> Layer {
        switch self {
        case .relu: ReLU(size: size)
        case .leakyReLU: LeakyReLU(size: size)
        case .sigmoid: Sigmoid(size: size)
        case .tanh: Tanh(size: size)
        case .elu: ELU(size: size, alpha: eluAlpha)
        case .maxout: MaxoutPool(units: size, pieces: maxoutPieces)
        }
    }

    /// Bound of the uniform distribution the weights feeding this activation are drawn from.
    /// He (Kaiming) for the ReLU family: Var(w) = 2/fan_in, i.e. U(±√(6/fan_in)), keeping the
    /// variance of activations steady through layers that zero half their inputs.
    /// Xavier/Glorot for sigmoid and tanh: U(±√(6/(fan_in + fan_out))).
    /// Sigmoid's slope at 0 is 1/4, so Glorot's paper scales its bound by 4.
    /// ELU is of the ReLU family; so is maxout, which generalises ReLU (max(wᵀx + b, 0)).
    public func initialisationLimit(fanIn: Int, fanOut: Int) -> Float {
        switch self {
        case .relu, .leakyReLU, .elu, .maxout: (6 / Float(fanIn)).squareRoot()
        case .tanh: (6 / Float(fanIn + fanOut)).squareRoot()
        case .sigmoid: 4 * (6 / Float(fanIn + fanOut)).squareRoot()
        }
    }
}
