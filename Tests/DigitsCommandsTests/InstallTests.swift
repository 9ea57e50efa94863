import DigitsTestSupport
import Foundation
import Testing

/// `tools/install.sh` into a temporary prefix, with the executables this test run built (no second
/// release build in the tests), then the installed `digits` used from an unrelated folder.
@Suite("Install")
struct InstallTests {
    @Test("an installed digits finds its own model from any folder, and never the build tree's")
    func installedBinaryClassifiesFromElsewhere() throws {
        try withTemporaryDirectory { directory in
            let prefix = directory.appendingPathComponent("prefix").path
            let products = try BuiltExecutable.productsDirectory().path
            let install = try BuiltExecutable(path: "/bin/bash").run(
                ["\(repositoryRoot.path)/tools/install.sh", "--prefix", prefix, "--bin-path", products, "--no-man"],
                unsetting: hermeticUnset, workingDirectory: directory, timeout: 300)
            #expect(install.exited(0), "\(install)")
            for file in [
                "bin/digits", "bin/digits-train", "bin/digits-evaluate", "bin/digits-classify",
                "share/digits/default.safetensors", "share/bash-completion/completions/digits",
                "share/zsh/site-functions/_digits", "share/fish/vendor_completions.d/digits.fish"
            ] {
                #expect(FileManager.default.fileExists(atPath: "\(prefix)/\(file)"), "missing \(file)")
            }
            #expect(!FileManager.default.fileExists(atPath: "\(prefix)/bin/digits-benchmark"))
            // One executable; the others are links to it, and run the command their name says.
            for command in ["digits-train", "digits-evaluate", "digits-classify"] {
                #expect(try FileManager.default.destinationOfSymbolicLink(atPath: "\(prefix)/bin/\(command)") == "digits")
            }
            let bash = try String(contentsOfFile: "\(prefix)/share/bash-completion/completions/digits", encoding: .utf8)
            #expect(bash.contains("classify") && bash.contains("complete"))
            #expect(
                try readBytes("\(prefix)/share/digits/default.safetensors")
                    == readBytes("\(repositoryRoot.path)/models/default.safetensors"))

            // From a folder that is no checkout, with no DIGITS_MODEL: the installed model.
            let elsewhere = directory.appendingPathComponent("elsewhere")
            try FileManager.default.createDirectory(at: elsewhere, withIntermediateDirectories: true)
            let sample = "\(repositoryRoot.path)/Resources/samples/7-mnist-original.png"
            let installed = BuiltExecutable(path: "\(prefix)/bin/digits")
            let classified = try installed.run(["classify", sample], unsetting: hermeticUnset, workingDirectory: elsewhere)
            #expect(classified.exited(0), "\(classified)")
            #expect(classified.standardOutput.hasPrefix("\(sample): 7 ("), "\(classified)")
            let viaLink = try BuiltExecutable(path: "\(prefix)/bin/digits-classify").run(
                ["--json", sample], unsetting: hermeticUnset, workingDirectory: elsewhere)
            #expect(viaLink.exited(0) && viaLink.standardOutput.contains("\"digit\": 7"), "\(viaLink)")

            // Without its share/ folder it must not fall back on the tree it was built in.
            try FileManager.default.removeItem(atPath: "\(prefix)/share/digits")
            let lost = try installed.run(["classify", sample], unsetting: hermeticUnset, workingDirectory: elsewhere)
            expectOneErrorLine(lost, tool: "digits classify", mentioning: ["no model given", "DIGITS_MODEL"])

            // A second install over the first replaces the files and leaves no staging folder behind.
            let again = try BuiltExecutable(path: "/bin/bash").run(
                ["\(repositoryRoot.path)/tools/install.sh", "--prefix", prefix, "--bin-path", products, "--no-man"],
                unsetting: hermeticUnset, workingDirectory: directory, timeout: 300)
            #expect(again.exited(0), "\(again)")
            #expect(try FileManager.default.contentsOfDirectory(atPath: prefix).sorted() == ["bin", "share"])
        }
    }
}
