/// Reusing a matrix's storage from step to step: what lets a training step allocate nothing once
/// the layers' buffers have reached the batch size.
extension Matrix {
    /// Makes this buffer `rows × columns`-compatible for a batch of `rows`, reusing its storage.
    @inline(__always)
    mutating func prepare(rows: Int) {
        if self.rows != rows { resize(rows: rows) }
    }

    /// Copies `other` (same column count) into this buffer without allocating once warmed up.
    @inline(__always)
    mutating func assign(_ other: Matrix) {
        precondition(columns == other.columns, "assign: \(other.columns) columns into \(columns)")
        prepare(rows: other.rows)
        elements.withUnsafeMutableBufferPointer { destination in
            other.elements.withUnsafeBufferPointer { source in
                guard let base = source.baseAddress, source.count > 0 else { return }
                destination.baseAddress?.update(from: base, count: source.count)
            }
        }
    }
}
