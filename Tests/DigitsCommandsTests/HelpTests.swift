import DigitsCommands
import DigitsTestSupport
import Foundation
import Testing

/// Help text is part of the interface: it is compared with committed snapshots in `Snapshots/`.
/// To accept a change, run once with `DIGITS_RECORD_SNAPSHOTS=1`: the snapshot is rewritten and the
/// test still fails (recording is never a pass), so a rerun without it must be clean.
@Suite struct HelpTests {
    static let snapshots = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Snapshots")

    @Test(arguments: [
        ("digits", ["--help"], "digits-help"),
        ("digits", ["train", "--help"], "digits-train-help"),
        ("digits-classify", ["--help"], "digits-classify-help"),
        ("digits-read", ["--help"], "digits-read-help"),
        ("digits", ["serve", "--help"], "digits-serve-help")
    ])
    func helpMatchesSnapshot(executable: String, arguments: [String], snapshot: String) throws {
        try withTemporaryDirectory { directory in
            // COLUMNS fixes ArgumentParser's wrapping width, whatever terminal runs the tests.
            let result = try run(executable, arguments, in: directory, environment: ["COLUMNS": "80"])
            #expect(result.exited(0), "\(result)")
            #expect(result.standardError.isEmpty, "\(result)")
            try expectSnapshot(result.standardOutput, named: snapshot)
        }
    }

    /// The standalone executables are the subcommands: the same help, word for word.
    @Test(arguments: ["train", "evaluate", "classify", "read", "serve"])
    func standaloneHelpMatchesTheSubcommand(command: String) throws {
        try withTemporaryDirectory { directory in
            let front = try run("digits", [command, "--help"], in: directory, environment: ["COLUMNS": "80"])
            let alone = try run("digits-\(command)", ["--help"], in: directory, environment: ["COLUMNS": "80"])
            #expect(front.exited(0) && alone.exited(0), "\(front)\n\(alone)")
            #expect(front.standardOutputLines == alone.standardOutputLines)
        }
    }

    @Test(arguments: ["digits", "digits-train", "digits-evaluate", "digits-classify", "digits-read", "digits-serve"])
    func versionIsPrinted(executable: String) throws {
        try withTemporaryDirectory { directory in
            let result = try run(executable, ["--version"], in: directory)
            #expect(result.exited(0), "\(result)")
            #expect(result.standardOutput == digitsVersion + "\n")
            #expect(result.standardError.isEmpty)
        }
    }

    private func expectSnapshot(
        _ text: String, named name: String,
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        let url = Self.snapshots.appendingPathComponent(name + ".txt")
        let recorded = try? String(contentsOf: url, encoding: .utf8)
        if recorded == text { return }
        if ProcessInfo.processInfo.environment["DIGITS_RECORD_SNAPSHOTS"] == "1" {
            try FileManager.default.createDirectory(at: Self.snapshots, withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url, options: .atomic)
            Issue.record(
                "recorded snapshot \(url.path); check it, then rerun without DIGITS_RECORD_SNAPSHOTS",
                sourceLocation: sourceLocation)
        } else if let recorded {
            Issue.record(
                """
                help text differs from \(url.path) (rerun with DIGITS_RECORD_SNAPSHOTS=1 to accept it):
                \(lineDiff(expected: recorded, actual: text))
                """, sourceLocation: sourceLocation)
        } else {
            Issue.record(
                "no snapshot at \(url.path); record it with DIGITS_RECORD_SNAPSHOTS=1",
                sourceLocation: sourceLocation)
        }
    }

    /// The differing lines, numbered, `-` for the snapshot and `+` for the output.
    private func lineDiff(expected: String, actual: String) -> String {
        let old = expected.components(separatedBy: "\n"), new = actual.components(separatedBy: "\n")
        return (0..<max(old.count, new.count)).compactMap { i -> String? in
            let a = i < old.count ? old[i] : nil, b = i < new.count ? new[i] : nil
            guard a != b else { return nil }
            return [a.map { "\(i + 1) - \($0)" }, b.map { "\(i + 1) + \($0)" }].compactMap { $0 }.joined(separator: "\n")
        }.joined(separator: "\n")
    }
}
