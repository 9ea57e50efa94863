import ArgumentParser
import Testing

@testable import DigitsCommands

/// `ClassifyCommand.simpleInvocation` builds, without the parser, the very command swift-argument-parser
/// decodes, and gives up on everything it does not take, leaving that (and its messages) to the parser.
@Suite struct ClassifySimpleInvocationTests {
    /// Every property, wrapped or not, as `dump` writes it: a property the fast path forgot to set
    /// is still the parser's "definition" state there, and the dumps differ.
    private func dumped(_ command: ClassifyCommand) -> String {
        var text = ""
        dump(command, to: &text)
        return text
    }

    @Test(
        "image paths, - once, --json and --model PATH once each: the command the parser decodes",
        arguments: [
            ["a.png"],
            ["a.png", "b.jpg", "scans/"],
            ["-"],
            ["a.png", "-", "b.png"],
            ["--json", "a.png"],
            ["a.png", "--json", "b.png"],
            ["--model", "m.safetensors", "a.png"],
            ["a.png", "--model", "m.safetensors", "--json", "b.png", "c.png"],
            ["help", "version", "classify", "a=b.png", "x y.png"]
        ])
    func sameAsParsed(_ arguments: [String]) throws {
        let fast = try #require(ClassifyCommand.simpleInvocation(arguments[...]), "\(arguments)")
        let parsed = try ClassifyCommand.parse(arguments)
        #expect(dumped(fast) == dumped(parsed))
        #expect(fast.files == parsed.files && fast.json == parsed.json && fast.modelOptions.model == parsed.modelOptions.model)
    }

    @Test(
        "anything else is left to the parser",
        arguments: [
            [],  // no file: the parser's usage error
            ["--json"],
            ["-", "-"],  // stdin twice: validate()'s message
            ["--json", "--json", "a.png"],
            ["--model", "m.safetensors", "--model", "n.safetensors", "a.png"],
            ["a.png", "--model"],
            ["a.png", "--model", "-"],
            ["a.png", "--model=m.safetensors"],
            ["--top", "3", "a.png"],
            ["--no-reject", "a.png"],
            ["--reject-confidence", "0.5", "a.png"],
            ["--save-input", "out", "a.png"],
            ["--help"], ["-h"], ["a.png", "--version"],
            ["--", "a.png"], ["-a.png"], ["a.png", ""]
        ])
    func leftToParser(_ arguments: [String]) {
        #expect(ClassifyCommand.simpleInvocation(arguments[...]) == nil)
    }
}
