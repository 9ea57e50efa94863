import DigitsModel
import DigitsData
import DigitsTestSupport
import Foundation
import Testing

/// The inputs people have, end to end: JPEGs (turned by EXIF), other formats named, and (below)
/// folders, standard input and `evaluate --folder`.
@Suite struct ImageInputTests {
    static let shippedModel = repositoryRoot.appendingPathComponent("models/default.safetensors").path
    static let fixtures = repositoryRoot.appendingPathComponent("Tests/DigitsDataTests/Fixtures")
    static func fixture(_ name: String) -> String { fixtures.appendingPathComponent(name).path }

    /// The phone photo of a 2, stored a quarter turn sideways with EXIF orientation 6, as phones do.
    @Test func rotatedPhoneJPEGIsReadUpright() throws {
        try withTemporaryDirectory { directory in
            let file = Self.fixture("jpeg-two-rotated.jpg")
            let result = try run("digits", ["classify", "--model", Self.shippedModel, file], in: directory)
            #expect(result.exited(0), "\(result)")
            #expect(result.standardError.isEmpty, "\(result)")
            #expect(result.standardOutput.hasPrefix("\(file): 2 ("), "\(result)")
        }
    }

    /// A GIF, a BMP and a text file, each named for what it is, with what is supported; the PNG
    /// among them is still classified.
    @Test func otherFormatsAreNamed() throws {
        try withTemporaryDirectory { directory in
            let files = ["tiny.gif", "tiny.bmp", "notes.txt"].map(Self.fixture)
            let sample = repositoryRoot.appendingPathComponent("Resources/samples/7-mnist-original.png").path
            let result = try run("digits", ["classify", "--model", Self.shippedModel] + files + [sample], in: directory)
            #expect(result.exited(1), "\(result)")
            #expect(result.standardOutputLines == ["\(sample): 7 (99.9%)"], "\(result)")
            #expect(
                result.standardErrorLines
                    == zip(files, ["a GIF image", "a BMP image", "a text file"]).map { file, what in
                        "digits classify: error: \(file): \(what), not a picture digits can read (digits reads PNG and JPEG images)"
                    }, "\(result)")
        }
    }

    @Test func damagedJPEGsGiveOneLineEach() throws {
        for name in ["jpeg-truncated.jpg", "jpeg-corrupt.jpg", "jpeg-huge-header.jpg", "blank.png"] {  // each line names its file
            try withTemporaryDirectory { directory in
                let result = try run("digits-classify", ["--model", Self.shippedModel, Self.fixture(name)], in: directory)
                expectOneErrorLine(result, tool: "digits classify", mentioning: [Self.fixture(name)])
                #expect(result.standardOutput.isEmpty, "\(result)")
            }
        }
    }
}

/// `digits classify DIR` and `digits classify -`.
@Suite struct FolderAndStandardInputTests {
    static let shippedModel = ImageInputTests.shippedModel
    static func fixture(_ name: String) -> String { ImageInputTests.fixture(name) }
    static func sample(_ name: String) -> String { repositoryRoot.appendingPathComponent("Resources/samples/\(name)").path }

