/// What an `MLP` is, independent of its weights: layer sizes, hidden activation and loss.
/// `layerSizes` runs from inputs to classes, e.g. [256, 128, 10] or [256, 512, 256, 10].
public struct Architecture: Codable, Equatable, Sendable {
    public static let defaultELUAlpha: Float = 1
    public static let defaultMaxoutPieces = 2

    public var layerSizes: [Int]
    public var activation: Activation
    public var loss: LossFunction
    /// α of ELU (used only with `.elu`).
    public var eluAlpha: Float
    /// k, the pieces per maxout unit (used only with `.maxout`): hidden Linear layers have k × the units.
    public var maxoutPieces: Int
    /// p of the `Dropout` after each hidden activation (0: none). A training setting: inference ignores it.
    public var dropout: Float

    public init(
        layerSizes: [Int], activation: Activation = .relu, loss: LossFunction = .crossEntropy,
        eluAlpha: Float = Architecture.defaultELUAlpha, maxoutPieces: Int = Architecture.defaultMaxoutPieces,
        dropout: Float = 0
    ) {
        self.layerSizes = layerSizes
        self.activation = activation
        self.loss = loss
        // A parameter of another activation is not part of this architecture: it keeps its default,
        // so that equal networks compare equal whatever options were passed beside them.
        self.eluAlpha = activation == .elu ? eluAlpha : Architecture.defaultELUAlpha
        self.maxoutPieces = activation == .maxout ? maxoutPieces : Architecture.defaultMaxoutPieces
        self.dropout = dropout
    }

    private enum CodingKeys: String, CodingKey { case layerSizes, activation, loss, eluAlpha, maxoutPieces, dropout }

    /// The JSON of runs from before ELU, maxout and dropout (a checkpoint's training options) has no
    /// `eluAlpha`, `maxoutPieces` or `dropout`: they take their defaults.
    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            layerSizes: try container.decode([Int].self, forKey: .layerSizes),
            activation: try container.decode(Activation.self, forKey: .activation),
            loss: try container.decode(LossFunction.self, forKey: .loss),
            eluAlpha: try container.decodeIfPresent(Float.self, forKey: .eluAlpha) ?? Architecture.defaultELUAlpha,
            maxoutPieces: try container.decodeIfPresent(Int.self, forKey: .maxoutPieces) ?? Architecture.defaultMaxoutPieces,
            dropout: try container.decodeIfPresent(Float.self, forKey: .dropout) ?? 0)
    }

    /// Writes ELU's α, maxout's k and the dropout rate only where they apply, so the JSON of a run
    /// without them reads as it did before they existed.
    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(layerSizes, forKey: .layerSizes)
        try container.encode(activation, forKey: .activation)
        try container.encode(loss, forKey: .loss)
        if activation == .elu { try container.encode(eluAlpha, forKey: .eluAlpha) }
        if activation == .maxout { try container.encode(maxoutPieces, forKey: .maxoutPieces) }
        if dropout != 0 { try container.encode(dropout, forKey: .dropout) }
    }

    public var inputSize: Int { layerSizes.first ?? 0 }
    public var classCount: Int { layerSizes.last ?? 0 }

    /// The (out, in) shape of each layer's weight matrix. With maxout every hidden layer's weight
    /// has k × the rows (one per piece); its inputs are the units of the layer before.
    public var weightShapes: [(rows: Int, columns: Int)] {
        let widening = activation == .maxout ? maxoutPieces : 1
        let count = layerSizes.count - 1
        return zip(layerSizes.dropFirst(), layerSizes).enumerated().map { index, sizes in
            (rows: index < count - 1 ? sizes.0 * widening : sizes.0, columns: sizes.1)
        }
    }

    public var parameterCount: Int { weightShapes.reduce(0) { $0 + $1.rows * $1.columns + $1.rows } }

    public func validate() throws(ArchitectureError) {
        guard layerSizes.count >= 2 else { throw .tooFewLayers(layerSizes.count) }
        if let bad = layerSizes.first(where: { $0 < 1 || $0 > 1 << 16 }) { throw .badLayerSize(bad) }
        guard eluAlpha.isFinite && eluAlpha > 0 && eluAlpha <= 100 else { throw .badELUAlpha(eluAlpha) }
        guard (1...16).contains(maxoutPieces) else { throw .badMaxoutPieces(maxoutPieces) }
        guard dropout >= 0 && dropout < 1 else { throw .badDropout(dropout) }
    }
}

