import ArgumentParser

// `digits classify FILE…`, the commonest call, without swift-argument-parser's start-up.
//
// To parse, swift-argument-parser reflects on the command (`Mirror`) and casts each property wrapper
// and each option's type to its protocols; in the statically linked `digits` each first cast scans
// all of the binary's ~8,000 protocol conformance records. For classify's options that was 2.6 ms
// of a 12 ms run (perf: 1.5 ms of it more than `digits --version` spends parsing). Arguments that
// are only image paths, with `--json` and `--model PATH` at most once each, leave nothing to
// interpret: the command is built as the parser would decode it (a test compares the two), checked
// with the same `validate()`, and run. Anything else — another option, `--help`, a value that begins
// with a dash, `--`, a failed validation — goes to the parser, so every message stays the parser's.

extension ClassifyCommand {
    /// The command swift-argument-parser decodes from `arguments` (those after `classify`), made
    /// without it, or nil when they hold anything but image paths (or `-`), `--json` and
    /// `--model PATH` at most once each, or do not validate.
    static func simpleInvocation(_ arguments: ArraySlice<String>) -> ClassifyCommand? {
        var (files, json, model) = ([String](), false, String?.none)
        var remaining = arguments
        while let argument = remaining.popFirst() {
            switch argument {
            case "--json" where !json: json = true
            case "--model" where model == nil:
                guard let path = remaining.popFirst(), isPlainValue(path) else { return nil }
                model = path
            case "-": files.append(argument)
            case _ where isPlainValue(argument): files.append(argument)
            default: return nil
            }
        }
        var command = ClassifyCommand()
        command.modelOptions = ModelOptions()
        command.modelOptions.model = model
        command.saveInputOptions = SaveInputOptions()
        command.saveInputOptions.directory = nil
        command.top = 1
        command.json = json
        command.noReject = false
        command.rejectConfidence = nil
        command.files = files
        guard (try? command.validate()) != nil else { return nil }
        return command
    }

    /// What the parser takes for a value wherever it stands: no leading dash, not empty.
    private static func isPlainValue(_ argument: String) -> Bool {
        !argument.isEmpty && !argument.hasPrefix("-")
    }

    /// Runs `classify` at once when `arguments` (those after `classify`) are a simple invocation,
    /// ending as `root.main` would on an error (`root.exit(withError:)`), and returns true; returns
    /// false, having done nothing, when they are to be parsed.
    public static func runIfSimple(_ arguments: ArraySlice<String>, root: any ParsableCommand.Type = ClassifyCommand.self)
        -> Bool
    {
        guard let command = simpleInvocation(arguments) else { return false }
        do {
            try command.run()
        } catch {
            root.exit(withError: error)
        }
        return true
    }
}
