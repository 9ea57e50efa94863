import DigitsTestSupport
import Foundation
import Testing

/// The harness itself: every product is found, and a run that hangs is killed and fails.
@Suite struct BuiltExecutableTests {
    @Test(arguments: ["digits", "digits-train", "digits-evaluate", "digits-classify"])
    func everyExecutableIsFound(name: String) throws {
        let executable = try BuiltExecutable(name)
        #expect(FileManager.default.isExecutableFile(atPath: executable.url.path))
    }

    @Test func runPastItsTimeLimitIsKilledAndThrows() throws {
        try withTemporaryDirectory { directory in
            let files = try SyntheticDigits().write(to: directory)
            let started = Date()
            let arguments = trainingArguments(
                files, output: directory.appendingPathComponent("m.safetensors").path,
                epochs: 100_000)
            #expect {
                // 3 s: long enough for a debug build on a loaded machine to print its first line.
                _ = try BuiltExecutable("digits-train").run(arguments, workingDirectory: directory, timeout: 3)
            } throws: { error in
                guard case ExecutableError.timedOut(_, let seconds, let output, _) = error else { return false }
                return seconds == 3 && output.contains("network 256-16-10")
            }
            #expect(Date().timeIntervalSince(started) < 10)
        }
    }
}
