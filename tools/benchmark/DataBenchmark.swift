import DigitsCore
import DigitsData

/// Times the data path on MNIST: loading both splits from their .gz files, then preprocessing
/// all 70,000 images to 16 × 16 with the standard settings. Targets (release build, issue #3):
/// loading well under 1 s; loading and preprocessing together under 2 s.
///
/// `dataDirectory` is a data root holding `mnist/` (like `$DIGITS_DATA`); nil searches the usual
/// places. Each figure is the best of three runs, so a busy shared machine disturbs it less.
func benchmarkDataLoading(dataDirectory: String?) {
    let directories = dataDirectory.map { ["\($0)/mnist"] } ?? Datasets.searchDirectories(for: .mnist)
    guard DatasetSplit.allCases.allSatisfy({ Datasets.locate(.mnist, split: $0, in: directories) != nil }) else {
        print("data: MNIST absent (looked in \(directories.joined(separator: ", "))); run bash tools/fetch-mnist.sh")
        return
    }
    do {
        let clock = ContinuousClock()
        var splits: [LabeledImages] = []
        var loading = Duration.seconds(1_000)
        for _ in 0..<3 {
            let elapsed = try clock.measure {
                splits = try DatasetSplit.allCases.map { try Datasets.load(.mnist, split: $0, searchDirectories: directories) }
            }
            loading = min(loading, elapsed)
        }
        let preprocessor = Preprocessor()
        var inputs: [Matrix] = []
        var preprocessing = Duration.seconds(1_000)
        for _ in 0..<3 {
            let elapsed = try clock.measure { inputs = try splits.map { try preprocessor.inputs(for: $0) } }
            preprocessing = min(preprocessing, elapsed)
        }
        let count = inputs.reduce(0) { $0 + $1.rows }
        print("data: load MNIST train+test from .gz: \(seconds(loading)) s (\(splits.map(\.count)) images)")
        print("data: preprocess \(count) images to 16×16 (standard settings): \(seconds(preprocessing)) s")
        print("data: load + preprocess: \(seconds(loading + preprocessing)) s")
    } catch {
        print("data: \(error)")
    }
}

private func seconds(_ duration: Duration) -> String {
    let value = Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    let thousandths = Int((value * 1000).rounded())
    let fraction = String(thousandths % 1000)
    return "\(thousandths / 1000).\(String(repeating: "0", count: 3 - fraction.count))\(fraction)"
}
