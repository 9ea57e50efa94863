import DigitsCore
import DigitsData
import DigitsModel
import DigitsTestSupport
import Foundation
import Testing

/// Bad input of every kind gives one line on stderr naming the file and exit status 1; bad usage
/// gives exit status 64. Never a crash (a crash would show as a signal, not an exit status).
@Suite struct ErrorTests {
    static var sample: String {
        repositoryRoot.appendingPathComponent("Resources/samples/7-mnist-original.png").path
    }

    @Test func classifyReportsEachUnreadableFileAndClassifiesTheRest() throws {
        try withTemporaryDirectory { directory in
            let model = directory.appendingPathComponent("threes.safetensors").path
            try constantModel(favouring: 3).save(to: model)
            let missing = directory.appendingPathComponent("missing.png").path
            let notPNG = directory.appendingPathComponent("x.png").path
            try Data("this is text, not a PNG\n".utf8).write(to: URL(fileURLWithPath: notPNG))

            let result = try run("digits", ["classify", "--model", model, missing, Self.sample, notPNG], in: directory)
            #expect(result.exited(1), "\(result)")
            #expect(result.standardOutput == "\(Self.sample): 3 (94.3%)\n", "\(result)")
            let errors = result.standardErrorLines
            #expect(errors.count == 2, "\(result)")
            #expect(errors.allSatisfy { $0.hasPrefix("digits classify: error: ") }, "\(result)")
            #expect(errors.filter { $0.contains(missing) }.count == 1, "\(result)")
            #expect(errors.filter { $0.contains(notPNG) }.count == 1, "\(result)")

            // The JSON form goes on the same way, with an error object line in place of the bad file.
            let json = try run("digits", ["classify", "--json", "--model", model, notPNG, Self.sample], in: directory)
            #expect(json.exited(1), "\(json)")
            #expect(json.standardOutputLines.count == 2, "\(json)")
            #expect(json.standardOutputLines.first?.hasPrefix(#"{"file": "\#(notPNG)", "error": "#) == true, "\(json)")
            #expect(json.standardErrorLines.count == 1 && json.standardError.contains(notPNG), "\(json)")
        }
    }

    /// A model file cut short anywhere, or not a model file at all: one line naming it, exit 1.
    @Test func damagedModelIsOneLineNamingIt() throws {
        try withTemporaryDirectory { directory in
            let good = try constantModel(favouring: 3).encoded()
            var generator = SeededGenerator(seed: 99)
            let damaged: [(String, [UInt8])] = [
                ("empty.safetensors", []),
                ("cut-in-length.safetensors", Array(good.prefix(5))),
                ("cut-in-header.safetensors", Array(good.prefix(40))),
                ("cut-in-weights.safetensors", Array(good.prefix(good.count / 2))),
                ("one-byte-short.safetensors", Array(good.dropLast())),
                ("random.safetensors", (0..<4096).map { _ in UInt8(truncatingIfNeeded: generator.next()) }),
                // Random bytes whose first eight spell a plausible header length.
                (
                    "random-small-length.safetensors",
                    [64, 0, 0, 0, 0, 0, 0, 0]
                        + (0..<200).map { _ in
                            UInt8(truncatingIfNeeded: generator.next())
                        }
                )
            ]
            for (name, bytes) in damaged {
                let path = directory.appendingPathComponent(name).path
                try Data(bytes).write(to: URL(fileURLWithPath: path))
                let classify = try run("digits", ["classify", "--model", path, Self.sample], in: directory)
                expectOneErrorLine(classify, tool: "digits classify", mentioning: [path])
                #expect(classify.standardOutput.isEmpty, "\(classify)")
            }
            // evaluate names the model too (before it reads any data).
            let path = directory.appendingPathComponent("cut-in-weights.safetensors").path
            let files = try SyntheticDigits(count: 20).write(to: directory)
            let evaluate = try run(
                "digits", ["evaluate", "--model", path, "--images", files.images, "--labels", files.labels],
                in: directory)
            expectOneErrorLine(evaluate, tool: "digits evaluate", mentioning: [path])
        }
    }

