import DigitsCore

/// Central-difference gradient checking for Float32 layers, losses and whole networks.
///
/// The numerical derivative of a scalar loss L with respect to one element θ is
///
///     ∂L/∂θ ≈ (L(θ + h) − L(θ − h)) / ((θ + h) − (θ − h))
///
/// where the denominator is the difference of the two perturbed values *as actually stored in
/// Float* (θ ± h rounds, so it is not exactly 2h), subtracted in Double.
///
/// ## Choosing h
/// The central difference has a truncation error of about h²·|L‴|/6 and a rounding error of about
/// ε·|L|/h, with ε = 2⁻²⁴ ≈ 6·10⁻⁸ the relative precision of the Float forward pass. For losses
/// and values of order 1 the sum is smallest near h = (3ε)^(1/3) ≈ 6·10⁻³; `defaultStep` = 1e-2 keeps
/// both terms around 10⁻⁵, far below `GradientTolerance.standard`. For layers that are linear in the
/// perturbed element (Linear's weights, biases and inputs) the truncation error is exactly zero.
/// Keep ReLU inputs at least a few h away from 0: a difference across the kink measures neither side.
///
/// ## Keeping rounding down
/// Write the loss closure so that it sums in Double (see `weightedSum(_:weights:)`): only the
/// elements the perturbation touches then carry Float rounding, the rest cancel exactly because the
/// same Float computation is repeated bit for bit.
public enum GradientCheck {
    /// The default perturbation h (see the type's documentation).
    public static let defaultStep: Float = 1e-2

    /// The numerical gradient of `loss` with respect to every element of the matrix stored at
    /// `keyPath` in `root` (e.g. `numericalGradient(linear, \.weight) { … }`). Each element is
    /// perturbed by ±h in turn and restored exactly afterwards.
    public static func numericalGradient<Root: AnyObject>(
        _ root: Root, _ keyPath: ReferenceWritableKeyPath<Root, Matrix>,
        step h: Float = defaultStep, loss: () -> Double
    ) -> Matrix {
        let shape = root[keyPath: keyPath].shape
        var gradient = Matrix(rows: shape.rows, columns: shape.columns)
        for i in gradient.elements.indices {
            let original = root[keyPath: keyPath].elements[i]
            let plus = original + h, minus = original - h
            root[keyPath: keyPath].elements[i] = plus
            let lossPlus = loss()
            root[keyPath: keyPath].elements[i] = minus
            let lossMinus = loss()
            root[keyPath: keyPath].elements[i] = original
            gradient.elements[i] = Float((lossPlus - lossMinus) / (Double(plus) - Double(minus)))
        }
        return gradient
    }

    /// The numerical gradient of `loss(X)` with respect to every element of X, at `point`.
    public static func numericalGradient(
        at point: Matrix, step h: Float = defaultStep,
        loss: (Matrix) -> Double
    ) -> Matrix {
        var x = point
        var gradient = Matrix(rows: point.rows, columns: point.columns)
        for i in x.elements.indices {
            let original = point.elements[i]
            let plus = original + h, minus = original - h
            x.elements[i] = plus
            let lossPlus = loss(x)
            x.elements[i] = minus
            let lossMinus = loss(x)
            x.elements[i] = original
            gradient.elements[i] = Float((lossPlus - lossMinus) / (Double(plus) - Double(minus)))
        }
        return gradient
    }

    /// Compares an analytic gradient (from `backward`) with a numerical one, element by element.
    public static func compare(
        analytic: Matrix, numerical: Matrix, name: String = "gradient",
        tolerance: GradientTolerance = .standard
    ) -> GradientComparison {
        var mismatches: [GradientComparison.Mismatch] = []
        if analytic.shape != numerical.shape {
            mismatches.append(.init(index: -1, analytic: .nan, numerical: .nan))
        } else {
            for (index, (a, n)) in zip(analytic.elements, numerical.elements).enumerated()
            where !tolerance.accepts(analytic: a, numerical: n) {
                mismatches.append(.init(index: index, analytic: a, numerical: n))
            }
        }
        return GradientComparison(name: name, analytic: analytic, numerical: numerical, mismatches: mismatches)
    }
}

/// When an analytic and a numerical derivative agree: |a − n| ≤ absolute + relative · max(|a|, |n|).
///
/// `standard` (relative 1e-2, absolute 1e-4): the numerical error (see `GradientCheck`) is about
/// 10⁻⁵ for h = 1e-2 — the worst seen over DigitsCore's checks is 2·10⁻⁵, in whole networks whose
/// Float loss (≈ 1, one ulp 1.2·10⁻⁷) is differenced over 2h = 0.02 — so the absolute part leaves a
/// margin of five and is still small beside the gradients checked (10⁻³…1). The relative part admits
/// 1 %: a backward that drops or doubles a factor, transposes a matrix or forgets 1/B is off by far
/// more (DigitsCoreTests shows a 10 % error is caught).
public struct GradientTolerance: Sendable {
    public var relative: Float
    public var absolute: Float

    public init(relative: Float, absolute: Float) {
        self.relative = relative
        self.absolute = absolute
    }

    public static let standard = GradientTolerance(relative: 1e-2, absolute: 1e-4)

    public func accepts(analytic a: Float, numerical n: Float) -> Bool {
        isClose(a, n, absoluteTolerance: absolute, relativeTolerance: relative)
    }
}

/// The outcome of `GradientCheck.compare`: which elements disagree, and whether the gradient is
/// suspiciously all zero (a backward that returns zeros agrees with a loss that does not depend on
/// the parameter — both must be ruled out separately).
public struct GradientComparison: CustomStringConvertible {
    public struct Mismatch: Sendable {
        /// Row-major element index; −1 when the shapes differ.
        public var index: Int
        public var analytic: Float
        public var numerical: Float
    }

    public let name: String
    public let analytic: Matrix
    public let numerical: Matrix
    public let mismatches: [Mismatch]

    public var passed: Bool { mismatches.isEmpty }

    /// True when no element of the analytic gradient reaches `threshold` in magnitude.
    public func isTriviallyZero(threshold: Float = 1e-4) -> Bool {
        analytic.maximumMagnitude < threshold
    }

    public var description: String {
        guard !passed else { return "\(name): \(analytic.elements.count) elements agree" }
        if mismatches.first?.index == -1 {
            return "\(name): analytic \(analytic.shape) and numerical \(numerical.shape) gradients differ in shape"
        }
        let shown = mismatches.prefix(5).map { m in
            "[\(m.index / max(analytic.columns, 1)), \(m.index % max(analytic.columns, 1))] analytic \(m.analytic), numerical \(m.numerical)"
        }
        return "\(name): \(mismatches.count) of \(analytic.elements.count) elements disagree: "
            + shown.joined(separator: "; ")
    }
}

/// Σ_ij G_ij · Y_ij accumulated in Double: a scalar "loss" whose gradient with respect to Y is
/// exactly G. To check a layer's backward, use it with a fixed, non-constant G as the loss of the
/// layer's output and feed the same G to `backward` (a constant G would hide mistakes: softmax, for
/// one, maps a constant upstream gradient to zero).
public func weightedSum(_ y: Matrix, weights g: Matrix) -> Double {
    precondition(y.rows == g.rows && y.columns == g.columns, "weightedSum: shapes differ")
    var sum = 0.0
    for (a, b) in zip(y.elements, g.elements) { sum += Double(a) * Double(b) }
    return sum
}
