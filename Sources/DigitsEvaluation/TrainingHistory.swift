/// What a training run measured per epoch, for its curves: the mean training loss, the training
/// accuracy (as the batches were seen) and the validation accuracy after the epoch.
///
/// The gap between the two accuracies is what a person looks for: validation far below training
/// and falling is over-fitting; both low and still rising is under-fitting (train longer or bigger).
public struct TrainingHistory: Equatable, Sendable {
    public struct Epoch: Equatable, Sendable {
        /// 1 for the first epoch.
        public var epoch: Int
        public var loss: Double
        public var trainingAccuracy: Double
        /// nil for a run without a validation split.
        public var validationAccuracy: Double?

        public init(epoch: Int, loss: Double, trainingAccuracy: Double, validationAccuracy: Double?) {
            self.epoch = epoch
            self.loss = loss
            self.trainingAccuracy = trainingAccuracy
            self.validationAccuracy = validationAccuracy
        }
    }

    /// In training order; values that are not finite (a diverged epoch) are left out of the curves.
    public var epochs: [Epoch]
    /// The epoch whose weights were kept (best on validation), marked on the curves; nil: not marked.
    public var bestEpoch: Int?

    public init(epochs: [Epoch], bestEpoch: Int? = nil) {
        self.epochs = epochs
        self.bestEpoch = bestEpoch
    }

    /// The curves drawn: loss on its own axis from 0, both accuracies on one shared axis.
    var panels: [CurvePanel] {
        let loss = epochs.compactMap { $0.loss.isFinite ? CurvePoint(epoch: $0.epoch, value: $0.loss) : nil }
        let training = epochs.compactMap { $0.trainingAccuracy.isFinite ? CurvePoint(epoch: $0.epoch, value: $0.trainingAccuracy) : nil }
        let validation = epochs.compactMap { e in
            e.validationAccuracy.flatMap { $0.isFinite ? CurvePoint(epoch: e.epoch, value: $0) : nil }
        }
        let lastEpoch = max(1, epochs.map(\.epoch).max() ?? 1)
        let lossTop = loss.map(\.value).max() ?? 1
        let accuracies = (training + validation).map(\.value)
        let lowest = accuracies.min() ?? 0
        return [
            CurvePanel(
                title: "training loss", lastEpoch: lastEpoch, axis: ValueAxis.from(0, to: max(lossTop, 1e-6), percent: false),
                series: [CurveSeries(name: "training loss", colour: .loss, points: loss)]),
            CurvePanel(
                title: "accuracy", lastEpoch: lastEpoch, axis: ValueAxis.from(min(lowest, 0.999), to: 1, percent: true),
                series: [
                    CurveSeries(name: "training", colour: .training, points: training),
                    CurveSeries(name: "validation", colour: .validation, points: validation)
                ].filter { !$0.points.isEmpty })
        ]
    }
}

/// One value of a curve at the end of an epoch.
struct CurvePoint: Equatable {
    var epoch: Int
    var value: Double
}

/// The colours of the three curves, the same in the PNG and the SVG.
enum CurveColour: String {
    case loss, training, validation

    var rgb: RGBColor {
        switch self {
        case .loss: RGBColor(120, 60, 160)
        case .training: ReportPalette.correctDark
        case .validation: RGBColor(230, 120, 20)
        }
    }

    var css: String { "rgb(\(rgb.red),\(rgb.green),\(rgb.blue))" }
}

struct CurveSeries {
    var name: String
    var colour: CurveColour
    var points: [CurvePoint]
}

/// A plot: epochs along x (1…lastEpoch), one value axis, one or more curves.
struct CurvePanel {
    var title: String
    var lastEpoch: Int
    var axis: ValueAxis
    var series: [CurveSeries]

    /// Whole-epoch ticks on x, about six of them, always including 1 and the last epoch's neighbourhood.
    var epochTicks: [Int] {
        guard lastEpoch > 1 else { return [1] }
        let step = Int(niceStep(Double(lastEpoch - 1) / 5).rounded(.up))
        let ticks = stride(from: step, through: lastEpoch, by: max(1, step)).map { $0 }
        return ticks.first == 1 ? ticks : [1] + ticks
    }

    /// `epoch` as a fraction of the x axis: epoch 1 at 0, the last at 1 (0.5 for a single epoch).
    func x(_ epoch: Int) -> Double {
        lastEpoch > 1 ? Double(epoch - 1) / Double(lastEpoch - 1) : 0.5
    }
}

/// A value axis with round ticks (steps of 1, 2 or 5 × 10ᵏ) covering the data.
struct ValueAxis: Equatable {
    var low: Double
    var high: Double
    var ticks: [Double]
    /// Accuracies are labelled in percent.
    var percent: Bool

    static func from(_ low: Double, to high: Double, percent: Bool) -> ValueAxis {
        let span = max(high - low, 1e-9)
        let step = niceStep(span / 5)
        let first = (low / step).rounded(.down) * step
        let last = (high / step).rounded(.up) * step
        let count = Int(((last - first) / step).rounded())
        let ticks = (0...max(1, count)).map { first + Double($0) * step }
        return ValueAxis(low: first, high: ticks.last ?? last, ticks: ticks, percent: percent)
    }

    /// `value` as a fraction of the axis (0 at the bottom), clamped.
    func fraction(_ value: Double) -> Double {
        high > low ? min(1, max(0, (value - low) / (high - low))) : 0.5
    }

    /// A tick's label: `0.25`, `97.5%`, with only the decimals the step needs.
    func label(_ value: Double) -> String {
        let step = ticks.count > 1 ? ticks[1] - ticks[0] : 1
        let shown = percent ? value * 100 : value
        let shownStep = percent ? step * 100 : step
        var decimals = 0
        while decimals < 6, abs((shownStep * pow10(decimals)).rounded() - shownStep * pow10(decimals)) > 1e-6 { decimals += 1 }
        return (decimals == 0 ? String(Int(shown.rounded())) : decimalText(shown, decimals: decimals)) + (percent ? "%" : "")
    }
}

/// The round number (1, 2 or 5 × 10ᵏ) nearest above `rough`.
func niceStep(_ rough: Double) -> Double {
    guard rough > 0, rough.isFinite else { return 1 }
    var magnitude = 1.0
    while magnitude > rough { magnitude /= 10 }
    while magnitude * 10 <= rough { magnitude *= 10 }
    for factor in [1.0, 2, 5, 10] where magnitude * factor >= rough - 1e-12 { return magnitude * factor }
    return magnitude * 10
}

private func pow10(_ exponent: Int) -> Double { (0..<exponent).reduce(1) { r, _ in r * 10 } }
