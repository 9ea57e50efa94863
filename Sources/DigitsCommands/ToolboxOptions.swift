import ArgumentParser
import DigitsCore

extension OptimizerKind: ExpressibleByArgument {}

/// The lecture's toolbox on the command line: ELU's α, maxout's pieces, dropout, and the optimiser.
/// The defaults change nothing: SGD (with the momentum/Nesterov options), no dropout.
struct ToolboxOptions: ParsableArguments {
    @Option(
        help:
            "Optimiser: sgd (with --momentum/--nesterov), adam, rmsprop or adagrad. The adaptive ones want a smaller --learning-rate, e.g. 0.001."
    )
    var optimizer: OptimizerKind = .sgd
    @Flag(help: "Adam only: decoupled weight decay (AdamW), θ ← θ − ηλθ, instead of λθ added to the gradient.")
    var decoupledWeightDecay = false
    @Option(
        parsing: .unconditional,
        help: ArgumentHelp("Dropout probability after each hidden layer, in training only (0: none).", valueName: "p"))
    var dropout: Float = 0
    @Option(parsing: .unconditional, help: ArgumentHelp("ELU's α (with --activation elu).", valueName: "α"))
    var eluAlpha: Float = Architecture.defaultELUAlpha
    @Option(parsing: .unconditional, help: ArgumentHelp("Pieces per maxout unit (with --activation maxout).", valueName: "k"))
    var maxoutPieces = Architecture.defaultMaxoutPieces

    func check() throws {
        guard dropout >= 0 && dropout < 1 else { throw ValidationError("--dropout must be in [0, 1), not \(dropout)") }
        guard eluAlpha > 0 && eluAlpha <= 100 else { throw ValidationError("--elu-alpha must be in (0, 100], not \(eluAlpha)") }
        guard (1...16).contains(maxoutPieces) else { throw ValidationError("--maxout-pieces must be 1…16, not \(maxoutPieces)") }
        if decoupledWeightDecay && optimizer != .adam {
            throw ValidationError("--decoupled-weight-decay is for --optimizer adam (AdamW), not \(optimizer.rawValue)")
        }
    }

    func architecture(layerSizes: [Int], activation: Activation, loss: LossFunction) -> Architecture {
        Architecture(
            layerSizes: layerSizes, activation: activation, loss: loss, eluAlpha: eluAlpha,
            maxoutPieces: maxoutPieces, dropout: dropout)
    }

    /// Nil for SGD, so that SGD runs record their settings exactly as before.
    var adaptiveSettings: AdaptiveSettings? {
        optimizer == .sgd ? nil : AdaptiveSettings(decoupledWeightDecay: decoupledWeightDecay)
    }
}

extension TrainingSettings {
    /// What the saved model records of the toolbox settings (nothing for an SGD run without them).
    var toolboxProvenance: [String: String] {
        var other: [String: String] = [:]
        if let optimizer, optimizer != .sgd { other["optimizer"] = optimizer.rawValue }
        if adaptive?.decoupledWeightDecay == true { other["decoupled_weight_decay"] = "true" }
        return other
    }
}

extension TrainingSettings {
    /// "μ 0.9 Nesterov" for SGD, else the optimiser's name ("adam", "adam (decoupled decay)").
    var optimizerDescription: String {
        switch optimizer ?? .sgd {
        case .sgd: "μ \(sgd.momentum)" + (sgd.nesterov ? " Nesterov" : "")
        case let other: other.rawValue + (adaptive?.decoupledWeightDecay == true ? " (decoupled decay)" : "")
        }
    }

    var dropoutDescription: String { architecture.dropout > 0 ? ", dropout \(architecture.dropout)" : "" }
}
