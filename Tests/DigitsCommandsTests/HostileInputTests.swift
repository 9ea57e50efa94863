import DigitsModel
import DigitsTestSupport
import Foundation
import Testing

/// Hostile input is normal input (issue 7): each case ends in one line naming the file and the
/// problem and a non-zero exit, never a hang, a crash, or a write where the command must not write.
/// Protected files are compared byte for byte (and by inode) before and after.
@Suite struct HostileInputTests {
    private func sample(_ name: String) -> String { repositoryRoot.appendingPathComponent("Resources/samples/\(name)").path }

    private struct Snapshot: Equatable {
        var bytes: Data
        var inode: UInt64
        init(_ path: String) throws {
            bytes = try Data(contentsOf: URL(fileURLWithPath: path))
            var status = stat()
            guard stat(path, &status) == 0 else { throw CocoaError(.fileReadNoSuchFile) }
            inode = UInt64(status.st_ino)
        }
    }

    // MARK: Writes where it must not

    @Test func outputOverTheTrainingImagesIsRefusedAndTheImagesAreUntouched() throws {
        try withTemporaryDirectory { directory in
            let files = try SyntheticDigits().write(to: directory)
            let before = try Snapshot(files.images)
            let result = try run("digits", ["train"] + trainingArguments(files, output: files.images), in: directory)
            expectOneErrorLine(result, tool: "digits train", mentioning: [files.images, "the run reads"])
            #expect(try Snapshot(files.images) == before)
        }
    }

    @Test func outputEqualToCheckpointIsRefused() throws {
        try withTemporaryDirectory { directory in
            let files = try SyntheticDigits().write(to: directory)
            let path = directory.appendingPathComponent("x.safetensors").path
            let result = try run(
                "digits", ["train"] + trainingArguments(files, output: path, extra: ["--checkpoint", path]),
                in: directory)
            expectOneErrorLine(result, tool: "digits train", mentioning: [path, "--output and --checkpoint name the same file"])
            #expect(!FileManager.default.fileExists(atPath: path))
        }
    }

    @Test func outputOnADeviceIsRefusedBeforeTraining() throws {
        try withTemporaryDirectory { directory in
            let files = try SyntheticDigits().write(to: directory)
            let result = try run("digits", ["train"] + trainingArguments(files, output: "/dev/null"), in: directory)
            expectOneErrorLine(result, tool: "digits train", mentioning: ["/dev/null", "character device"])
            #expect(!result.standardOutput.contains("epoch"))
            var status = stat()
            #expect(stat("/dev/null", &status) == 0 && (status.st_mode & S_IFMT) == S_IFCHR)
        }
    }

