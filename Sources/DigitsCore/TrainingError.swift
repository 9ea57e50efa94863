public enum TrainingError: Error, Equatable, CustomStringConvertible {
    case diverged(epoch: Int, batch: Int, loss: Float)
    case labelsDoNotMatchInputs(labels: Int, inputs: Int)
    case labelOutOfRange(index: Int, label: Int, classes: Int)

    public var description: String {
        switch self {
        case .diverged(let epoch, let batch, let loss):
            "training diverged: loss became \(loss) in epoch \(epoch + 1), batch \(batch + 1) — lower the learning rate (e.g. halve it)"
        case .labelsDoNotMatchInputs(let labels, let inputs):
            "\(labels) labels for \(inputs) inputs"
        case .labelOutOfRange(let index, let label, let classes):
            "label \(label) of example \(index) is outside 0…\(classes - 1)"
        }
    }
}
