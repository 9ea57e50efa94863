import Foundation
#if canImport(Glibc)
    import Glibc
#endif

/// One of the package's executables as built beside the test runner, and a way to run it.
///
/// On Linux the test runner `digitsPackageTests.xctest` is itself an executable in the products
/// directory (`<scratch>/debug/`), next to `digits`, `digits-train` and the others, so that
/// directory is found from the runner's own path. When that fails (another layout, a runner that was
/// copied elsewhere), the scratch directories of the repository (`.build*/…/{debug,release}`) are
/// searched and the most recently built copy wins. `DIGITS_PRODUCTS_DIR` overrides both.
///
/// Runs capture stdout and stderr through temporary files (no pipe can fill up and stall the child)
/// and have a time limit: a child still running at the limit is killed with SIGKILL and the run
/// throws `ExecutableError.timedOut`, so a hang fails the test instead of stalling the suite.
public struct BuiltExecutable: Sendable {
    public let name: String
    public let url: URL

    /// The executable `name` in the products directory; throws if it is not there.
    public init(_ name: String) throws {
        let directory = try Self.productsDirectory()
        let url = directory.appendingPathComponent(name)
        guard FileManager.default.isExecutableFile(atPath: url.path) else {
            throw ExecutableError.notBuilt(name: name, searched: [directory.path])
        }
        self.name = name
        self.url = url
    }

    /// Any program by its path: `/bin/bash` for a script, an installed copy of an executable.
    public init(path: String) {
        url = URL(fileURLWithPath: path)
        name = url.lastPathComponent
    }

    /// The repository this file belongs to: `Tests/DigitsTestSupport/BuiltExecutable.swift`, two levels up.
    public static let repositoryRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The folder holding the built executables (see the type's documentation for the search order).
    public static func productsDirectory() throws -> URL {
        var searched: [String] = []
        func holdsProducts(_ directory: URL) -> Bool {
            searched.append(directory.path)
            return FileManager.default.isExecutableFile(atPath: directory.appendingPathComponent("digits").path)
        }
        if let override = ProcessInfo.processInfo.environment["DIGITS_PRODUCTS_DIR"], !override.isEmpty {
            let directory = URL(fileURLWithPath: override)
            if holdsProducts(directory) { return directory }
            throw ExecutableError.notBuilt(name: "digits", searched: searched)
        }
        var runners: [URL] = []
        if let main = Bundle.main.executableURL { runners.append(main) }
        if let first = CommandLine.arguments.first, !first.isEmpty { runners.append(URL(fileURLWithPath: first)) }
        for runner in runners {
            let directory = runner.resolvingSymlinksInPath().deletingLastPathComponent()
            if holdsProducts(directory) { return directory }
            // On macOS the runner sits inside `digitsPackageTests.xctest/Contents/MacOS/`.
            let outside = directory.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            if holdsProducts(outside) { return outside }
        }
        // The scratch paths of this repository: `.build`, `.build-<name>`, with or without the triple.
        let fileManager = FileManager.default
        var candidates: [(directory: URL, built: Date)] = []
        let scratches =
            (try? fileManager.contentsOfDirectory(atPath: repositoryRoot.path))?
            .filter { $0.hasPrefix(".build") } ?? []
        for scratch in scratches {
            let scratchURL = repositoryRoot.appendingPathComponent(scratch)
            var layouts = ["debug", "release"]
            for triple in (try? fileManager.contentsOfDirectory(atPath: scratchURL.path)) ?? [] where triple.contains("-") {
                layouts += ["\(triple)/debug", "\(triple)/release"]
            }
            for layout in layouts {
                let directory = scratchURL.appendingPathComponent(layout).resolvingSymlinksInPath()
                guard holdsProducts(directory),
                    let attributes = try? fileManager.attributesOfItem(atPath: directory.appendingPathComponent("digits").path),
                    let built = attributes[.modificationDate] as? Date
                else { continue }
                candidates.append((directory, built))
            }
        }
        if let newest = candidates.max(by: { $0.built < $1.built }) { return newest.directory }
        throw ExecutableError.notBuilt(name: "digits", searched: searched)
    }

    /// Runs the executable to completion (or until `timeout` seconds have passed, then kills it).
    ///
    /// - Parameters:
    ///   - environment: variables added to (or replacing) the test process's environment.
    ///   - unsetting: variables removed from it, e.g. `DIGITS_MODEL` for a hermetic run.
    ///   - workingDirectory: the child's working directory (default: the test process's).
    ///   - standardInput: a file fed to stdin (default: none, stdin is /dev/null).
    public func run(
        _ arguments: [String], environment: [String: String] = [:], unsetting: Set<String> = [],
        workingDirectory: URL? = nil, standardInput: URL? = nil,
        timeout: TimeInterval = 60
    ) throws -> ProcessResult {
        let running = try start(
            arguments, environment: environment, unsetting: unsetting,
            workingDirectory: workingDirectory, standardInput: standardInput)
        return try running.wait(timeout: timeout)
    }

    /// Starts the executable and returns at once, for tests that watch its output or kill it.
    public func start(
        _ arguments: [String], environment: [String: String] = [:], unsetting: Set<String> = [],
        workingDirectory: URL? = nil, standardInput: URL? = nil
    ) throws -> RunningExecutable {
        try RunningExecutable(
            executable: url, arguments: arguments, environment: environment, unsetting: unsetting,
            workingDirectory: workingDirectory, standardInput: standardInput)
    }
}

/// What a finished run printed and how it ended.
public struct ProcessResult: Sendable, CustomStringConvertible {
    public let arguments: [String]
    /// The exit status, or the signal number when `signalled`.
    public let status: Int32
    public let signalled: Bool
    public let standardOutput: String
    public let standardError: String