    /// A folder of pictures with a text file, a GIF, a FIFO, a hidden folder and a nested JPEG
    /// without an extension: every picture classified in sorted order, each other file named once
    /// as skipped, nothing for hidden entries, and exit 0 (skipping is not failing).
    @Test func folderIsWalkedSortedByContent() throws {
        try withTemporaryDirectory { directory in
            let folder = directory.appendingPathComponent("scans")
            let manager = FileManager.default
            try manager.createDirectory(at: folder.appendingPathComponent("later/deeper"), withIntermediateDirectories: true)
            try manager.createDirectory(at: folder.appendingPathComponent(".thumbnails"), withIntermediateDirectories: true)
            try manager.copyItem(atPath: Self.sample("7-mnist-original.png"), toPath: folder.appendingPathComponent("b-seven.png").path)
            try manager.copyItem(atPath: Self.sample("3-drawn-in-paint.png"), toPath: folder.appendingPathComponent("a-three.png").path)
            try manager.copyItem(
                atPath: Self.fixture("jpeg-two-rotated.jpg"), toPath: folder.appendingPathComponent("later/deeper/IMG_0001").path)
            try manager.copyItem(atPath: Self.fixture("notes.txt"), toPath: folder.appendingPathComponent("notes.txt").path)
            try manager.copyItem(atPath: Self.fixture("tiny.gif"), toPath: folder.appendingPathComponent("later/old.gif").path)
            try manager.copyItem(atPath: Self.fixture("tiny.gif"), toPath: folder.appendingPathComponent(".thumbnails/t.png").path)
            #expect(mkfifo(folder.appendingPathComponent("pipe").path, 0o600) == 0)
            let result = try run("digits", ["classify", "--model", Self.shippedModel, "scans"], in: directory)
            #expect(result.exited(0), "\(result)")
            // The order and the digits are the point; the percentages belong to whichever model ships.
            #expect(
                result.standardOutputLines.map { $0.prefix { $0 != "(" } } == [
                    "scans/a-three.png: 3 ", "scans/b-seven.png: 7 ", "scans/later/deeper/IMG_0001: 2 "
                ], "\(result)")
            #expect(
                result.standardErrorLines == [
                    "digits classify: skipped scans/later/old.gif: a GIF image",
                    "digits classify: skipped scans/notes.txt: a text file",
                    "digits classify: skipped scans/pipe: a FIFO (named pipe)"
                ], "\(result)")
        }
    }

    /// A damaged picture in a folder is an error line (exit 1); the others are still classified.
    /// A folder with no pictures at all is an error too.
    @Test func damagedAndEmptyFolders() throws {
        try withTemporaryDirectory { directory in
            let manager = FileManager.default
            try manager.createDirectory(at: directory.appendingPathComponent("mixed"), withIntermediateDirectories: true)
            try manager.createDirectory(at: directory.appendingPathComponent("texts"), withIntermediateDirectories: true)
            try manager.copyItem(atPath: Self.fixture("jpeg-truncated.jpg"), toPath: directory.appendingPathComponent("mixed/cut.jpg").path)
            try manager.copyItem(
                atPath: Self.sample("7-mnist-original.png"), toPath: directory.appendingPathComponent("mixed/seven.png").path)
            try manager.copyItem(atPath: Self.fixture("notes.txt"), toPath: directory.appendingPathComponent("texts/notes.txt").path)
            let mixed = try run("digits", ["classify", "--model", Self.shippedModel, "mixed"], in: directory)
            #expect(mixed.exited(1), "\(mixed)")
            #expect(mixed.standardOutputLines == ["mixed/seven.png: 7 (99.9%)"], "\(mixed)")
            #expect(
                mixed.standardErrorLines == ["digits classify: error: mixed/cut.jpg: corrupt JPEG: Premature end of JPEG file"], "\(mixed)")
            let texts = try run("digits", ["classify", "--model", Self.shippedModel, "texts"], in: directory)
            #expect(texts.exited(1), "\(texts)")
            #expect(
                texts.standardErrorLines == [
                    "digits classify: skipped texts/notes.txt: a text file",
                    "digits classify: error: texts: no PNG or JPEG pictures in this folder (1 file skipped)"
                ], "\(texts)")
        }
    }

    /// `-` reads one picture from stdin, PNG or JPEG alike, and names it "-"; with files around it,
    /// the order of the arguments is kept.
    @Test func standardInput() throws {
        try withTemporaryDirectory { directory in
            let digits = try BuiltExecutable("digits")
            let jpeg = URL(fileURLWithPath: Self.fixture("jpeg-two-rotated.jpg"))
            let seven = Self.sample("7-mnist-original.png")
            let result = try digits.run(
                ["classify", "--model", Self.shippedModel, seven, "-"], unsetting: hermeticUnset,
                workingDirectory: directory, standardInput: jpeg)
            #expect(result.exited(0), "\(result)")
            #expect(result.standardOutputLines.map { $0.prefix { $0 != "(" } } == ["\(seven): 7 ", "-: 2 "], "\(result)")
            let json = try digits.run(
                ["classify", "--json", "--model", Self.shippedModel, "-"], unsetting: hermeticUnset,
                workingDirectory: directory, standardInput: URL(fileURLWithPath: seven))
            #expect(json.standardOutput.hasPrefix(#"{"file": "-", "digit": 7"#), "\(json)")
            let text = try digits.run(
                ["classify", "--model", Self.shippedModel, "-"], unsetting: hermeticUnset,
                workingDirectory: directory, standardInput: URL(fileURLWithPath: Self.fixture("notes.txt")))
            expectOneErrorLine(text, tool: "digits classify", mentioning: ["standard input: a text file", "PNG and JPEG"])
            let empty = try digits.run(
                ["classify", "--model", Self.shippedModel, "-"], unsetting: hermeticUnset,
                workingDirectory: directory)
            expectOneErrorLine(empty, tool: "digits classify", mentioning: ["standard input: an empty file"])
        }
    }

    @Test func standardInputOnlyOnce() throws {
        try withTemporaryDirectory { directory in
            let result = try run("digits", ["classify", "--model", Self.shippedModel, "-", "-"], in: directory)
            expectUsageError(result, mentioning: "- (standard input) can be given once")
        }
    }
}

