import ArgumentParser
import DigitsJSON
import Foundation

/// A failure of data, model or runtime: printed as one line on stderr, exit status 1.
/// (Usage errors are ArgumentParser's `ValidationError`s: exit status 64.)
public struct Failure: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// A run stopped by SIGINT or SIGTERM between two steps: one line saying what was kept, and the
/// shell's status for that signal (130, 143).
struct Interrupted: Error {
    var signal: Int32
    var message: String
}

/// A usage error found only once the data is loaded (`--validation` as large as the data set):
/// one line, and the usage status 64 like ArgumentParser's own.
struct UsageFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

public enum ExitStatus {
    public static let failure: Int32 = 1
    public static let usage: Int32 = 64
}

/// Writes one line to standard error, prefixed with the tool's name.
public func printError(_ message: String, tool: String) {
    FileHandle.standardError.write(Data("\(tool): error: \(oneTerminalLine(message))\n".utf8))
}

/// One line on stderr that does not stop the command: `tool: warning: message`.
func printWarning(_ message: String, tool: String) {
    FileHandle.standardError.write(Data("\(tool): warning: \(oneTerminalLine(message))\n".utf8))
}

/// `message` as one line a terminal only shows: line breaks become spaces, and any other control
/// character (a file name holding ESC or BEL, which would drive the terminal) makes the whole text
/// shown escaped (`\u001b`), as labels from a model file are.
func oneTerminalLine(_ message: String) -> String {
    JSONWriter.terminalSafe(message.split(whereSeparator: \.isNewline).joined(separator: " "))
}

/// Runs a command body, turning any error that escapes it into one line on stderr and exit status 1.
/// Library errors describe themselves (file and problem) through `CustomStringConvertible`.
func reportingFailures(tool: String, _ body: () throws -> Void) throws {
    do {
        try body()
    } catch let exit as ExitCode {
        throw exit
    } catch let usage as UsageFailure {
        printError(usage.description, tool: tool)
        throw ExitCode(ExitStatus.usage)
    } catch let interrupted as Interrupted {
        printError(interrupted.message, tool: tool)
        throw ExitCode(128 + interrupted.signal)
    } catch {
        printError(String(describing: error), tool: tool)
        throw ExitCode(ExitStatus.failure)
    }
}

/// True when standard error is a terminal (progress bars and colour go there only then).
var standardErrorIsTerminal: Bool { isatty(STDERR_FILENO) == 1 }
var standardOutputIsTerminal: Bool { isatty(STDOUT_FILENO) == 1 }

/// Colour only on a terminal, and never when NO_COLOR is set (https://no-color.org).
var useColourOnStandardOutput: Bool {
    standardOutputIsTerminal && ProcessInfo.processInfo.environment["NO_COLOR"] == nil
}