    /// `--output data/usps` where data/usps is a link to the data folder: refused, the link left alone.
    @Test func outputOnALinkToAFolderIsRefusedAndTheLinkKept() throws {
        try withTemporaryDirectory { directory in
            let files = try SyntheticDigits().write(to: directory)
            let folder = directory.appendingPathComponent("datasets").path
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: false)
            let link = directory.appendingPathComponent("usps").path
            try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: folder)
            let result = try run("digits", ["train"] + trainingArguments(files, output: link), in: directory)
            expectOneErrorLine(result, tool: "digits train", mentioning: [link, "symbolic link to a directory"])
            #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link) == folder)
        }
    }

    /// A checkpoint edited to record another file as its output: resume refuses to write there.
    @Test func resumeRefusesAnOutputTheRunNeverWrote() throws {
        try withTemporaryDirectory { directory in
            let files = try SyntheticDigits().write(to: directory)
            let checkpoint = directory.appendingPathComponent("run.ckpt").path
            let output = directory.appendingPathComponent("run.safetensors").path
            let first = try run(
                "digits",
                ["train"]
                    + trainingArguments(
                        files, output: output, epochs: 1,
                        extra: ["--checkpoint", checkpoint]), in: directory)
            try #require(first.exited(0), "\(first)")
            // Point the recorded output at the training images (a file the run never wrote).
            var bytes = try Data(contentsOf: URL(fileURLWithPath: checkpoint))
            let from = Data("\\\"output\\\":\\\"run.safetensors\\\"".utf8), to = Data("\\\"output\\\":\\\"images.idx.gz\\\"".utf8)
            let range = try #require(bytes.range(of: from), "the checkpoint records its output relative to its folder")
            #expect(from.count == to.count + 2)
            bytes.replaceSubrange(range, with: to + Data("  ".utf8))
            try bytes.write(to: URL(fileURLWithPath: checkpoint))
            let before = try Snapshot(files.images)
            let resumed = try run("digits", ["train", "--resume", checkpoint, "--epochs", "2"], in: directory)
            #expect(resumed.status != 0, "\(resumed)")
            #expect(resumed.standardErrorLines.count == 1, "\(resumed)")
            #expect(try Snapshot(files.images) == before)
        }
    }

    @Test func reportDoesNotFollowASymlinkPlantedInItsFolder() throws {
        try withTemporaryDirectory { directory in
            let files = try SyntheticDigits(count: 20).write(to: directory)
            let model = directory.appendingPathComponent("m.safetensors").path
            try constantModel(favouring: 3).save(to: model)
            let victim = directory.appendingPathComponent("victim.txt").path
            try Data("precious".utf8).write(to: URL(fileURLWithPath: victim))
            let report = directory.appendingPathComponent("report")
            try FileManager.default.createDirectory(at: report, withIntermediateDirectories: true)
            try FileManager.default.createSymbolicLink(
                atPath: report.appendingPathComponent("confusion.png").path,
                withDestinationPath: victim)
            let result = try run(
                "digits",
                [
                    "evaluate", "--model", model, "--images", files.images, "--labels", files.labels,
                    "--report", report.path
                ], in: directory)
            #expect(result.exited(0), "\(result)")
            #expect(try String(contentsOfFile: victim, encoding: .utf8) == "precious")
            #expect(
                try FileManager.default.contentsOfDirectory(atPath: report.path).sorted()
                    == ["confusion.png", "index.html", "misclassified.png", "per-class.png", "report.json"])
        }
    }

    /// `--save-input` naming a file: one error line for the run, before any picture is read (it was
    /// one line per picture, each blamed on the picture, and no answer printed), the file untouched.
    @Test(arguments: ["classify", "read"])
    func saveInputOntoAFileIsOneErrorLineAndTheFileIsUntouched(command: String) throws {
        try withTemporaryDirectory { directory in
            let blocker = directory.appendingPathComponent("seen").path
            try Data("not a folder".utf8).write(to: URL(fileURLWithPath: blocker))
            let before = try Snapshot(blocker)
            let result = try run(
                "digits",
                [
                    command, "--model", ClassifyCommandTests.shippedModel, "--save-input", blocker, sample("7-mnist-original.png"),
                    sample("3-drawn-in-paint.png")
                ],
                in: directory)
            expectOneErrorLine(result, tool: "digits \(command)", mentioning: [blocker, "is a regular file, not a folder"])
            #expect(!result.standardError.contains("7-mnist-original"), "\(result)")
            #expect(result.standardOutput.isEmpty, "\(result)")
            #expect(try Snapshot(blocker) == before)
        }
    }

    /// A damaged refusal bar in the model's metadata is refused at load, naming the key and the value:
    /// "nan" used to be dropped (the trained class's bar silently back to 1), "-5" taken as it was.
    @Test(arguments: [("reject_not_a_digit_ratio", "nan"), ("reject_confidence", "-5"), ("reject_confidence", "high")])
    func aDamagedRefusalBarInTheModelIsRefused(key: String, value: String) throws {
        try withTemporaryDirectory { directory in
            var model = try SavedModel.load(from: ClassifyCommandTests.shippedModel)
            model.provenance.other[key] = value
            let path = directory.appendingPathComponent("damaged.safetensors").path
            try model.save(to: path)
            let result = try run("digits", ["classify", "--model", path, sample("7-mnist-original.png")], in: directory)
            expectOneErrorLine(
                result, tool: "digits classify",
                mentioning: [path, "metadata \"provenance.\(key)\" is \"\(value)\"; expected a number in [0, 1]"])
            #expect(result.standardOutput.isEmpty, "\(result)")
        }
    }

    /// An empty path: "" + "/" + name is "/name", so `--report ""` and `--save-input ""` wrote their
    /// files into the root folder before failing on its fsync, `--data-dir ""` looked for `/usps`, and
    /// `--model ""` or a file "" said ": No such file". Every path option now refuses "" as a usage
    /// error naming the option (and `FileSet` refuses it too, `AtomicFileTests`); nothing is written.
    @Test(arguments: [
        ["classify", "--save-input", ""], ["read", "--save-input", ""], ["evaluate", "--report", ""],
        ["classify", "--model", ""], ["read", "--model", ""], ["evaluate", "--data-dir", ""], ["evaluate", "--folder", ""],
        ["train", "--output", ""], ["train", "--checkpoint", ""], ["train", "--report", ""], ["train", "--data-dir", ""]
    ])
    func anEmptyPathIsRefused(arguments: [String]) throws {
        try withTemporaryDirectory { directory in
            let files = try SyntheticDigits(count: 20).write(to: directory)
            let inputs =
                switch (arguments[0], arguments[1]) {
                case ("evaluate", "--folder"): ["--model", ClassifyCommandTests.shippedModel]
                case ("evaluate", _), ("train", _):
                    ["--images", files.images, "--labels", files.labels]
                        + (arguments[0] == "evaluate" ? ["--model", ClassifyCommandTests.shippedModel] : ["--epochs", "1"])
                case (_, "--model"): [sample("7-mnist-original.png")]
                default: ["--model", ClassifyCommandTests.shippedModel, sample("7-mnist-original.png")]
                }
            let before = Set(try FileManager.default.contentsOfDirectory(atPath: "/"))
            let result = try run("digits", arguments + inputs, in: directory)
            #expect(result.exited(64), "\(result)")
            #expect(result.standardError.contains("\(arguments[1]) is an empty path"), "\(result)")
            #expect(result.standardOutput.isEmpty, "\(result)")
            #expect(Set(try FileManager.default.contentsOfDirectory(atPath: "/")) == before)
        }
    }

    @Test(arguments: ["classify", "read"])
    func anEmptyFileNameIsRefused(command: String) throws {
        let result = try withTemporaryDirectory { directory in
            try run("digits", [command, "--model", ClassifyCommandTests.shippedModel, sample("7-mnist-original.png"), ""], in: directory)
        }
        #expect(result.exited(64), "\(result)")
        #expect(result.standardError.contains("an empty file name"), "\(result)")
        #expect(result.standardOutput.isEmpty, "\(result)")
    }

    /// File names are text from outside too: one holding ESC or BEL (an escape sequence that would
    /// recolour or retitle the terminal) is shown escaped on stdout and stderr, as labels from a model
    /// file are, and a line break in a name does not split a line.
    @Test(arguments: ["classify", "read"])
    func controlCharactersInFileNamesAreShownEscaped(command: String) throws {
        try withTemporaryDirectory { directory in
            let pictures = directory.appendingPathComponent("in")
            try FileManager.default.createDirectory(at: pictures, withIntermediateDirectories: true)
            try FileManager.default.copyItem(
                atPath: sample("7-mnist-original.png"), toPath: pictures.appendingPathComponent("seven\u{1B}[31m.png").path)
            try Data("text".utf8).write(to: pictures.appendingPathComponent("notes\u{1B}[2J.txt"))
            // Named on the command line, an empty file is an error line (in a folder it is skipped).
            let empty = "empty\u{1B}]0;owned\u{07}\n.png"
            try Data().write(to: directory.appendingPathComponent(empty))
            let result = try run("digits", [command, "--model", ClassifyCommandTests.shippedModel, "in", empty], in: directory)
            #expect(result.exited(1), "\(result)")
            for text in [result.standardOutput, result.standardError] {
                #expect(!text.unicodeScalars.contains { $0 == "\u{1B}" || $0 == "\u{07}" }, "\(result)")
            }
            #expect(result.standardOutputLines.count == 1, "\(result)")
            #expect(result.standardOutput.contains("in/seven\\u001b[31m.png: 7"), "\(result)")
            #expect(result.standardErrorLines.count == 2, "\(result)")
            #expect(result.standardError.contains("skipped in/notes\\u001b[2J.txt: a text file"), "\(result)")
            #expect(result.standardError.contains("error: empty\\u001b]0;owned\\u0007 .png: an empty file"), "\(result)")
        }
    }

    // MARK: Crashes and hangs

    /// A FIFO with no writer used to block `open` forever; now it is one error line, and the next
    /// file is still classified.
    @Test func fifoAmongPicturesIsRefusedAndTheOthersAreClassified() throws {
        try withTemporaryDirectory { directory in
            let fifo = directory.appendingPathComponent("f.png").path
            #expect(mkfifo(fifo, 0o644) == 0)
            let result = try run("digits", ["classify", fifo, sample("7-mnist-original.png")], in: directory, timeout: 20)
            #expect(result.exited(1), "\(result)")
            #expect(result.standardError.contains("\(fifo): cannot read: it is a FIFO (named pipe), not a regular file"))
            #expect(result.standardOutput.contains("7-mnist-original.png: 7"), "\(result)")
        }
    }

    @Test(arguments: ["--model", "--images"])
    func fifoAsModelOrDataIsRefusedAtOnce(option: String) throws {
        try withTemporaryDirectory { directory in
            let files = try SyntheticDigits(count: 20).write(to: directory)
            let fifo = directory.appendingPathComponent("f").path
            #expect(mkfifo(fifo, 0o644) == 0)
            let model = directory.appendingPathComponent("m.safetensors").path
            try constantModel(favouring: 3).save(to: model)
            var arguments = ["evaluate", "--model", model, "--images", files.images, "--labels", files.labels]
            arguments[arguments.firstIndex(of: option)! + 1] = fifo
            let result = try run("digits", arguments, in: directory, timeout: 20)
            expectOneErrorLine(result, tool: "digits evaluate", mentioning: [fifo, "FIFO"])
        }
    }

    @Test func sparse64GiBModelIsRefusedFromItsSize() throws {
        try withTemporaryDirectory { directory in
            let model = directory.appendingPathComponent("huge.safetensors").path
            #expect(FileManager.default.createFile(atPath: model, contents: nil))
            #expect(truncate(model, 64 << 30) == 0)
            let result = try run(
                "digits", ["classify", "--model", model, sample("7-mnist-original.png")], in: directory,
                timeout: 20)
            expectOneErrorLine(result, tool: "digits classify", mentioning: [model, "64.0 GiB", "over the limit of 256 MiB"])
        }
    }

    /// 238 million 3×3 images behind a small gzip used to abort allocating 244 GB. The header is
    /// refused before anything is allocated.
    @Test func idxHeaderPromisingHundredsOfMillionsOfImagesIsRefused() throws {
        try withTemporaryDirectory { directory in
            let images = directory.appendingPathComponent("bomb-images.idx").path
            let labels = directory.appendingPathComponent("bomb-labels.idx").path
            let count: UInt32 = 238_000_000
            func bigEndian(_ value: UInt32) -> [UInt8] { withUnsafeBytes(of: value.bigEndian) { Array($0) } }
            try Data([0, 0, 8, 3] + bigEndian(count) + bigEndian(3) + bigEndian(3) + [UInt8](repeating: 1, count: 9))
                .write(to: URL(fileURLWithPath: images))
            try Data([0, 0, 8, 1] + bigEndian(count) + [1]).write(to: URL(fileURLWithPath: labels))
            let model = directory.appendingPathComponent("m.safetensors").path
            try constantModel(favouring: 3).save(to: model)
            let result = try run("digits", ["evaluate", "--model", model, "--images", images, "--labels", labels], in: directory)
            expectOneErrorLine(result, tool: "digits evaluate", mentioning: [images, "238000000 items", "more than digits loads at once"])
        }
    }

    /// A raw IDX whose header promises 9 bytes of data but which is 64 MiB long is refused from its size.
    @Test func idxLongerThanItsHeaderPromisesIsRefusedUnread() throws {
        try withTemporaryDirectory { directory in
            let images = directory.appendingPathComponent("long.idx").path
            try Data([0, 0, 8, 3, 0, 0, 0, 1, 0, 0, 0, 3, 0, 0, 0, 3]).write(to: URL(fileURLWithPath: images))
            #expect(truncate(images, 64 << 20) == 0)
            let labels = directory.appendingPathComponent("labels.idx").path
            try Data([0, 0, 8, 1, 0, 0, 0, 1, 1]).write(to: URL(fileURLWithPath: labels))
            let model = directory.appendingPathComponent("m.safetensors").path
            try constantModel(favouring: 3).save(to: model)
            let result = try run("digits", ["evaluate", "--model", model, "--images", images, "--labels", labels], in: directory)
            expectOneErrorLine(result, tool: "digits evaluate", mentioning: [images, "over-long: header promises 9 bytes"])
        }
    }

    // MARK: Options

    @Test(arguments: [
        ["--epochs", "-1"], ["--batch-size", "-5"], ["--learning-rate", "-0.1"], ["--threads", "-2"],
        ["--validation", "-3"], ["--weight-decay", "inf"], ["--momentum", "-1"]
    ])
    func badNumbersAreUsageErrorsAboutTheValue(option: [String]) throws {
        try withTemporaryDirectory { directory in
            let result = try run("digits", ["train", "--dataset", "usps"] + option, in: directory)
            expectUsageError(result, mentioning: "\(option[0]) must")
            #expect(result.standardError.contains(option[1]), "\(result)")
            #expect(!result.standardError.contains("Missing value"), "\(result)")
        }
    }

    @Test func aValidationSetAsLargeAsTheDataIsAUsageError() throws {
        try withTemporaryDirectory { directory in
            let files = try SyntheticDigits().write(to: directory)
            let output = directory.appendingPathComponent("m.safetensors").path
            var arguments = trainingArguments(files, output: output)
            arguments[arguments.firstIndex(of: "--validation")! + 1] = "99999999"
            let result = try run("digits", ["train"] + arguments, in: directory)
            #expect(result.exited(64), "\(result)")
            #expect(result.standardError.contains("--validation 99999999 leaves nothing to train on"), "\(result)")
            #expect(!FileManager.default.fileExists(atPath: output))
        }
    }
}