/// `digits evaluate --folder DIR` with the ImageFolder layout (`DIR/0/…` … `DIR/9/…`).
@Suite struct FolderEvaluationTests {
    static let shippedModel = ImageInputTests.shippedModel

    /// The synthetic digits once as an IDX pair and once as one PNG per image in digit folders:
    /// the same images through the same preprocessing, so the same report, number for number.
    @Test func folderReportEqualsTheIDXReport() throws {
        try withTemporaryDirectory { directory in
            let fixture = SyntheticDigits(count: 60)
            let files = try fixture.write(to: directory)
            let (pixels, labels) = fixture.make()
            let side = SyntheticDigits.side
            for digit in 0..<10 {
                try FileManager.default.createDirectory(
                    at: directory.appendingPathComponent("folder/\(digit)"),
                    withIntermediateDirectories: true)
            }
            for (index, label) in labels.enumerated() {
                let image = Array(pixels[index * side * side..<(index + 1) * side * side])
                try PNGWriter.writeGray(
                    image, width: side, height: side,
                    to: directory.appendingPathComponent("folder/\(label)/\(index).png").path)
            }
            // The same known polarity on both sides: an IDX data set's is known (light ink), a folder of
            // pictures decides per picture unless the model's settings say it.
            var model = try SavedModel.load(from: Self.shippedModel)
            model.preprocessing.polarity = .lightInk
            let modelPath = directory.appendingPathComponent("light-ink.safetensors").path
            try model.save(to: modelPath)
            let idx = try run(
                "digits",
                [
                    "evaluate", "--json", "--model", modelPath,
                    "--images", files.images, "--labels", files.labels
                ], in: directory)
            let folder = try run(
                "digits", ["evaluate", "--json", "--model", modelPath, "--folder", "folder"],
                in: directory)
            #expect(idx.exited(0) && folder.exited(0), "\(idx)\n\(folder)")
            #expect(folder.standardError.isEmpty, "\(folder)")
            let idxReport = try #require(try JSONSerialization.jsonObject(with: Data(idx.standardOutput.utf8)) as? [String: Any])
            let folderReport = try #require(try JSONSerialization.jsonObject(with: Data(folder.standardOutput.utf8)) as? [String: Any])
            for key in ["accuracy", "count", "confusion", "per_class"] {
                #expect(canonical(idxReport[key]) == canonical(folderReport[key]), "\(key)")
            }
            #expect(integer(folderReport["count"]) == 60)
            // "Not a digit" is counted for folders too (the ink's marks are found on the same pass),
            // and the same images give the same refusals.
            #expect(integer(folderReport["rejected"]) != nil)
            #expect(integer(folderReport["rejected"]) == integer(idxReport["rejected"]))
            #expect(folderReport["folder"] as? String == "folder")
            #expect(integer(folderReport["unreadable"]) == 0)
        }
    }

