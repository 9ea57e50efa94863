import DigitsCore
import DigitsTestSupport
import Foundation
@testable import DigitsModel

/// The name of an error's enum case, nested through wrappers: "file.offsetsPastEnd".
func caseName(_ error: Any) -> String {
    let mirror = Mirror(reflecting: error)
    guard mirror.displayStyle == .enum else { return "\(error)" }
    guard let child = mirror.children.first, let label = child.label else { return "\(error)" }
    // A wrapped error (`.file(SafeTensorsError)`) names its inner case too.
    let inner = Mirror(reflecting: child.value)
    if inner.displayStyle == .enum, child.value is Error { return label + "." + caseName(child.value) }
    return label
}

/// Floats that a lossy writer would get wrong.
let awkwardFloats: [Float] = [
    0, -0.0, 1, -1, 0.1, -0.3, .pi, 1e-30, -7.5e7,
    .leastNonzeroMagnitude, -.leastNonzeroMagnitude, .leastNormalMagnitude, .leastNormalMagnitude.nextDown,
    .greatestFiniteMagnitude, -.greatestFiniteMagnitude, Float(bitPattern: 0x3F80_0001), .ulpOfOne
]

/// A 5 → 4 → 3 network (tanh, cross-entropy) whose weights cycle through `awkwardFloats`
/// scaled down where needed to keep its outputs finite, plus a few awkward values left as they are.
func makeTinyModel(provenance: Provenance = sampleProvenance) throws -> SavedModel {
    let architecture = Architecture(layerSizes: [5, 4, 3], activation: .tanh, loss: .crossEntropy)
    var layers: [LayerParameters] = []
    var k = 0
    for shape in architecture.weightShapes {
        var weight = Matrix(rows: shape.rows, columns: shape.columns)
        for i in weight.elements.indices {
            weight.elements[i] = Float(k % 7) * 0.37 - 1.1 + Float(i) * 0.01
            k += 1
        }
        var bias = Matrix(rows: 1, columns: shape.rows)
        for i in bias.elements.indices { bias.elements[i] = Float(i) * -0.25 }
        layers.append(LayerParameters(weight: weight, bias: bias))
    }
    // The special values go where they still leave finite outputs: tiny ones anywhere, the huge
    // one into the first layer's tanh, which saturates.
    layers[0].weight.elements[0] = -0.0
    layers[0].weight.elements[1] = .leastNonzeroMagnitude
    layers[0].weight.elements[2] = .greatestFiniteMagnitude
    layers[0].weight.elements[3] = -.leastNormalMagnitude.nextDown
    layers[1].bias.elements[0] = -0.0
    layers[1].weight.elements[5] = 0.1
    return SavedModel(
        architecture: architecture, preprocessing: .standard, classLabels: ["zero", "one", "two"],
        provenance: provenance, layers: layers)
}

let sampleProvenance = Provenance(
    dataset: "fixture", epochs: 3, seed: 18_446_744_073_709_551_557, batchSize: 64, learningRate: 0.1,
    validationAccuracy: 0.9731, testAccuracy: 1.0 / 3.0, created: "2026-11-23T07:00:00Z",
    toolVersion: "digits 0.1.0", commit: "0123456789abcdef", other: ["note": "a \"quoted\" note\nwith a newline"])

/// A batch of inputs for the tiny model, rows spread over [-2, 2].
func tinyInputs(rows: Int = 9, columns: Int = 5) -> Matrix {
    var x = Matrix(rows: rows, columns: columns)
    for i in x.elements.indices { x.elements[i] = Float((i * 37) % 17) / 4 - 2 }
    return x
}

func bitPatterns(_ m: Matrix) -> [UInt32] { m.elements.map(\.bitPattern) }

/// The safetensors bytes of a hand-written header and data section.
func safetensorsBytes(header: String, data: [UInt8]) -> [UInt8] {
    let headerBytes = Array(header.utf8)
    var length = UInt64(headerBytes.count).littleEndian
    var bytes = withUnsafeBytes(of: &length) { Array($0) }
    bytes += headerBytes
    bytes += data
    return bytes
}
