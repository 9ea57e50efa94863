import ArgumentParser
import Foundation

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

    /// `digits`'s entry point. Started as `digits-NAME` (tools/install.sh installs `digits-train`,
    /// `digits-evaluate`, `digits-classify` as links to the one `digits` executable, which carries
    /// the whole statically linked Swift runtime once instead of four times), it runs `digits NAME`.
    public static func mainDispatchingOnName(_ arguments: [String] = CommandLine.arguments) {
        let invokedAs = arguments.first.map { ($0 as NSString).lastPathComponent } ?? "digits"
        if invokedAs.hasPrefix("digits-"),
            let command = configuration.subcommands.first(where: { "digits-" + $0._commandName == invokedAs })
        {
            main([command._commandName] + arguments.dropFirst())
            return
        }
        main(Array(arguments.dropFirst()))
    }
}

public let digitsVersion = "0.1.0"