    /// Exited normally with this status (false when killed by a signal).
    public func exited(_ expected: Int32) -> Bool { !signalled && status == expected }

    public var standardOutputLines: [String] { Self.lines(standardOutput) }
    public var standardErrorLines: [String] { Self.lines(standardError) }

    /// The lines of `text`, without a trailing empty line after the final newline.
    static func lines(_ text: String) -> [String] {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        return lines
    }

    public var description: String {
        "\(arguments.joined(separator: " ")) → \(signalled ? "signal" : "exit") \(status)\n"
            + "--- stdout\n\(standardOutput)--- stderr\n\(standardError)---"
    }
}

public enum ExecutableError: Error, CustomStringConvertible {
    case notBuilt(name: String, searched: [String])
    case timedOut(arguments: [String], seconds: TimeInterval, standardOutput: String, standardError: String)

    public var description: String {
        switch self {
        case .notBuilt(let name, let searched):
            "\(name) was not found among the built products (looked in \(searched.joined(separator: ", "))); "
                + "run `swift build --build-tests` first, or set DIGITS_PRODUCTS_DIR"
        case .timedOut(let arguments, let seconds, let output, let error):
            "\(arguments.joined(separator: " ")) was still running after \(seconds) s and was killed\n"
                + "--- stdout\n\(output)--- stderr\n\(error)---"
        }
    }
}

/// A started executable. Its stdout and stderr go to files in a private temporary folder, which can
/// be read while it runs (`waitForStandardOutput`) and are removed when the run is waited for.
public final class RunningExecutable: @unchecked Sendable {
    public let arguments: [String]
    private let process = Process()
    private let outputDirectory: URL
    private let outputURL: URL
    private let errorURL: URL
    private let finished = DispatchSemaphore(value: 0)

    init(
        executable: URL, arguments: [String], environment: [String: String], unsetting: Set<String>,
        workingDirectory: URL?, standardInput: URL? = nil
    ) throws {
        self.arguments = [executable.lastPathComponent] + arguments
        outputDirectory = FileManager.default.temporaryDirectory
            .appendingPathComponent("digits-run-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: outputDirectory, withIntermediateDirectories: true)
        outputURL = outputDirectory.appendingPathComponent("stdout")
        errorURL = outputDirectory.appendingPathComponent("stderr")
        _ = FileManager.default.createFile(atPath: outputURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errorURL.path, contents: nil)

        var childEnvironment = ProcessInfo.processInfo.environment
        for name in unsetting { childEnvironment[name] = nil }
        childEnvironment.merge(environment) { _, new in new }

        process.executableURL = executable
        process.arguments = arguments
        process.environment = childEnvironment
        if let workingDirectory { process.currentDirectoryURL = workingDirectory }
        process.standardInput = try standardInput.map { try FileHandle(forReadingFrom: $0) } ?? FileHandle.nullDevice
        process.standardOutput = try FileHandle(forWritingTo: outputURL)
        process.standardError = try FileHandle(forWritingTo: errorURL)
        let finished = self.finished
        process.terminationHandler = { _ in finished.signal() }
        do {
            try process.run()
        } catch {
            try? FileManager.default.removeItem(at: outputDirectory)
            throw error
        }
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        try? FileManager.default.removeItem(at: outputDirectory)
    }

    public var processIdentifier: Int32 { process.processIdentifier }

    /// What the child has written to stdout so far.
    public var standardOutputSoFar: String {
        String(decoding: (try? Data(contentsOf: outputURL)) ?? Data(), as: UTF8.self)
    }

    /// Waits until stdout contains a line for which `matches` is true, polling every millisecond.
    /// Returns false if the child ended or `timeout` passed first.
    public func waitForStandardOutputLine(timeout: TimeInterval = 60, where matches: (String) -> Bool) -> Bool {
        waitForStandardOutput(timeout: timeout) { $0.contains(where: matches) }
    }

    /// Waits until the complete lines printed so far satisfy `condition`, polling every millisecond.
    /// Returns false if the child ended or `timeout` passed first.
    public func waitForStandardOutput(timeout: TimeInterval = 60, until condition: ([String]) -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            let running = process.isRunning
            // Only whole lines: the last one may still be being written.
            let output = standardOutputSoFar
            if condition(Array(ProcessResult.lines(output).dropLast(output.hasSuffix("\n") ? 0 : 1))) { return true }
            if !running { return false }
            usleep(1_000)
        }
        return false
    }

    /// Sends SIGKILL (the child gets no chance to clean up, like a power cut or `kill -9`).
    public func killHard() {
        // Not `process.isRunning`: right after launch it can still read false, and the kill would be lost.
        let pid = process.processIdentifier
        if pid > 0, finished.wait(timeout: .now()) == .timedOut {
            kill(pid, SIGKILL)
        } else if pid > 0 {
            finished.signal()  // it had ended: put back what the check took
        }
    }

    /// Waits for the child to end and returns what it printed; kills it after `timeout` seconds.
    public func wait(timeout: TimeInterval = 60) throws -> ProcessResult {
        if finished.wait(timeout: .now() + timeout) == .timedOut {
            kill(process.processIdentifier, SIGKILL)
            _ = finished.wait(timeout: .now() + 10)
            throw ExecutableError.timedOut(
                arguments: arguments, seconds: timeout,
                standardOutput: read(outputURL), standardError: read(errorURL))
        }
        finished.signal()  // later calls of wait() return at once
        process.waitUntilExit()
        return ProcessResult(
            arguments: arguments, status: process.terminationStatus,
            signalled: process.terminationReason == .uncaughtSignal,
            standardOutput: read(outputURL), standardError: read(errorURL))
    }

    private func read(_ url: URL) -> String {
        String(decoding: (try? Data(contentsOf: url)) ?? Data(), as: UTF8.self)
    }
}
