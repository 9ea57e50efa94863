/// A fully connected layer: Y = X·Wᵀ + 1·bᵀ.
///
/// Shapes: X (B, in), W (out, in) — row i holds the weights of unit i, as in the lecture notes and
/// as PyTorch stores them — b (1, out), Y (B, out).
/// Backward: dW = dYᵀ·X (out, in), db = Σ_rows dY (1, out), dX = dY·W (B, in).
public final class Linear: Layer {
    public var weight: Matrix
    public var bias: Matrix
    /// dL/dW and dL/db of the last backward. Allocated at first use: a network made only to classify
    /// (a loaded model) never runs backward, and zeroing a second copy of its weights would be most of
    /// the cost of making it (1 MB of fresh pages for the shipped model).
    public private(set) lazy var weightGradient = Matrix(rows: weight.rows, columns: weight.columns)
    public private(set) lazy var biasGradient = Matrix(rows: 1, columns: weight.rows)
    /// Whether the layer has a bias at all (the worked 2-2-1 example has none).
    public let hasBias: Bool
    /// The first layer of a network needs no dL/dX: skipping it saves one of the six products of a step.
    public var computesInputGradient = true

    private var input: Matrix
    private var output: Matrix
    private var inputGradient: Matrix

    public var inputSize: Int { weight.columns }
    public var outputSize: Int { weight.rows }

    public init(weight: Matrix, bias: Matrix? = nil) {
        precondition(
            bias == nil || (bias!.rows == 1 && bias!.columns == weight.rows),
            "bias must be 1 × \(weight.rows)")
        self.weight = weight
        self.hasBias = bias != nil
        self.bias = bias ?? Matrix(rows: 1, columns: weight.rows)
        input = Matrix(rows: 0, columns: weight.columns)
        output = Matrix(rows: 0, columns: weight.rows)
        inputGradient = Matrix(rows: 0, columns: weight.columns)
    }

    /// A layer of `inputSize → outputSize` with zero bias and weights drawn uniformly from ±limit,
    /// the limit chosen for the activation that follows (see `Activation.initialisationLimit`).
    public convenience init(
        inputSize: Int, outputSize: Int, initialisationLimit limit: Float,
        generator: inout SeededGenerator
    ) {
        var weight = Matrix(rows: outputSize, columns: inputSize)
        for i in weight.elements.indices { weight.elements[i] = generator.nextFloat(symmetricLimit: limit) }
        self.init(weight: weight, bias: Matrix(rows: 1, columns: outputSize))
    }

    public func forward(_ x: Matrix) -> Matrix {
        precondition(x.columns == inputSize, "Linear expects \(inputSize) inputs, got \(x.columns)")
        input.assign(x)
        output.prepare(rows: x.rows)
        // Y ← 1·bᵀ, then Y ← X·Wᵀ + Y in one product.
        let outputs = outputSize
        output.elements.withUnsafeMutableBufferPointer { y in
            bias.elements.withUnsafeBufferPointer { b in
                guard let yBase = y.baseAddress, let bBase = b.baseAddress else { return }
                for row in 0..<x.rows { (yBase + row * outputs).update(from: bBase, count: outputs) }
            }
        }
        gemm(.none, x, .transposed, weight, into: &output, beta: 1)
        return output
    }

    public func backward(_ dY: Matrix) -> Matrix {
        precondition(dY.columns == outputSize && dY.rows == input.rows, "Linear.backward: dY has the wrong shape")
        gemm(.transposed, dY, .none, input, into: &weightGradient)  // dW = dYᵀ·X
        if hasBias { columnSums(of: dY, into: &biasGradient) }  // db = Σ dY
        guard computesInputGradient else { return inputGradient }
        inputGradient.prepare(rows: dY.rows)
        gemm(.none, dY, .none, weight, into: &inputGradient)  // dX = dY·W
        return inputGradient
    }
}

/// s[j] = Σ_i m[i, j], accumulated row by row so the inner loop runs over contiguous memory.
func columnSums(of m: Matrix, into sums: inout Matrix) {
    let columns = m.columns
    sums.elements.withUnsafeMutableBufferPointer { s in
        for j in 0..<columns { s[j] = 0 }
        m.elements.withUnsafeBufferPointer { e in
            for i in 0..<m.rows {
                let row = i * columns
                for j in 0..<columns { s[j] += e[row + j] }
            }
        }
    }
}