    /// Frame-filling 16×16 digits whose border cannot tell ink from paper (from `tools/robustness.py
    /// --kinds frame-filling-16 --seed 3`, one per digit but 4, each read differently one way round
    /// and both ways): `evaluate --folder` reads them as `classify` does, both ways round, keeping
    /// the reading `Classification.bestReading` keeps — so each digit folder's row of the confusion
    /// matrix has its one count under the most probable digit of the reading `classify` kept, right
    /// or wrong, refused or not (with the model of the time, m4, 0, 2, 3, 5, 6 and 9 were right only
    /// read both ways, and 1, 7 and 8 only one way round; m6 reads the thick 1 as 0 at 59 % the
    /// wrong way round, a reading the rule refuses, and as 1 at 49 % the right way round).
    @Test func ambiguousPicturesAreReadAsClassifyReadsThem() throws {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/frame-filling").path
        let here = URL(fileURLWithPath: folder)
        let evaluated = try run("digits", ["evaluate", "--json", "--model", Self.shippedModel, "--folder", folder], in: here)
        #expect(evaluated.exited(0), "\(evaluated)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(evaluated.standardOutput.utf8)) as? [String: Any])
        // The shipped model's calibrated bar for its trained class (models/README.md: 0.774).
        #expect((number(report["reject_not_a_digit_ratio"]) ?? 0) > 0.6 && (number(report["reject_not_a_digit_ratio"]) ?? 0) < 0.8)
        let confusion = try #require(report["confusion"] as? [[Any]])
        let pictures = try FileManager.default.subpathsOfDirectory(atPath: folder).filter { $0.hasSuffix(".png") }.sorted()
        #expect(pictures.count == 9)
        let classified = try run(
            "digits", ["classify", "--json", "--model", Self.shippedModel] + pictures.map { folder + "/" + $0 }, in: here)
        #expect(classified.exited(0), "\(classified)")
        let answers = classified.standardOutput.split(separator: "\n").compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
        #expect(answers.count == 9)
        for (picture, answer) in zip(pictures, answers) {
            let label = try #require(Int(String(picture.prefix(1))))
            // The kept reading's ten digit probabilities (also for a refused picture, whose "digit" is null).
            let probabilities = try #require(answer["probabilities"] as? [Double])
            let digit = try #require(probabilities.indices.max { probabilities[$0] < probabilities[$1] })
            #expect(integer(confusion[label][digit]) == 1, "\(picture): classify's reading is \(digit)")
        }
    }

