import ArgumentParser

/// `digits <command>`: the front that reaches train, evaluate, classify and read.
/// Each is also its own executable (`digits-train`, `digits-evaluate`, `digits-classify`, `digits-read`).
public struct DigitsCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "digits",
        abstract: "Handwritten-digit recognition: train an MLP, evaluate it, classify your images, read whole numbers.",
        discussion: """
            Examples:
              digits classify Resources/samples/*.png   (uses the model in models/)
              digits read zip-code.png                  (a whole number)
              bash tools/fetch-mnist.sh                 (once, to get MNIST)
              digits train --dataset mnist
              digits evaluate --dataset mnist --model models/trained.safetensors
            """,
        version: digitsVersion,
        subcommands: [TrainCommand.self, EvaluateCommand.self, ClassifyCommand.self, ReadCommand.self])

    public init() {}
}

public let digitsVersion = "0.1.0"
