import ArgumentParser
import DigitsData
import DigitsEvaluation
import DigitsJSON
import DigitsModel
import Foundation

/// `--model PATH`, defaulting to $DIGITS_MODEL, else the shipped model found beside the executable
/// (installed: `PREFIX/share/digits/default.safetensors`; built: the checkout's `models/`), else in
/// `models/` of the working directory or a parent (``ProjectLocations``).
public struct ModelOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "The model file (default: $DIGITS_MODEL, else the installed PREFIX/share/digits/\(ModelOptions.shippedModelName), "
                + "else \(ModelOptions.shippedModelPath) of the checkout the executable was built in, "
                + "of the working directory or of a parent).",
            valueName: "path"))
    var model: String?

    public init() {}

    public func validate() throws { try requireNonEmptyPaths(["--model": model]) }

    static let shippedModelName = "default.safetensors"
    static let shippedModelPath = "models/\(shippedModelName)"

    /// The path to load, and where the choice came from (for messages).
    func resolvedPath() throws -> String {
        if let model { return model }
        // getenv, not ProcessInfo's environment: that copies every variable into a dictionary.
        if let variable = getenv("DIGITS_MODEL"), case let fromEnvironment = String(cString: variable), !fromEnvironment.isEmpty {
            return fromEnvironment
        }
        // The candidates in order, each looked for only when the ones before are missing: the usual
        // case, a model beside the executable, never lists the working directory's parents.
        for candidates in Self.shippedModelCandidateGroups {
            if let path = candidates().first(where: { access($0, F_OK) == 0 }) { return path }
        }
        throw Failure(
            "no model given and \(Self.shippedModelPath) was not found from here; "
                + "pass --model PATH or set DIGITS_MODEL")
    }

    public func load() throws -> (model: SavedModel, path: String) {
        let path = try resolvedPath()
        return (try Self.load(from: path), path)
    }

    /// The model at `path` (resolved already), checked to fit the commands' 16 × 16 inputs and digit classes.
    static func load(from path: String) throws -> SavedModel {
        let model = try SavedModel.load(from: path)
        // A well-formed model file can still be for another task (the container allows any sizes);
        // the commands feed it 16 × 16 images and read ten digits, and a mismatch would trap in the network.
        let architecture = model.architecture
        // Eleven outputs but other labels (a damaged header): say so, rather than ask for 11 classes.
        if architecture.inputSize == Preprocessor.outputCount, architecture.classCount == 11, model.notADigitClass == nil {
            let labels = model.classLabels.map { "\"\(JSONWriter.terminalSafe($0))\"" }.joined(separator: ", ")
            throw Failure(
                "\(path): the network has 11 outputs but its class labels are [\(labels)]; "
                    + "an 11-class model must be labelled \(SavedModel.digitAndRejectLabels.joined(separator: ", "))")
        }
        guard architecture.inputSize == Preprocessor.outputCount,
            architecture.classCount == 10 || (architecture.classCount == 11 && model.notADigitClass == 10)
        else {
            throw Failure(
                "\(path): the network maps \(architecture.inputSize) inputs to \(architecture.classCount) classes; "
                    + "digits needs \(Preprocessor.outputCount) inputs (16 × 16) and 10 classes "
                    + "(or 11, the last labelled \(SavedModel.notADigitLabel))")
        }
        // The refusal bars recorded by `digits train` are probabilities (or ratios of two): a damaged
        // value ("nan", "-5", text) used to be dropped or taken silently, changing what is refused.
        for key in [RejectionRule.metadataKey, RejectionRule.ratioMetadataKey] {
            guard let text = model.provenance.other[key] else { continue }
            guard let value = Float(text), value.isFinite, (0...1).contains(value) else {
                throw Failure(
                    "\(path): metadata \"provenance.\(key)\" is \"\(JSONWriter.terminalSafe(text))\"; "
                        + "expected a number in [0, 1] (the file is damaged)")
            }
        }
        // Its preprocessing settings were checked when it loaded (SavedModel), with the one copy of the bounds.
        return model
    }

    /// Where the shipped model is looked for, in order (see ``ProjectLocations``): the installed
    /// prefix's, the build checkout's, then the working directory's and its parents' — each group
    /// computed only when the groups before it hold no model.
    static let shippedModelCandidateGroups: [@Sendable () -> [String]] = [
        { ProjectLocations.installedShare().map { [($0 as NSString).appendingPathComponent(shippedModelName)] } ?? [] },
        { ProjectLocations.buildCheckout().map { [($0 as NSString).appendingPathComponent(shippedModelPath)] } ?? [] },
        { ProjectLocations.workingDirectoryAndParents().map { ($0 as NSString).appendingPathComponent(shippedModelPath) } }
    ]
}
