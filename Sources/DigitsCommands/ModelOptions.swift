import ArgumentParser
import DigitsData
import DigitsModel
import Foundation

/// `--model PATH`, defaulting to $DIGITS_MODEL, else the model shipped in the repository's models/.
public struct ModelOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "The model file (default: $DIGITS_MODEL, else \(ModelOptions.shippedModelPath) in the repository).",
            valueName: "path"))
    var model: String?

    public init() {}

    static let shippedModelPath = "models/default.safetensors"

    /// The path to load, and where the choice came from (for messages).
    func resolvedPath() throws -> String {
        if let model { return model }
        if let fromEnvironment = ProcessInfo.processInfo.environment["DIGITS_MODEL"], !fromEnvironment.isEmpty {
            return fromEnvironment
        }
        for root in Self.candidateRepositoryRoots() {
            let path = (root as NSString).appendingPathComponent(Self.shippedModelPath)
            if FileManager.default.fileExists(atPath: path) { return path }
        }
        throw Failure(
            "no model given and \(Self.shippedModelPath) was not found from here; "
                + "pass --model PATH or set DIGITS_MODEL")
    }

    public func load() throws -> (model: SavedModel, path: String) {
        let path = try resolvedPath()
        let model = try SavedModel.load(from: path)
        // A well-formed model file can still be for another task (the container allows any sizes);
        // the commands feed it 16 × 16 images and read ten digits, and a mismatch would trap in the network.
        let architecture = model.architecture
        guard architecture.inputSize == Preprocessor.outputCount, architecture.classCount == 10 else {
            throw Failure(
                "\(path): the network maps \(architecture.inputSize) inputs to \(architecture.classCount) classes; "
                    + "digits needs \(Preprocessor.outputCount) inputs (16 × 16) and 10 classes")
        }
        // Its preprocessing settings were checked when it loaded (SavedModel), with the one copy of the bounds.
        return (model, path)
    }

    /// The working directory and its parents, then the executable's folder and its parents
    /// (`.build/release/digits` sits two levels below the repository), then the source tree this was
    /// built from.
    static func candidateRepositoryRoots() -> [String] {
        var roots: [String] = []
        func addWithParents(_ start: String) {
            var url = URL(fileURLWithPath: start).standardizedFileURL
            for _ in 0..<6 {
                roots.append(url.path)
                let parent = url.deletingLastPathComponent()
                if parent.path == url.path { break }
                url = parent
            }
        }
        addWithParents(FileManager.default.currentDirectoryPath)
        if let executable = Bundle.main.executableURL?.resolvingSymlinksInPath() {
            addWithParents(executable.deletingLastPathComponent().path)
        }
        // Sources/DigitsCommands/ModelLocation.swift → the repository root, three levels up.
        addWithParents(
            URL(fileURLWithPath: #filePath).deletingLastPathComponent()
                .deletingLastPathComponent().deletingLastPathComponent().path)
        return roots
    }
}