    @Test(arguments: [
        (["classify"], "file"),
        (["classify", "--top", "11", "a.png"], "--top"),
        (["train", "--epochs", "0", "--images", "a", "--labels", "b"], "--epochs"),
        (["train", "--dataset", "mnist", "--images", "x"], "not both"),
        (["train", "--dataset", "mnist", "--images", "x", "--labels", "y"], "not both"),
        (["train", "--images", "x"], "--labels"),
        (["train", "--hidden", "16,,8", "--images", "a", "--labels", "b"], "--hidden"),
        (["evaluate"], "--dataset"),
        (["train", "--dataset", "mnist,mnist"], "--dataset"),
        (["train", "--dataset", "mnist,emnist"], "--dataset"),
        (["evaluate", "--dataset", "mnist,usps", "--report", "r"], "--report takes one dataset"),
        (["frobnicate"], "frobnicate")
    ])
    func usageErrorsExit64(arguments: [String], fragment: String) throws {
        try withTemporaryDirectory { directory in
            let result = try run("digits", arguments, in: directory)
            expectUsageError(result, mentioning: fragment)
            #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).isEmpty, "nothing written")
        }
    }

    /// An IDX file whose header promises more images than it holds, raw and gzipped.
    @Test(arguments: [false, true])
    func lyingIDXHeaderIsOneLineNamingTheFile(compressed: Bool) throws {
        try withTemporaryDirectory { directory in
            let files = try SyntheticDigits().write(to: directory)
            var bytes = try IDXWriter.encode(
                IDXArray(
                    dimensions: [100, 16, 16],
                    elements: .uint8(Array(repeating: 0, count: 100 * 16 * 16))))
            bytes[7] = 200  // count 100 → 200 (big-endian UInt32 at bytes 4…7)
            let lying = directory.appendingPathComponent(compressed ? "lying.idx.gz" : "lying.idx").path
            // (IDXWriter refuses to write a lying array, so the bytes are gzipped here.)
            try Data(compressed ? storedGzip(bytes) : bytes).write(to: URL(fileURLWithPath: lying))
            let output = directory.appendingPathComponent("m.safetensors").path
            var lyingFiles = files
            lyingFiles.images = lying
            let result = try run("digits", ["train"] + trainingArguments(lyingFiles, output: output), in: directory)
            // 200 images of 16 × 16 promised, 100 there (the gzipped one decompresses fine: see storedGzip).
            expectOneErrorLine(result, tool: "digits train", mentioning: [lying, "truncated", "51200", "25600"])
            #expect(!FileManager.default.fileExists(atPath: output))
        }
    }

    /// An IDX pair holding no images: nothing to train on is a data error, not a crash.
    @Test func emptyIDXPairIsOneLineNamingIt() throws {
        try withTemporaryDirectory { directory in
            let images = directory.appendingPathComponent("empty-images.idx").path
            let labels = directory.appendingPathComponent("empty-labels.idx").path
            try IDXWriter.write(IDXArray(dimensions: [0, 16, 16], elements: .uint8([])), to: images)
            try IDXWriter.write(IDXArray(dimensions: [0], elements: .uint8([])), to: labels)
            let output = directory.appendingPathComponent("m.safetensors").path
            let result = try run(
                "digits",
                [
                    "train", "--images", images, "--labels", labels, "--hidden", "16",
                    "--epochs", "1", "--output", output
                ], in: directory)
            expectOneErrorLine(result, tool: "digits train", mentioning: [images])
            #expect(!FileManager.default.fileExists(atPath: output))

            // Evaluating nothing is an error too, not an all-zero report.
            let model = directory.appendingPathComponent("threes.safetensors").path
            try constantModel(favouring: 3).save(to: model)
            let evaluation = try run(
                "digits",
                [
                    "evaluate", "--json", "--model", model, "--images", images,
                    "--labels", labels
                ], in: directory)
            expectOneErrorLine(evaluation, tool: "digits evaluate", mentioning: ["empty-images.idx", "no images"])
        }
    }