public enum ArchitectureError: Error, Equatable, CustomStringConvertible {
    case tooFewLayers(Int)
    case badLayerSize(Int)
    case parameterShape(layer: Int, expected: String, found: String)
    case badELUAlpha(Float)
    case badMaxoutPieces(Int)
    case badDropout(Float)

    public var description: String {
        switch self {
        case .tooFewLayers(let n): "a network needs at least an input and an output size, got \(n) size(s)"
        case .badLayerSize(let n): "layer size \(n) is outside 1…65536"
        case .parameterShape(let layer, let expected, let found):
            "layer \(layer): parameters are \(found), the architecture needs \(expected)"
        case .badELUAlpha(let alpha): "ELU's α is \(alpha); it must be a number in (0, 100]"
        case .badMaxoutPieces(let k): "maxout with \(k) pieces per unit; it takes 1…16"
        case .badDropout(let p): "dropout rate \(p); it must be at least 0 and below 1"
        }
    }
}

/// A multilayer perceptron: Linear → activation → … → Linear, trained through a softmax output.
///
/// With cross-entropy the last Linear gives logits and the loss is the fused `SoftmaxCrossEntropy`;
/// with hinge it gives scores for `MulticlassHingeLoss` (probabilities: their softmax);
/// with squared error a `Softmax` layer ends the network and the loss compares probabilities.
public final class MLP {
    public let architecture: Architecture
    public let layers: [Layer]
    public let linearLayers: [Linear]
    public let loss: Loss
    /// The `Dropout` layers among `layers` (none when `architecture.dropout` is 0), kept so that
    /// drawing their masks each step allocates nothing.
    public let dropoutLayers: [Dropout]

    /// A freshly initialised network: weights uniform with the activation's limit (He or Glorot), biases 0.
    public convenience init(architecture: Architecture, generator: inout SeededGenerator) throws(ArchitectureError) {
        try architecture.validate()
        var linears: [Linear] = []
        for (index, shape) in architecture.weightShapes.enumerated() {
            let isLast = index == architecture.weightShapes.count - 1
            // The output layer feeds softmax, whose scale behaves like Glorot's case.
            let limit =
                isLast
                ? (6 / Float(shape.columns + shape.rows)).squareRoot()
                : architecture.activation.initialisationLimit(fanIn: shape.columns, fanOut: shape.rows)
            linears.append(
                Linear(
                    inputSize: shape.columns, outputSize: shape.rows,
                    initialisationLimit: limit, generator: &generator))
        }
        self.init(architecture: architecture, linearLayers: linears)
    }

    /// A network with the given parameters, `[(weight (out, in), bias (1, out))]` in layer order.
    public convenience init(architecture: Architecture, parameters: [(weight: Matrix, bias: Matrix)]) throws(ArchitectureError) {
        try architecture.validate()
        let shapes = architecture.weightShapes
        guard parameters.count == shapes.count else {
            throw .parameterShape(
                layer: parameters.count, expected: "\(shapes.count) layers",
                found: "\(parameters.count) layers")
        }
        for (index, (shape, p)) in zip(shapes, parameters).enumerated() {
            guard p.weight.rows == shape.rows, p.weight.columns == shape.columns,
                p.bias.rows == 1, p.bias.columns == shape.rows
            else {
                throw .parameterShape(
                    layer: index, expected: "W \(shape.rows)×\(shape.columns), b 1×\(shape.rows)",
                    found: "W \(p.weight.rows)×\(p.weight.columns), b \(p.bias.rows)×\(p.bias.columns)")
            }
        }
        self.init(
            architecture: architecture,
            linearLayers: parameters.map { Linear(weight: $0.weight, bias: $0.bias) })
    }

    private init(architecture: Architecture, linearLayers: [Linear]) {
        self.architecture = architecture
        self.linearLayers = linearLayers
        linearLayers.first?.computesInputGradient = false
        var layers: [Layer] = []
        for (index, linear) in linearLayers.enumerated() {
            layers.append(linear)
            if index < linearLayers.count - 1 {
                layers.append(
                    architecture.activation.makeLayer(
                        size: architecture.layerSizes[index + 1],
                        eluAlpha: architecture.eluAlpha,
                        maxoutPieces: architecture.maxoutPieces))
                if architecture.dropout > 0 {
                    layers.append(Dropout(size: architecture.layerSizes[index + 1], rate: architecture.dropout))
                }
            }
        }
        switch architecture.loss {
        case .crossEntropy:
            loss = SoftmaxCrossEntropy()
        case .hinge:
            loss = MulticlassHingeLoss()
        case .meanSquaredError:
            layers.append(Softmax(size: architecture.classCount))
            loss = MeanSquaredError()
        }
        self.layers = layers
        dropoutLayers = layers.compactMap { $0 as? Dropout }
    }

