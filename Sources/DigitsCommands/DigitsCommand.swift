import ArgumentParser

/// `digits <command>`: the front that reaches train, evaluate, classify and serve.
/// Each is also its own executable (`digits-train`, `digits-evaluate`, `digits-classify`, `digits-serve`).
public struct DigitsCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "digits",
        abstract: "Handwritten-digit recognition: train an MLP, evaluate it, classify your images.",
        discussion: """
            Examples:
              digits classify Resources/samples/*.png   (uses the model in models/)
              bash tools/fetch-mnist.sh                 (once, to get MNIST)
              digits train --dataset mnist
              digits evaluate --dataset mnist --model models/trained.safetensors
              digits serve                              (then open http://127.0.0.1:8080/)
            """,
        version: digitsVersion,
        subcommands: [TrainCommand.self, EvaluateCommand.self, ClassifyCommand.self, ServeCommand.self])

    public init() {}
}

public let digitsVersion = "0.1.0"