    /// A model that could not be saved is said before training starts, not after the first epoch.
    @Test func missingOutputFolderIsOneLineBeforeTraining() throws {
        try withTemporaryDirectory { directory in
            let files = try SyntheticDigits(count: 40).write(to: directory)
            let output = directory.appendingPathComponent("no-such-folder/m.safetensors").path
            let result = try run(
                "digits",
                [
                    "train", "--images", files.images, "--labels", files.labels,
                    "--hidden", "16", "--epochs", "1", "--output", output
                ], in: directory)
            expectOneErrorLine(result, tool: "digits train", mentioning: [output, "does not exist"])
            #expect(!result.standardOutput.contains("epoch"), "\(result)")
        }
    }

    /// A report folder that cannot be made (its parent is a file): one line naming it, in words, before
    /// anything is evaluated (it came after the whole report had been printed).
    @Test func unwritableReportFolderIsOneLineNamingIt() throws {
        try withTemporaryDirectory { directory in
            let files = try SyntheticDigits(count: 20).write(to: directory)
            let model = directory.appendingPathComponent("threes.safetensors").path
            try constantModel(favouring: 3).save(to: model)
            let report = directory.appendingPathComponent("threes.safetensors/report").path
            let result = try run(
                "digits",
                [
                    "evaluate", "--json", "--model", model, "--images", files.images,
                    "--labels", files.labels, "--report", report
                ], in: directory)
            expectOneErrorLine(
                result, tool: "digits evaluate",
                mentioning: ["error: \(report): cannot save (create folder): \(model) is a regular file, not a folder"])
            #expect(!result.standardError.contains("Domain="), "\(result)")
            #expect(result.standardOutput.isEmpty, "\(result)")
        }
    }

    @Test func missingDatasetPointsAtTheFetchScript() throws {
        try withTemporaryDirectory { directory in
            let empty = directory.appendingPathComponent("empty-data")
            try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
            let model = directory.appendingPathComponent("threes.safetensors").path
            try constantModel(favouring: 3).save(to: model)

            let evaluate = try run(
                "digits", ["evaluate", "--dataset", "mnist", "--data-dir", empty.path, "--model", model],
                in: directory)
            expectOneErrorLine(evaluate, tool: "digits evaluate", mentioning: ["tools/fetch-mnist.sh", empty.path])
            #expect(evaluate.standardOutput.isEmpty)

            let train = try run(
                "digits",
                [
                    "train", "--dataset", "mnist", "--data-dir", empty.path,
                    "--output", directory.appendingPathComponent("m.safetensors").path
                ],
                in: directory)
            expectOneErrorLine(train, tool: "digits train", mentioning: ["tools/fetch-mnist.sh"])
        }
    }
}

/// `bytes` as a gzip member whose deflate stream is made of stored (uncompressed) blocks
/// (RFC 1951 §3.2.4, RFC 1952): valid gzip that any reader accepts, written without zlib.
func storedGzip(_ bytes: [UInt8]) -> [UInt8] {
    func littleEndian<T: FixedWidthInteger>(_ value: T) -> [UInt8] { withUnsafeBytes(of: value.littleEndian, Array.init) }
    var out: [UInt8] = [0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 0, 0xFF]  // magic, deflate, no flags, no time, unknown OS
    var start = 0
    repeat {
        let end = min(start + 65_535, bytes.count)
        out.append(end == bytes.count ? 1 : 0)  // BFINAL, BTYPE 00 (stored)
        out += littleEndian(UInt16(end - start)) + littleEndian(~UInt16(end - start))
        out += bytes[start..<end]
        start = end
    } while start < bytes.count
    var crc: UInt32 = 0xFFFF_FFFF  // CRC-32, reflected polynomial 0xEDB88320
    for byte in bytes {
        crc ^= UInt32(byte)
        for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
    }
    return out + littleEndian(~crc) + littleEndian(UInt32(truncatingIfNeeded: bytes.count))
}
