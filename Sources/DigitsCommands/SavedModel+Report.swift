import DigitsCore
import DigitsEvaluation
import DigitsJSON
import DigitsModel
import Foundation

/// The per-epoch history a model carries (provenance key `history`), so that `digits evaluate --report`
/// can draw the curves of the run that trained it. Written without the epochs' seconds, which are
/// wall-clock time: the same seed still gives the same history.
enum ModelHistory {
    static let provenanceKey = "history"

    /// The provenance entry for `records`; nil when it cannot be written (a non-finite loss).
    static func provenanceValue(_ records: [EpochRecord]) -> String? {
        let timeless = records.map { EpochRecord(statistics: $0.statistics, validationAccuracy: $0.validationAccuracy) }
        return try? JSONCoding.encode(timeless)
    }

    /// The curves' data from a run's records (epochs counted from 1).
    static func trainingHistory(_ records: [EpochRecord], bestEpoch: Int? = nil) -> TrainingHistory {
        TrainingHistory(
            epochs: records.map {
                TrainingHistory.Epoch(
                    epoch: $0.statistics.epoch + 1, loss: $0.statistics.loss, trainingAccuracy: $0.statistics.accuracy,
                    validationAccuracy: $0.validationAccuracy)
            }, bestEpoch: bestEpoch)
    }
}

extension SavedModel {
    /// The history recorded in the model, if any and readable (a damaged entry only loses the curves).
    var trainingHistory: TrainingHistory? {
        guard let text = provenance.other[ModelHistory.provenanceKey],
            let records = try? JSONCoding.decode([EpochRecord].self, from: text), !records.isEmpty
        else { return nil }
        return ModelHistory.trainingHistory(records, bestEpoch: provenance.other["best_epoch"].flatMap { Int($0) })
    }

    /// What the HTML report says about the model, in order: the file, the network, the run that
    /// trained it (provenance), its other recorded facts, the preprocessing. Values are text from the
    /// file; the page escapes them.
    func reportFacts(path: String) -> [(String, String)] {
        let a = architecture
        var facts: [(String, String)] = [
            ("model file", path),
            ("network", "\(a.layerSizes.map(String.init).joined(separator: "-")), \(a.activation.rawValue), \(a.loss.rawValue)"),
            ("class labels", classLabels.joined(separator: " "))
        ]
        let p = provenance
        let known: [(String, String?)] = [
            ("trained on", p.dataset), ("epochs", p.epochs.map(String.init)), ("seed", p.seed.map(String.init)),
            ("batch size", p.batchSize.map(String.init)), ("learning rate", p.learningRate.map { String($0) }),
            ("validation accuracy", p.validationAccuracy.map { String(format: "%.2f%%", 100 * $0) }),
            ("test accuracy", p.testAccuracy.map { String(format: "%.2f%%", 100 * $0) }),
            ("created", p.created), ("tool version", p.toolVersion), ("commit", p.commit)
        ]
        facts += known.compactMap { name, value in value.map { (name, $0) } }
        for key in p.other.keys.sorted() where key != ModelHistory.provenanceKey {
            facts.append((key.replacingOccurrences(of: "_", with: " "), p.other[key] ?? ""))
        }
        facts.append(("preprocessing", (try? JSONCoding.encode(preprocessing)) ?? "?"))
        return facts
    }
}
