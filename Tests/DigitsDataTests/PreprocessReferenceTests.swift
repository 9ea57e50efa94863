import Foundation
import Testing
@testable import DigitsData

/// `tools/preprocess_reference.py` (numpy) reproduces the 256 inputs from an image and the recorded
/// settings alone: what a port in another language needs. Run through `python3`; skipped, with the
/// reason shown, when python3 or numpy is missing.
@Suite("The Python reference reproduces the preprocessing",
       .enabled(if: PythonReference.available, "python3 with numpy not found: the Python reference is not compared"))
struct PreprocessReferenceTests {
    /// Both sides compute in Float32 in the same order, except a few sums (numpy's are pairwise,
    /// Swift's sequential) and the stroke width's mean, so values agree to a few ulps; 1e-4 on a
    /// 0…1 scale leaves room for that and nothing else (a misplaced pixel differs by ≥ 0.01).
    static let tolerance: Float = 1e-4

    static var thinPenSettings: PreprocessingSettings {
        var settings = PreprocessingSettings.standard
        settings.photo.minimumSide = 10_000  // the small path, which the reference implements, for a big canvas
        return settings
    }

    static var massResize: PreprocessingSettings {
        var settings = PreprocessingSettings.standard
        settings.centring = .mass
        return settings
    }

    static var resizeFrame: PreprocessingSettings {
        var settings = PreprocessingSettings.standard
        settings.framing = .resizeFrame
        settings.strokeWidth = 3
        return settings
    }

    static let cases: [(name: String, image: GrayImage, settings: PreprocessingSettings)] = [
        ("MNIST-like 7, standard", Drawing.render(Drawing.seven, width: 28, height: 28, box: (4, 4, 20)), .standard),
        ("MNIST-like 7, version-1 settings", Drawing.render(Drawing.seven, width: 28, height: 28, box: (4, 4, 20)), .version1),
        ("thin dark 1 on paper, auto polarity", Drawing.render(Drawing.one, width: 44, height: 40, box: (6, 2, 36),
                                                                  thickness: 0.03, paper: 0.9, ink: 0.2), .standard),
        ("2-px pen on a 280 × 280 canvas", Drawing.render(Drawing.seven, width: 280, height: 280, box: (40, 30, 200),
                                                          thickness: 0.01), thinPenSettings),
        ("thin L, mass centring", Drawing.render(Drawing.ell, width: 40, height: 36, box: (3, 5, 28), thickness: 0.04), massResize),
        ("thin 7, resize-frame", Drawing.render(Drawing.seven, width: 30, height: 24, box: (2, 1, 22), thickness: 0.05), resizeFrame),
    ]

    @Test("the reference matches Swift", arguments: cases.indices)
    func matches(index: Int) throws {
        let (name, image, settings) = Self.cases[index]
        let directory = try TemporaryDirectory()
        let imagePath = directory.file("image.pgm")
        let settingsPath = directory.file("settings.json")
        try writePGM(image, to: imagePath)
        try JSONEncoder().encode(settings).write(to: URL(fileURLWithPath: settingsPath))
        // The image the reference reads is the PGM's bytes, so Swift processes the same bytes.
        let quantised = GrayImage(width: image.width, height: image.height,
                                  pixels: image.pixels.map { Float(UInt8(($0 * 255).rounded())) / 255 })
        let swift = try Preprocessor(settings: settings).process(quantised)
        let output = try PythonReference.run(["--settings", settingsPath, imagePath])
        let python = output.split(whereSeparator: \.isWhitespace).compactMap { Float($0) }
        try #require(python.count == 256, "\(name): the reference printed \(output)")
        let worst = zip(swift, python).map { abs($0 - $1) }.max() ?? .infinity
        #expect(worst < Self.tolerance, "\(name): largest difference \(worst)")
        // Guard: the case exercises something (ink landed in the frame).
        #expect(swift.max() == 1, "\(name)")
    }

    @Test("the reference refuses a photo-sized image rather than guess")
    func refusesPhotos() throws {
        let directory = try TemporaryDirectory()
        try writePGM(Drawing.render(Drawing.one, width: 60, height: 60, box: (5, 5, 50)), to: directory.file("photo.pgm"))
        try JSONEncoder().encode(PreprocessingSettings.standard).write(to: URL(fileURLWithPath: directory.file("s.json")))
        #expect(throws: PythonReference.Failed.self) {
            try PythonReference.run(["--settings", directory.file("s.json"), directory.file("photo.pgm")])
        }
    }
}

/// Running tools/preprocess_reference.py.
enum PythonReference {
    struct Failed: Error { let message: String }

    static let script = "\(repositoryRoot)/tools/preprocess_reference.py"

    static let available: Bool = (try? launch(["-c", "import numpy"])) != nil

    @discardableResult
    static func run(_ arguments: [String]) throws -> String { try launch([script] + arguments) }

    private static func launch(_ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3"] + arguments
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        let errorData = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw Failed(message: String(decoding: errorData, as: UTF8.self))
        }
        return String(decoding: data, as: UTF8.self)
    }
}

/// An 8-bit binary PGM: grey byte = round(value · 255).
func writePGM(_ image: GrayImage, to path: String) throws {
    var data = Data("P5\n\(image.width) \(image.height)\n255\n".utf8)
    data.append(contentsOf: image.pixels.map { UInt8((min(max($0, 0), 1) * 255).rounded()) })
    try data.write(to: URL(fileURLWithPath: path))
}
