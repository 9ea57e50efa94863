import DigitsCore
import DigitsModel
import DigitsTestSupport
import Foundation
import Testing

// What every end-to-end test shares: temporary folders, hermetic runs of the built executables,
// the fixture's training settings, and checks on one-line error messages.

/// A fresh temporary folder for `body`, removed afterwards whatever happens. The tests write only here.
func withTemporaryDirectory<T>(_ body: (URL) throws -> T) throws -> T {
    let directory = FileManager.default.temporaryDirectory
        .appendingPathComponent("digits-e2e-\(UUID().uuidString)", isDirectory: true)
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    return try body(directory.resolvingSymlinksInPath())
}

/// Runs a built executable hermetically: in `directory` (never the test process's working
/// directory, so a default output path cannot land in the repository), without the caller's
/// `DIGITS_MODEL`/`DIGITS_DATA`, plus `environment`.
func run(
    _ executable: String, _ arguments: [String], in directory: URL,
    environment: [String: String] = [:], timeout: TimeInterval = 60
) throws -> ProcessResult {
    try BuiltExecutable(executable).run(
        arguments, environment: environment, unsetting: hermeticUnset,
        workingDirectory: directory, timeout: timeout)
}

/// Like `run`, but returns at once with the process running.
func start(_ executable: String, _ arguments: [String], in directory: URL) throws -> RunningExecutable {
    try BuiltExecutable(executable).start(arguments, unsetting: hermeticUnset, workingDirectory: directory)
}

let hermeticUnset: Set<String> = ["DIGITS_MODEL", "DIGITS_DATA", "COLUMNS", "LINES"]

/// The small training settings every training test uses on `SyntheticDigits` (300 images):
/// 250 training + 50 validation images, a 256-16-10 network, batches of 16. About a second in debug.
func trainingArguments(
    _ files: SyntheticDigits.Files, output: String, epochs: Int = 2, seed: Int = 1,
    extra: [String] = []
) -> [String] {
    [
        "--images", files.images, "--labels", files.labels, "--hidden", "16", "--epochs", String(epochs),
        "--batch-size", "16", "--validation", "50", "--seed", String(seed), "--output", output
    ] + extra
}

/// The repository root (for the committed samples and the shipped model).
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

/// Asserts the run failed with status 1 and exactly one stderr line of the form
/// `<tool>: error: …<mentioning>…`, and nothing else that would hide it.
func expectOneErrorLine(
    _ result: ProcessResult, tool: String, mentioning fragments: [String],
    sourceLocation: SourceLocation = #_sourceLocation
) {
    #expect(result.exited(1), "\(result)", sourceLocation: sourceLocation)
    #expect(result.standardErrorLines.count == 1, "\(result)", sourceLocation: sourceLocation)
    let line = result.standardErrorLines.first ?? ""
    #expect(line.hasPrefix("\(tool): error: "), "\(result)", sourceLocation: sourceLocation)
    for fragment in fragments {
        #expect(line.contains(fragment), "stderr should mention \(fragment): \(result)", sourceLocation: sourceLocation)
    }
}

/// Asserts the run was refused as a usage error: status 64, a message on stderr, nothing on stdout.
func expectUsageError(
    _ result: ProcessResult, mentioning fragment: String,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    #expect(result.exited(64), "\(result)", sourceLocation: sourceLocation)
    #expect(result.standardError.contains(fragment), "\(result)", sourceLocation: sourceLocation)
    #expect(result.standardOutput.isEmpty, "\(result)", sourceLocation: sourceLocation)
}

/// Every weight and bias of a model file as bit patterns, layer by layer: two models are the same
/// network exactly when these are equal (`==` on `Float` would call -0 and +0 equal).
func weightBits(_ model: SavedModel) -> [[UInt32]] {
    model.layers.flatMap { [$0.weight.elements.map(\.bitPattern), $0.bias.elements.map(\.bitPattern)] }
}

/// Where two models' weights first differ, bit for bit (`layers.1.bias[3]: 0x3C23D70A vs 0x3C23D70B`),
/// or nil when they are identical. Short enough for a failure message, unlike two whole matrices.
func firstWeightDifference(_ a: SavedModel, _ b: SavedModel) -> String? {
    guard a.architecture.layerSizes == b.architecture.layerSizes else {
        return "layer sizes \(a.architecture.layerSizes) vs \(b.architecture.layerSizes)"
    }
    let (bitsA, bitsB) = (weightBits(a), weightBits(b))
    for (tensor, (x, y)) in zip(bitsA, bitsB).enumerated() {
        guard let index = x.indices.first(where: { x[$0] != y[$0] }) else { continue }
        let name = "layers.\(tensor / 2).\(tensor % 2 == 0 ? "weight" : "bias")[\(index)]"
        return name + ": " + String(format: "0x%08X vs 0x%08X", x[index], y[index])
    }
    return nil
}

/// A model whose every weight is zero, so its output is softmax(last bias) for any image:
/// with bias 5 for `digit` and 0 elsewhere, P(digit) = e⁵ / (e⁵ + 9) = 0.942 85… ("94.3%").
func constantModel(favouring digit: Int) -> SavedModel {
    let architecture = Architecture(layerSizes: [256, 4, 10])
    var bias = [Float](repeating: 0, count: 10)
    bias[digit] = 5
    return SavedModel(
        architecture: architecture, preprocessing: .standard,
        layers: [
            LayerParameters(weight: Matrix(rows: 4, columns: 256), bias: Matrix(rows: 1, columns: 4)),
            LayerParameters(weight: Matrix(rows: 10, columns: 4), bias: Matrix(rows: 1, columns: 10, elements: bias))
        ])
}

/// The files in `directory` other than `expected`, which must all be hidden temporary files of the
/// atomic writer (`.NAME.XXXXXX.tmp`, what a SIGKILL between its create and rename leaves).
func strayFiles(in directory: URL, besides expected: Set<String>) throws -> (temporaries: [String], others: [String]) {
    let names = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { !expected.contains($0) }
    let temporary = names.filter { name in
        expected.contains { name.hasPrefix(".\($0).") && name.hasSuffix(".tmp") && name.count == $0.count + 12 }
    }
    return (temporary, names.filter { !temporary.contains($0) })
}
