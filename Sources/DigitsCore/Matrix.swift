/// A dense row-major matrix of `Float`.
///
/// In a minibatch the rows are the examples and the columns the features:
/// a batch of 64 images of 16×16 pixels is a 64 × 256 matrix.
public struct Matrix: Equatable, Sendable {
    public private(set) var rows: Int
    public let columns: Int
    /// Row-major elements; `elements.count == rows * columns` always.
    public var elements: [Float]

    public init(rows: Int, columns: Int, repeating value: Float = 0) {
        precondition(rows >= 0 && columns >= 0, "matrix dimensions must be non-negative")
        self.rows = rows
        self.columns = columns
        self.elements = [Float](repeating: value, count: rows * columns)
    }

    public init(rows: Int, columns: Int, elements: [Float]) {
        precondition(
            elements.count == rows * columns,
            "\(elements.count) elements do not make a \(rows) × \(columns) matrix")
        self.rows = rows
        self.columns = columns
        self.elements = elements
    }

    /// A matrix from nested rows, e.g. `Matrix([[0.1, 0.8], [0.4, 0.6]])`.
    public init(_ nestedRows: [[Float]]) {
        let columns = nestedRows.first?.count ?? 0
        precondition(nestedRows.allSatisfy { $0.count == columns }, "ragged rows")
        self.init(rows: nestedRows.count, columns: columns, elements: nestedRows.flatMap { $0 })
    }

    public subscript(row: Int, column: Int) -> Float {
        get { elements[row * columns + column] }
        set { elements[row * columns + column] = newValue }
    }

    /// One row as an array (a copy).
    /// The rows at `indices`, in that order, as a new matrix: a data set's subset, a shuffled batch.
    public func gatheringRows(_ indices: [Int]) -> Matrix {
        var result = Matrix(rows: indices.count, columns: columns)
        result.elements.withUnsafeMutableBufferPointer { destination in
            elements.withUnsafeBufferPointer { source in
                guard let d = destination.baseAddress, let s = source.baseAddress else { return }
                for (row, index) in indices.enumerated() {
                    precondition(index >= 0 && index < rows, "gatheringRows: row \(index) of \(rows)")
                    (d + row * columns).update(from: s + index * columns, count: columns)
                }
            }
        }
        return result
    }

    public func row(_ index: Int) -> [Float] {
        Array(elements[index * columns..<(index + 1) * columns])
    }

    public var shape: (rows: Int, columns: Int) { (rows, columns) }

    /// Changes the number of rows, keeping the first `min(old, new)` rows.
    /// Within the capacity reserved by `reserveRows(_:)` this does not allocate, so the
    /// short last minibatch of an epoch reuses the buffers of the full-sized ones.
    public mutating func resize(rows newRows: Int) {
        precondition(newRows >= 0)
        guard newRows != rows else { return }
        if newRows < rows {
            elements.removeLast((rows - newRows) * columns)
        } else {
            elements.append(contentsOf: repeatElement(0, count: (newRows - rows) * columns))
        }
        rows = newRows
    }

    /// Reserves storage for `capacityRows` rows so later `resize(rows:)` calls up to it do not allocate.
    public mutating func reserveRows(_ capacityRows: Int) {
        elements.reserveCapacity(capacityRows * columns)
    }

    /// The transpose, as a new matrix (for tests and reference code, not the hot path).
    public var transposed: Matrix {
        var result = Matrix(rows: columns, columns: rows)
        for r in 0..<rows {
            for c in 0..<columns { result[c, r] = self[r, c] }
        }
        return result
    }
}

extension Matrix: CustomStringConvertible {
    public var description: String {
        var lines: [String] = []
        for r in 0..<rows { lines.append("[" + row(r).map { String($0) }.joined(separator: ", ") + "]") }
        return "Matrix(\(rows) × \(columns))[\n" + lines.joined(separator: "\n") + "\n]"
    }
}
