import DigitsCore
import Testing

/// The project's only source of randomness: SplitMix64, its derived draws, and the Fisher–Yates shuffle.
@Suite("Seeded generator and shuffle")
struct SeededGeneratorTests {
    /// The first outputs of SplitMix64 from seed 0, as printed by the reference C implementation
    /// (Vigna, splitmix64.c) and reproduced independently in Python; seed 42 from the same Python.
    @Test("SplitMix64 reproduces the reference sequence")
    func referenceSequence() {
        var zero = SeededGenerator(seed: 0)
        #expect([zero.next(), zero.next(), zero.next()] == [0xE220_A839_7B1D_CDAF, 0x6E78_9E6A_A1B9_65F4, 0x06C4_5D18_8009_454F])
        var fortyTwo = SeededGenerator(seed: 42)
        #expect(
            [fortyTwo.next(), fortyTwo.next(), fortyTwo.next()] == [0xBDD7_3226_2FEB_6E95, 0x28EF_E333_B266_F103, 0x4752_6757_130F_9F52])
    }

    @Test("Same seed, same sequence; different seed, different sequence", arguments: [0, 1, 42, UInt64.max])
    func sameSeedSameSequence(seed: UInt64) {
        var a = SeededGenerator(seed: seed), b = SeededGenerator(seed: seed), c = SeededGenerator(seed: seed &+ 1)
        let first = (0..<1000).map { _ in a.next() }
        #expect(first == (0..<1000).map { _ in b.next() })
        #expect(first != (0..<1000).map { _ in c.next() })
        #expect(a == b)
    }

    /// The whole state is one UInt64: a generator rebuilt from `state` (what a checkpoint stores)
    /// continues the very same sequence.
    @Test("A generator rebuilt from its state continues the same sequence")
    func resumeFromState() {
        var original = SeededGenerator(seed: 7)
        for _ in 0..<13 { _ = original.next() }
        var resumed = SeededGenerator(seed: original.state)
        #expect((0..<100).map { _ in original.next() } == (0..<100).map { _ in resumed.next() })
    }

    /// 24 random bits scaled by 2⁻²⁴: every value is k/2²⁴ with k < 2²⁴, so 1 is never reached.
    @Test("nextUnitFloat lies in [0, 1), on the 2⁻²⁴ grid, and spreads over the interval")
    func unitFloat() {
        var generator = SeededGenerator(seed: 2024)
        let values = (0..<20_000).map { _ in generator.nextUnitFloat() }
        #expect(values.allSatisfy { $0 >= 0 && $0 < 1 })
        #expect(values.allSatisfy { ($0 * 16_777_216).rounded() == $0 * 16_777_216 })
        let mean = values.reduce(0.0) { $0 + Double($1) } / Double(values.count)
        #expect(abs(mean - 0.5) < 0.01)  // σ of the mean is 0.29/√20000 = 0.002
        #expect(values.min()! < 0.001 && values.max()! > 0.999)
    }

    @Test("nextFloat(symmetricLimit:) lies in [−limit, limit)")
    func symmetricFloat() {
        var generator = SeededGenerator(seed: 5)
        for limit: Float in [0.5, 1, 3.75] {
            let values = (0..<5000).map { _ in generator.nextFloat(symmetricLimit: limit) }
            #expect(values.allSatisfy { $0 >= -limit && $0 < limit })
            #expect(values.min()! < -0.99 * limit && values.max()! > 0.99 * limit)
        }
    }

    @Test(
        "nextIndex(below:) stays in range and reaches every index",
        arguments: [1, 2, 3, 7, 10, 1000, (1 << 62) + 1, Int.max])
    func indexInRange(bound: Int) {
        var generator = SeededGenerator(seed: UInt64(truncatingIfNeeded: bound))
        let draws = (0..<3000).map { _ in generator.nextIndex(below: bound) }
        #expect(draws.allSatisfy { $0 >= 0 && $0 < bound })
        if bound <= 10 { #expect(Set(draws).count == bound) }
        if bound > 1 << 40 { #expect(draws.contains { $0 > bound / 2 } && draws.contains { $0 < bound / 2 }) }
    }

    /// 70,000 draws below 7: each count is Binomial(70000, 1/7), mean 10,000, σ ≈ 93; ±600 is 6σ.
    @Test("nextIndex(below: 7) is uniform")
    func indexUniform() {
        var generator = SeededGenerator(seed: 99)
        var counts = [Int](repeating: 0, count: 7)
        for _ in 0..<70_000 { counts[generator.nextIndex(below: 7)] += 1 }
        #expect(counts.allSatisfy { abs($0 - 10_000) < 600 }, "\(counts)")
    }

    @Test("fisherYatesShuffle is a deterministic permutation", arguments: [0, 1, 2, 3, 7, 100])
    func shuffleIsPermutation(count: Int) {
        let original = Array(0..<count)
        var a = original, b = original
        var g1 = SeededGenerator(seed: 11), g2 = SeededGenerator(seed: 11)
        a.fisherYatesShuffle(using: &g1)
        b.fisherYatesShuffle(using: &g2)
        #expect(a.sorted() == original)
        #expect(a == b)
        #expect(g1 == g2)
        if count <= 1 { #expect(g1 == SeededGenerator(seed: 11), "nothing to shuffle, nothing drawn") }
        if count == 100 {
            #expect(a != original)
            var c = original, g3 = SeededGenerator(seed: 12)
            c.fisherYatesShuffle(using: &g3)
            #expect(c != a, "another seed, another order")
        }
    }

    /// 60,000 shuffles of (0, 1, 2): each of the 6 orders has probability 1/6 (10,000 expected,
    /// σ ≈ 91; ±600 is 6.5σ). A classic off-by-one (j drawn below i instead of i + 1, Sattolo's
    /// algorithm) would give only the 2 cyclic orders.
    @Test("fisherYatesShuffle makes every order of three equally likely")
    func shuffleUniform() {
        var generator = SeededGenerator(seed: 3)
        var counts: [[Int]: Int] = [:]
        for _ in 0..<60_000 {
            var a = [0, 1, 2]
            a.fisherYatesShuffle(using: &generator)
            counts[a, default: 0] += 1
        }
        #expect(counts.count == 6)
        #expect(counts.values.allSatisfy { abs($0 - 10_000) < 600 }, "\(counts)")
    }
}
