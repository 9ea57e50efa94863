// DigitsTestSupport: helpers shared by every test target of digits. No tests live here.
//
// - ApproximateEquality.swift — `isClose` for numbers, arrays and matrices (absolute + relative
//   tolerance, NaN never close) and `maximumDifference` for informative failure messages.
// - GradientCheck.swift — central-difference gradients of any scalar loss with respect to a matrix
//   held in an object (`\.weight`, `\.bias`) or passed in (an input), their comparison with an
//   analytic gradient, and `weightedSum` (Σ G⊙Y) to turn a layer's output into a scalar loss.
//   The step h and the tolerance are justified in the doc comments there.
// - Patterns.swift — deterministic, non-random matrix fills (sine, away-from-zero, small-integer),
//   one-hot targets, row sums, finiteness.
//
// It depends on DigitsCore only, never writes files, and uses no randomness.
import DigitsCore
