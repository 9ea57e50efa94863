import ArgumentParser
import DigitsData
import DigitsIO

/// `--save-input DIR` (classify and read): what the network saw, as pictures.
struct SaveInputOptions: ParsableArguments {
    @Option(
        name: .customLong("save-input"),
        help: ArgumentHelp(
            "Write the 16x16 each digit became (x8, light ink on black) into this folder as PNG, named after the input file.",
            valueName: "dir"))
    var directory: String?

    func validate() throws { try requireNonEmptyPaths(["--save-input": directory]) }

    /// A writer for one run, or nil without `--save-input`. The folder is made (with its missing
    /// parents) before any picture is read, so a `--save-input` that names a file, a device or a
    /// FIFO is one error line for the run, not one per picture with every answer lost.
    func makeSaver() throws -> InputSaver? {
        guard let directory else { return nil }
        try FileSet.makeDirectories(directory)
        return InputSaver(directory: directory)
    }
}

/// Writes processed inputs as `STEM.input.png` (classify) or `STEM.K.input.png` (read's K-th digit,
/// from 1) beside each other in one folder; a second input file with the same stem in the same run
/// (`a/x.png`, `b/x.png`) gets `STEM-2…`, so nothing written in a run is overwritten by the run.
final class InputSaver {
    let directory: String
    private var usedStems: Set<String> = []

    init(directory: String) { self.directory = directory }

    /// Saves the inputs of one picture (all or nothing) and returns their paths, in order.
    func save(_ inputs: [[Float]], for file: String, numbered: Bool) throws -> [String] {
        let stem = uniqueStem(for: file)
        let files = try inputs.enumerated().map { index, input in
            (name: numbered ? "\(stem).\(index + 1).input.png" : "\(stem).input.png", bytes: try Preprocessor.inputPicturePNG(input))
        }
        guard !files.isEmpty else { return [] }
        return try FileSet.write(files, into: directory)
    }

    private func uniqueStem(for file: String) -> String {
        let name = file == "-" ? "stdin" : String(file.split(separator: "/").last ?? "input")
        var stem = name.split(separator: ".", omittingEmptySubsequences: false).dropLast().joined(separator: ".")
        if stem.isEmpty { stem = name.isEmpty ? "input" : name }
        var candidate = stem
        var counter = 2
        while usedStems.contains(candidate) {
            candidate = "\(stem)-\(counter)"
            counter += 1
        }
        usedStems.insert(candidate)
        return candidate
    }
}