    /// Pictures of every kind (PNG, a rotated JPEG without an extension), with a text file, a picture
    /// outside any digit folder, a truncated JPEG and a blank PNG: skipped files and unusable pictures
    /// are named one line each, the report covers the rest, `--report` is written, and the status is 1.
    @Test func unreadablePicturesAreNamedAndCounted() throws {
        try withTemporaryDirectory { directory in
            let manager = FileManager.default
            for folder in ["digits/2", "digits/3", "digits/7/more", "digits/extra"] {
                try manager.createDirectory(at: directory.appendingPathComponent(folder), withIntermediateDirectories: true)
            }
            func copy(_ source: String, _ target: String) throws {
                try manager.copyItem(atPath: source, toPath: directory.appendingPathComponent(target).path)
            }
            let samples = repositoryRoot.appendingPathComponent("Resources/samples").path
            try copy(ImageInputTests.fixture("jpeg-two-rotated.jpg"), "digits/2/IMG_0001")
            try copy(ImageInputTests.fixture("jpeg-truncated.jpg"), "digits/2/cut.jpg")
            try copy(samples + "/3-drawn-in-paint.png", "digits/3/paint.png")
            try copy(ImageInputTests.fixture("blank.png"), "digits/3/blank.png")
            try copy(samples + "/7-mnist-original.png", "digits/7/more/mnist.png")
            try copy(samples + "/5-chalkboard.png", "digits/extra/five.png")
            try copy(ImageInputTests.fixture("notes.txt"), "digits/notes.txt")

            let result = try run(
                "digits",
                [
                    "evaluate", "--model", Self.shippedModel, "--folder", "digits",
                    "--report", "report"
                ], in: directory)
            #expect(result.exited(1), "\(result)")
            // The two unusable pictures count as unreadable mistakes, as blank images of a data set do.
            #expect(result.standardOutputLines.first?.hasPrefix("digits: 5 images, model ") == true, "\(result)")
            #expect(result.standardOutput.contains("Accuracy: 60.00% (3 of 5 correct)"), "\(result)")
            // Not "with no ink": one of the two is a truncated JPEG.
            #expect(
                result.standardOutputLines.contains(
                    "Unreadable: 2 images that could not be used (no ink, or not decodable: named on stderr), counted as mistakes"),
                "\(result)")
            let errors = result.standardErrorLines
            #expect(errors.count == 6, "\(result)")
            #expect(errors.first == "digits evaluate: skipped digits/extra/five.png: not inside a digit folder (digits/0/ … digits/9/)")
            #expect(errors.contains("digits evaluate: skipped digits/notes.txt: a text file"), "\(result)")
            #expect(errors.contains("digits evaluate: error: digits/2/cut.jpg: corrupt JPEG: Premature end of JPEG file"), "\(result)")
            #expect(errors.contains { $0.hasPrefix("digits evaluate: error: digits/3/blank.png: blank image") }, "\(result)")
            #expect(errors.contains { $0.hasPrefix("report: ") }, "\(result)")
            #expect(
                errors.last
                    == "digits evaluate: error: 2 pictures could not be used (named above); they count as unreadable mistakes among the 5")
            let report = try String(contentsOf: directory.appendingPathComponent("report/report.json"), encoding: .utf8)
            #expect(report.contains("\"unreadable\": 2"), "\(report)")
            #expect(report.contains("\"count\": 5"), "\(report)")
        }
    }

    @Test func folderAloneAndNotEmpty() throws {
        try withTemporaryDirectory { directory in
            try FileManager.default.createDirectory(at: directory.appendingPathComponent("empty/4"), withIntermediateDirectories: true)
            let both = try run(
                "digits", ["evaluate", "--model", Self.shippedModel, "--folder", "empty", "--dataset", "mnist"],
                in: directory)
            expectUsageError(both, mentioning: "give --folder alone")
            let empty = try run("digits", ["evaluate", "--model", Self.shippedModel, "--folder", "empty"], in: directory)
            expectOneErrorLine(
                empty, tool: "digits evaluate", mentioning: ["empty: no PNG or JPEG pictures in digit folders empty/0/ … 9/"])
            let missing = try run("digits", ["evaluate", "--model", Self.shippedModel, "--folder", "nowhere"], in: directory)
            expectOneErrorLine(missing, tool: "digits evaluate", mentioning: ["nowhere: cannot read: No such file or directory"])
        }
    }
}

/// A JSON value as text with every object's keys sorted, so two parses of equal JSON compare equal.
func canonical(_ value: Any?) -> String {
    switch value {
    case let object as [String: Any]:
        "{" + object.keys.sorted().map { "\($0): \(canonical(object[$0]))" }.joined(separator: ", ") + "}"
    case let array as [Any]:
        "[" + array.map(canonical).joined(separator: ", ") + "]"
    case nil:
        "none"
    case let other?:
        "\(other)"
    }
}
