/// SplitMix64 (Steele, Lea & Flood 2014): a small, fast generator whose whole state is one `UInt64`,
/// so a checkpoint can store it and a resumed run continues the very same sequence.
///
/// The project never uses the system generator: same seed ⇒ same weights, same shuffles, same model.
public struct SeededGenerator: RandomNumberGenerator, Sendable, Equatable, Codable {
    public var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in [0, 1) with 24 random bits: exactly representable, the same on every machine.
    public mutating func nextUnitFloat() -> Float {
        Float(next() >> 40) * (1.0 / 16_777_216.0)
    }

    /// Uniform in [-limit, limit).
    public mutating func nextFloat(symmetricLimit limit: Float) -> Float {
        (2 * nextUnitFloat() - 1) * limit
    }

    /// Uniform integer in 0..<bound, without modulo bias (Lemire's multiply-shift with rejection).
    public mutating func nextIndex(below bound: Int) -> Int {
        precondition(bound > 0)
        let range = UInt64(bound)
        var product = next().multipliedFullWidth(by: range)
        if product.low < range {
            let threshold = (0 &- range) % range
            while product.low < threshold { product = next().multipliedFullWidth(by: range) }
        }
        return Int(product.high)
    }
}

extension Array {
    /// Fisher–Yates shuffle written out here rather than the standard library's `shuffle(using:)`,
    /// whose algorithm is not promised to stay the same across Swift versions: a model file must be
    /// reproducible from its seed.
    public mutating func fisherYatesShuffle(using generator: inout SeededGenerator) {
        guard count > 1 else { return }
        for i in stride(from: count - 1, to: 0, by: -1) {
            let j = generator.nextIndex(below: i + 1)
            if i != j { swapAt(i, j) }
        }
    }
}
