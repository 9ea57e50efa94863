import DigitsTestSupport
import Foundation
import Testing
@testable import DigitsData

/// `tools/preprocess_reference.py` (numpy) reproduces the 256 inputs from an image and the recorded
/// settings alone, photo path included: what a port in another language needs. Run through `python3`; skipped, with the
/// reason shown, when python3 or numpy is missing.
@Suite(
    "The Python reference reproduces the preprocessing",
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

    static let darkThinPen: GrayImage = {
        let light = Drawing.render(Drawing.seven, width: 280, height: 280, box: (40, 30, 200), thickness: 0.01)
        return GrayImage(width: 280, height: 280, pixels: light.pixels.map { 1 - $0 })
    }()

    /// A grey pencil 4 on paper lit from the left (a 0.25 gradient), with deterministic grain
    /// and a dark speck far from the digit, 96 × 80.
    static let photo: GrayImage = {
        let drawn = Drawing.render(Drawing.ell, width: 96, height: 80, box: (20, 10, 56), thickness: 0.06)
        let pixels = drawn.pixels.enumerated().map { index, ink -> Float in
            let (x, y) = (index % 96, index / 96)
            let paper = 0.95 - 0.25 * Float(x) / 96 + 0.03 * Float((index &* 2_654_435_761) % 97) / 97
            let speck: Float = (88...89).contains(x) && (70...71).contains(y) ? 0.5 : 0
            return paper - 0.55 * ink - speck
        }
        return GrayImage(width: 96, height: 80, pixels: pixels)
    }()

    /// A pen-drawn "!" on clean paper, 100 × 100: its dot (36 px against the stroke's 300) lies 10 px
    /// below the 50-px stroke — beyond the speck margin (50/8), within the in-line rule's (50/3).
    static let bang: GrayImage = {
        let pixels = (0..<10_000).map { index -> Float in
            let (x, y) = (index % 100, index / 100)
            return (46...51).contains(x) && ((15...64).contains(y) || (74...79).contains(y)) ? 0.1 : 0.95
        }
        return GrayImage(width: 100, height: 100, pixels: pixels)
    }()

    /// A light 7 on black cropped tight, its bar along the top edge: the paper fit's flat start.
    static let tightSeven = Drawing.render(Drawing.seven, width: 70, height: 90, box: (-4, -2, 96), thickness: 0.08)

    static var oneFitStart: PreprocessingSettings {
        var settings = PreprocessingSettings.standard
        settings.photo.flatStartQuantile = nil
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
        (
            "thin dark 1 on paper, auto polarity",
            Drawing.render(
                Drawing.one, width: 44, height: 40, box: (6, 2, 36),
                thickness: 0.03, paper: 0.9, ink: 0.2), .standard
        ),
        (
            "2-px pen on a 280 × 280 canvas",
            Drawing.render(
                Drawing.seven, width: 280, height: 280, box: (40, 30, 200),
                thickness: 0.01), thinPenSettings
        ),
        ("2-px pen on a 280 × 280 canvas, dark on white: the photo path", darkThinPen, .standard),
        ("a photo: lit paper, noise, a speck", photo, .standard),
        ("a photo, version-1 settings", photo, .version1),
        ("a pen-drawn ! on clean paper: its dot kept in line", bang, .standard),
        ("a pen-drawn ! on clean paper, version-1 settings: its dot dropped", bang, .version1),
        ("a light 7 cropped tight, its bar along the top edge: the flat start", tightSeven, .standard),
        ("the same without the flat start: the bent fit", tightSeven, oneFitStart),
        ("thin L, mass centring", Drawing.render(Drawing.ell, width: 40, height: 36, box: (3, 5, 28), thickness: 0.04), massResize),
        ("thin 7, resize-frame", Drawing.render(Drawing.seven, width: 30, height: 24, box: (2, 1, 22), thickness: 0.05), resizeFrame)
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
        let quantised = GrayImage(
            width: image.width, height: image.height,
            pixels: image.pixels.map { Float(UInt8(($0 * 255).rounded())) / 255 })
        let swift = try Preprocessor(settings: settings).process(quantised)
        let output = try PythonReference.run(["--settings", settingsPath, imagePath])
        let python = output.split(whereSeparator: \.isWhitespace).compactMap { Float($0) }
        try #require(python.count == 256, "\(name): the reference printed \(output)")
        let worst = zip(swift, python).map { abs($0 - $1) }.max() ?? .infinity
        #expect(worst < Self.tolerance, "\(name): largest difference \(worst)")
        // Guard: the case exercises something (ink landed in the frame).
        #expect(swift.max()! > 0.5, "\(name)")
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
