/// What one epoch of training measured.
public struct EpochStatistics: Codable, Equatable, Sendable {
    public var epoch: Int
    public var learningRate: Float
    /// Mean loss over the epoch's minibatches, as they were seen (weights still moving).
    public var loss: Double
    /// Fraction of training examples classified correctly at the moment their batch was seen.
    public var accuracy: Double
}
