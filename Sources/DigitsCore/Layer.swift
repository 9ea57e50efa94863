/// One stage of a network, run over a whole minibatch at a time.
///
/// Shapes: input X is (B, inputSize), output Y is (B, outputSize), B the batch size.
/// `forward` keeps what `backward` needs; `backward` takes dL/dY and returns dL/dX, keeping the
/// gradients of the layer's own parameters (if any) until the next `backward`.
///
/// Layers own their output and gradient buffers and reuse them from step to step, so a training
/// step allocates nothing once the buffers have reached the batch size. The matrices returned are
/// valid until the next call on the same layer.
public protocol Layer: AnyObject {
    var inputSize: Int { get }
    var outputSize: Int { get }
    func forward(_ input: Matrix) -> Matrix
    func backward(_ outputGradient: Matrix) -> Matrix
}

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