    /// The network's output for a batch X (B, inputs): logits with cross-entropy (scores with hinge),
    /// probabilities with squared error.
    public func forward(_ x: Matrix) -> Matrix {
        var activation = x
        for layer in layers { activation = layer.forward(activation) }
        return activation
    }

    /// Backpropagates dL/d(output) through every layer, leaving each Linear's parameter gradients set.
    public func backward(_ outputGradient: Matrix) {
        var gradient = outputGradient
        for layer in layers.reversed() { gradient = layer.backward(gradient) }
    }

    /// Forward, loss and backward for one minibatch: returns the mean loss and the network's output
    /// (valid until the next forward), leaving every Linear's parameter gradients set.
    @discardableResult
    public func computeGradients(input: Matrix, targets: Matrix) -> (loss: Float, output: Matrix) {
        let output = forward(input)
        let value = loss.forward(output, targets: targets)
        backward(loss.backward())
        return (value, output)
    }

    /// Class probabilities (B, classes), each row summing to 1.
    public func probabilities(_ x: Matrix) -> Matrix {
        var result = Matrix(rows: 0, columns: architecture.classCount)
        result.reserveRows(x.rows)
        forEachChunk(of: x) { chunk in
            let output = forward(chunk)
            switch architecture.loss {
            case .crossEntropy, .hinge:  // hinge: the scores' softmax, as the model file says
                var p = Matrix(rows: output.rows, columns: output.columns)
                softmaxRows(of: output, into: &p)
                result.elements.append(contentsOf: p.elements)
            case .meanSquaredError:
                result.elements.append(contentsOf: output.elements)
            }
        }
        return Matrix(rows: x.rows, columns: architecture.classCount, elements: result.elements)
    }

    /// The most probable class of each row of X.
    public func predictions(_ x: Matrix) -> [Int] {
        var result: [Int] = []
        result.reserveCapacity(x.rows)
        forEachChunk(of: x) { chunk in
            let output = forward(chunk)  // softmax is monotonic: the arg max of logits is the class
            for row in 0..<output.rows { result.append(argmax(output, row: row)) }
        }
        return result
    }

    /// Fraction of rows of X whose predicted class equals the label.
    public func accuracy(_ x: Matrix, labels: [Int]) -> Double {
        precondition(labels.count == x.rows, "accuracy: \(labels.count) labels for \(x.rows) rows")
        guard x.rows > 0 else { return 0 }
        let correct = zip(predictions(x), labels).reduce(0) { $0 + ($1.0 == $1.1 ? 1 : 0) }
        return Double(correct) / Double(x.rows)
    }

    /// Inference runs in chunks so a 10,000-image evaluation does not grow every layer buffer to 10,000 rows.
    private func forEachChunk(of x: Matrix, rowsPerChunk: Int = 1024, _ body: (Matrix) -> Void) {
        var chunk = Matrix(rows: 0, columns: x.columns)
        chunk.reserveRows(min(rowsPerChunk, x.rows))
        var start = 0
        while start < x.rows {
            let count = min(rowsPerChunk, x.rows - start)
            chunk.copyRows(from: x, start: start, count: count)
            body(chunk)
            start += count
        }
    }
}

/// Index of the largest element of a row (the first one on ties).
public func argmax(_ m: Matrix, row: Int) -> Int {
    var best = 0
    var bestValue = -Float.infinity
    for j in 0..<m.columns where m[row, j] > bestValue {
        bestValue = m[row, j]
        best = j
    }
    return best
}

extension Matrix {
    /// Makes this matrix hold rows `start ..< start + count` of `source`.
    mutating func copyRows(from source: Matrix, start: Int, count: Int) {
        precondition(columns == source.columns && start >= 0 && start + count <= source.rows)
        prepare(rows: count)
        let n = columns
        elements.withUnsafeMutableBufferPointer { destination in
            source.elements.withUnsafeBufferPointer { source in
                guard let d = destination.baseAddress, let s = source.baseAddress else { return }
                d.update(from: s + start * n, count: count * n)
            }
        }
    }
}
