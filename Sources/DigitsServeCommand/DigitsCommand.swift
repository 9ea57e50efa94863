import ArgumentParser
import DigitsCommands
import Foundation

/// `digits <command>`: the front that reaches train, evaluate, classify, read and serve.
/// Each is also its own executable (`digits-train`, `digits-evaluate`, `digits-classify`, `digits-read`,
/// `digits-serve`).
///
/// It lives beside `ServeCommand`, not in DigitsCommands, so that the standalone `digits-train`,
/// `digits-evaluate`, `digits-classify` and `digits-read` do not link the HTTP server: with Hummingbird
/// linked in, `digits-classify` grew from 9 to 49 MB and a one-picture run took 36.4 instead of
/// 32.1 ms (hyperfine, release). `digits` itself carries it.
public struct DigitsCommand: AsyncParsableCommand {
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
              digits serve                              (then open http://127.0.0.1:8080/)
            """,
        version: digitsVersion,
        subcommands: [TrainCommand.self, EvaluateCommand.self, ClassifyCommand.self, ReadCommand.self, ServeCommand.self])

    public init() {}

    /// `digits`'s entry point. Started as `digits-NAME` (tools/install.sh installs `digits-train`,
    /// `digits-evaluate`, `digits-classify` as links to the one `digits` executable, which carries
    /// the whole statically linked Swift runtime once instead of four times), it runs `digits NAME`.
    /// Async, so that `serve` (an `AsyncParsableCommand`) runs.
    public static func mainDispatchingOnName(_ arguments: [String] = CommandLine.arguments) async {
        let invokedAs = invokedName(arguments)
        if invokedAs.hasPrefix("digits-"),
            let command = configuration.subcommands.first(where: { "digits-" + $0._commandName == invokedAs })
        {
            await main([command._commandName] + arguments.dropFirst())
            return
        }
        await main(Array(arguments.dropFirst()))
    }

    /// Runs `digits classify FILE…` (or `digits-classify FILE…`) at once, without swift-argument-parser's
    /// start-up, when its arguments leave nothing to parse (`ClassifyCommand.runIfSimple`), and returns
    /// true; returns false, having done nothing, for every other command line, which
    /// `mainDispatchingOnName` then parses. Synchronous, so that a classification runs on the main
    /// thread without waiting for the concurrency runtime's first worker.
    public static func runSimpleClassify(_ arguments: [String] = CommandLine.arguments) -> Bool {
        if invokedName(arguments) == "digits-" + ClassifyCommand._commandName {
            return ClassifyCommand.runIfSimple(arguments.dropFirst(), root: self)
        }
        guard arguments.count > 1, arguments[1] == ClassifyCommand._commandName else { return false }
        return ClassifyCommand.runIfSimple(arguments.dropFirst(2), root: self)
    }

    private static func invokedName(_ arguments: [String]) -> String {
        arguments.first.map { ($0 as NSString).lastPathComponent } ?? "digits"
    }
}
