import Foundation
import Testing

@testable import DigitsCommands

/// `percent` formats without Foundation; `String(format:)` is the reference it must equal.
@Suite struct PercentTextTests {
    @Test("percent(p) is the text of String(format: \"%.1f%%\"), halves and ends included")
    func matchesPrintf() {
        var generator = SystemRandomNumberGenerator()
        // Every tenth of a percent and its neighbouring Floats (where rounding ties and near-ties are),
        // the ends of [0, 1], tiny and negative zero, and random probabilities.
        var values: [Float] = [0, -0.0, 1, .leastNonzeroMagnitude, 0.00049999, 0.0005, 0.00050001, 0.9995, 0.99949997, 0.99950004]
        for k in 0...1000 {
            let p = Float(k) / 1000 + 0.0005
            values += [p, p.nextUp, p.nextDown, Float(k) / 1000]
        }
        values += (0..<20_000).map { _ in Float.random(in: 0...1, using: &generator) }
        for p in values {
            #expect(percent(p) == String(format: "%.1f%%", 100 * Double(p)), "p = \(p)")
        }
        #expect(percent(0.9998198) == "100.0%" && percent(0.966) == "96.6%" && percent(0) == "0.0%")
    }
}
