import ArgumentParser
import DigitsCommands

/// `digits <command>`: the front that reaches train, evaluate, classify and serve.
/// Each is also its own executable (`digits-train`, `digits-evaluate`, `digits-classify`, `digits-serve`).
///
/// It lives beside `ServeCommand`, not in DigitsCommands, so that only `digits` and `digits-serve` link
/// the HTTP server: with Hummingbird linked in, `digits-classify` grew from 9 to 49 MB and a one-picture
/// run took 36.4 instead of 32.1 ms (hyperfine, release).
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
