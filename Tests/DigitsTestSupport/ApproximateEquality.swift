import DigitsCore

/// Approximate comparison of numbers, arrays and matrices, in the spirit of swift-numerics'
/// `isApproximatelyEqual(to:absoluteTolerance:relativeTolerance:)`.
///
/// a and b are close when |a − b| ≤ absoluteTolerance + relativeTolerance · max(|a|, |b|).
/// The absolute part covers values near zero (where a relative test means nothing), the relative
/// part large values (where a fixed absolute bound is too strict for Float's 24-bit significand).
/// NaN is never close to anything; two equal infinities are close.
public func isClose(_ a: Double, _ b: Double, absoluteTolerance: Double, relativeTolerance: Double = 0) -> Bool {
    if a == b { return true }  // also equal infinities
    guard a.isFinite, b.isFinite else { return false }
    return abs(a - b) <= absoluteTolerance + relativeTolerance * max(abs(a), abs(b))
}

public func isClose(_ a: Float, _ b: Float, absoluteTolerance: Float, relativeTolerance: Float = 0) -> Bool {
    isClose(
        Double(a), Double(b), absoluteTolerance: Double(absoluteTolerance),
        relativeTolerance: Double(relativeTolerance))
}

/// Element-wise `isClose` over two arrays; arrays of different lengths are never close.
public func isClose(_ a: [Float], _ b: [Float], absoluteTolerance: Float, relativeTolerance: Float = 0) -> Bool {
    a.count == b.count
        && zip(a, b).allSatisfy {
            isClose($0, $1, absoluteTolerance: absoluteTolerance, relativeTolerance: relativeTolerance)
        }
}

/// Element-wise `isClose` over two matrices; matrices of different shapes are never close.
public func isClose(_ a: Matrix, _ b: Matrix, absoluteTolerance: Float, relativeTolerance: Float = 0) -> Bool {
    a.rows == b.rows && a.columns == b.columns
        && isClose(a.elements, b.elements, absoluteTolerance: absoluteTolerance, relativeTolerance: relativeTolerance)
}

/// The largest |a[i] − b[i]|; infinity when the lengths differ or a NaN is involved.
/// Meant for expectations whose failure message should show the size of the error:
/// `#expect(maximumDifference(x, y) <= 1e-4)`.
public func maximumDifference(_ a: [Float], _ b: [Float]) -> Float {
    guard a.count == b.count else { return .infinity }
    var largest: Float = 0
    for (x, y) in zip(a, b) {
        let d = abs(x - y)
        if d.isNaN { return .infinity }
        largest = max(largest, d)
    }
    return largest
}

/// The largest element-wise difference of two matrices; infinity when their shapes differ.
public func maximumDifference(_ a: Matrix, _ b: Matrix) -> Float {
    guard a.rows == b.rows, a.columns == b.columns else { return .infinity }
    return maximumDifference(a.elements, b.elements)
}
