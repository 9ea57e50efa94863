import DigitsCore
import Foundation

extension Matrix {
    /// A deterministic, non-random, non-symmetric fill: element k (row-major, from 0) is
    /// `offset + scale · sin(frequency · (k + 1) + phase)`.
    ///
    /// Tests use it instead of random numbers so that every failure reproduces exactly, and instead
    /// of constants so that a transposed index or a swapped row cannot hide behind equal values.
    /// Different `phase`s give unrelated-looking matrices of the same shape.
    public static func sinePattern(
        rows: Int, columns: Int, phase: Double = 0, scale: Double = 1,
        offset: Double = 0, frequency: Double = 1.7
    ) -> Matrix {
        Matrix(
            rows: rows, columns: columns,
            elements: (0..<rows * columns).map { k in
                Float(offset + scale * sin(frequency * Double(k + 1) + phase))
            })
    }

    /// Like `sinePattern`, but every element's magnitude lies in [minimumMagnitude, minimumMagnitude + scale]
    /// (sign of the sine): inputs for ReLU-like layers that stay clear of the kink at 0.
    public static func awayFromZeroPattern(
        rows: Int, columns: Int, phase: Double = 0,
        minimumMagnitude: Double = 0.2, scale: Double = 1
    ) -> Matrix {
        Matrix(
            rows: rows, columns: columns,
            elements: (0..<rows * columns).map { k in
                let s = sin(1.7 * Double(k + 1) + phase)
                return Float((s < 0 ? -1 : 1) * (minimumMagnitude + scale * abs(s)))
            })
    }

    /// A small integer fill, element k being `((k · step + phase) mod (2·range + 1)) − range`: all
    /// products and sums of such values are exact in Float, so two summation orders agree bit for bit.
    public static func integerPattern(rows: Int, columns: Int, range: Int = 3, step: Int = 5, phase: Int = 0) -> Matrix {
        Matrix(
            rows: rows, columns: columns,
            elements: (0..<rows * columns).map { k in
                Float((k * step + phase) % (2 * range + 1) - range)
            })
    }

    /// One-hot rows: row i holds a 1 in column `labels[i]` and 0 elsewhere.
    public static func oneHot(_ labels: [Int], classes: Int) -> Matrix {
        var m = Matrix(rows: labels.count, columns: classes)
        for (row, label) in labels.enumerated() { m[row, label] = 1 }
        return m
    }

    /// The sum of each row, accumulated in Double.
    public var rowSums: [Double] {
        (0..<rows).map { r in row(r).reduce(0.0) { $0 + Double($1) } }
    }

    /// Whether every element is finite (no NaN, no ±∞).
    public var isFinite: Bool { elements.allSatisfy { $0.isFinite } }

    /// The largest |element| (0 for an empty matrix).
    public var maximumMagnitude: Float {
        elements.reduce(0) { max($0, abs($1)) }
    }
}
