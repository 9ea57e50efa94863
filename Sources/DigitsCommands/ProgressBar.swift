import Foundation

/// Progress of one training epoch: a live bar on a terminal (redrawn at most ~10 times a second),
/// nothing at all otherwise — the caller prints one summary line per epoch either way.
struct ProgressBar {
    let label: String
    let total: Int
    let examplesPerStep: Int
    let enabled: Bool
    private let start = DispatchTime.now().uptimeNanoseconds
    private var lastDraw: UInt64 = 0

    init(label: String, total: Int, examplesPerStep: Int, enabled: Bool = standardErrorIsTerminal) {
        self.label = label
        self.total = total
        self.examplesPerStep = examplesPerStep
        self.enabled = enabled
    }

    mutating func update(done: Int, loss: Double) {
        guard enabled else { return }
        let now = DispatchTime.now().uptimeNanoseconds
        guard done == total || now - lastDraw > 100_000_000 else { return }
        lastDraw = now
        let elapsed = Double(now - start) / 1e9
        let fraction = Double(done) / Double(max(total, 1))
        let width = 30
        let filled = Int(fraction * Double(width))
        let bar = String(repeating: "█", count: filled) + String(repeating: "·", count: width - filled)
        let rate = Double(done * examplesPerStep) / max(elapsed, 1e-9)
        let eta = fraction > 0 ? elapsed * (1 - fraction) / fraction : 0
        let line = String(
            format: "\r\u{1B}[2K%@ %@ %3.0f%%  %@ ex/s  loss %.4f  ETA %@",
            label, bar, 100 * fraction, formatCount(rate), loss, formatDuration(eta))
        FileHandle.standardError.write(Data(line.utf8))
    }

    /// Erases the bar so the epoch's summary line takes its place.
    func finish() {
        guard enabled else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[2K".utf8))
    }
}

func formatCount(_ value: Double) -> String {
    switch value {
    case 1e6...: String(format: "%.2fM", value / 1e6)
    case 1e3...: String(format: "%.0fk", value / 1e3)
    default: String(format: "%.0f", value)
    }
}

func formatDuration(_ seconds: Double) -> String {
    if seconds < 60 { return String(format: "%.1fs", seconds) }
    let minutes = Int(seconds) / 60
    return String(format: "%dm%02ds", minutes, Int(seconds) % 60)
}
