import DigitsCore

extension SavedModel {
    /// Runs the network on fixed inputs and refuses it when an output is not finite.
    ///
    /// Finite weights are not enough: weights of 3e38 overflow to ∞ in the first product, and the
    /// softmax turns that into NaN, so every picture would be "0 (-nan%)". Checked once, at load, on
    /// the inputs a classifier meets at the extremes: all background, all ink, and a mid-grey ramp.
    func checkProbes(path: String) throws(ModelFileError) {
        let inputs = architecture.inputSize
        guard inputs > 0, let network = try? makeNetwork() else { return }  // shape errors are reported elsewhere
        let probes: [(name: String, values: [Float])] = [
            ("an all-background input", [Float](repeating: 0, count: inputs)),
            ("an all-ink input", [Float](repeating: 1, count: inputs)),
            ("a grey ramp input", (0..<inputs).map { Float($0) / Float(max(inputs - 1, 1)) })
        ]
        var x = Matrix(rows: probes.count, columns: inputs)
        for (row, probe) in probes.enumerated() {
            for column in 0..<inputs { x[row, column] = probe.values[column] }
        }
        let probabilities = network.probabilities(x)
        for (row, probe) in probes.enumerated() {
            for column in 0..<probabilities.columns where !probabilities[row, column].isFinite {
                throw .nonFiniteOutput(path: path, probe: probe.name)
            }
        }
    }
}
