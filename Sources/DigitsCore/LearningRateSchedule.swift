import Glibc

/// How the learning rate changes from epoch to epoch.
public enum LearningRateSchedule: String, Codable, CaseIterable, Sendable {
    case constant
    /// η_e = η · ½(1 + cos(π·e/E)): large steps first, small ones to settle (Loshchilov & Hutter 2017).
    case cosine
    /// η halves every quarter of the run.
    case step

    public func learningRate(base: Float, epoch: Int, epochs: Int) -> Float {
        switch self {
        case .constant:
            return base
        case .cosine:
            return base * 0.5 * (1 + cosf(Float.pi * Float(epoch) / Float(max(epochs, 1))))
        case .step:
            // The number of whole quarters of the run completed before this epoch: ⌊4e/E⌋ (0…3).
            let quarters = 4 * epoch / max(epochs, 1)
            return base * powf(0.5, Float(quarters))
        }
    }
}
