import Foundation
import Testing
import DigitsCore
@testable import DigitsData

/// Draws digits as thick anti-aliased strokes (4 × 4 supersampling), so the same digit can be
/// placed anywhere, at any size, in either polarity.
enum Drawing {
    typealias Segment = (from: (x: Float, y: Float), to: (x: Float, y: Float))
    /// Stroke ends in the unit square of the digit's box.
    static let seven: [Segment] = [((0.15, 0.05), (0.85, 0.05)), ((0.85, 0.05), (0.45, 0.95))]
    static let one: [Segment] = [((0.5, 0.05), (0.5, 0.95)), ((0.5, 0.05), (0.35, 0.2))]
    static let ell: [Segment] = [((0.2, 0.05), (0.2, 0.95)), ((0.2, 0.95), (0.8, 0.95))]

    /// `box` is the digit's square in image pixels; the stroke is `thickness` × box size wide.
    /// Ink is 1 − paper-contrast... simply: light ink is `ink` on `paper` (both grey levels).
    static func render(
        _ segments: [Segment], width: Int, height: Int,
        box: (x: Float, y: Float, size: Float), thickness: Float = 0.09,
        paper: Float = 0, ink: Float = 1
    ) -> GrayImage {
        var pixels = [Float](repeating: paper, count: width * height)
        let samples = 4
        for row in 0..<height {
            for column in 0..<width {
                var covered = 0
                for sy in 0..<samples {
                    for sx in 0..<samples {
                        let x = (Float(column) + (Float(sx) + 0.5) / Float(samples) - box.x) / box.size
                        let y = (Float(row) + (Float(sy) + 0.5) / Float(samples) - box.y) / box.size
                        if segments.contains(where: { distance((x, y), $0) < thickness / 2 }) { covered += 1 }
                    }
                }
                let coverage = Float(covered) / Float(samples * samples)
                pixels[row * width + column] = paper + (ink - paper) * coverage
            }
        }
        return GrayImage(width: width, height: height, pixels: pixels)
    }

    private static func distance(_ p: (Float, Float), _ s: Segment) -> Float {
        let (dx, dy) = (s.to.x - s.from.x, s.to.y - s.from.y)
        let t = max(0, min(1, ((p.0 - s.from.x) * dx + (p.1 - s.from.y) * dy) / (dx * dx + dy * dy)))
        return hypot(p.0 - (s.from.x + t * dx), p.1 - (s.from.y + t * dy))
    }
}

func meanAbsoluteDifference(_ a: [Float], _ b: [Float]) -> Float {
    zip(a, b).map { abs($0 - $1) }.reduce(0, +) / Float(a.count)
}

@Suite("Preprocessing to 16 × 16")
struct PreprocessorTests {
    let standard = Preprocessor()

    /// The seven drawn large and centred in a 64 × 64 white-ink-on-black frame.
    var reference: [Float] {
        get throws { try standard.process(Drawing.render(Drawing.seven, width: 64, height: 64, box: (8, 8, 48))) }
    }

    /// Placements that must all give (nearly) the reference: off-centre, small, large, tiny frames,
    /// non-square frames. Resampling a stroke at different scales blurs it differently, so
    /// "nearly" is a mean absolute difference per pixel (on a 0…1 scale) under 0.07 (0.06 before
    /// stroke normalisation; the digit enlarged from 12 pixels, whose 1-pixel stroke is thickened at
    /// its own coarse resolution, measures 0.064); the control test below shows a different digit is
    /// several times farther away.
    static let placements: [(name: String, width: Int, height: Int, box: (x: Float, y: Float, size: Float))] = [
        ("off-centre top left", 64, 64, (2, 1, 30)),
        ("off-centre bottom right", 64, 64, (30, 33, 30)),
        ("small in a big frame", 200, 120, (150, 70, 20)),
        ("larger than the reference", 300, 300, (10, 40, 250)),
        ("MNIST-like 20 in 28", 28, 28, (4, 4, 20)),
        ("enlarged from 12 pixels", 40, 40, (25, 3, 12))
    ]

    @Test(
        "the same digit placed off-centre and at several scales gives nearly the same 16 × 16",
        arguments: placements.indices)
    func placementInvariance(index: Int) throws {
        let placement = Self.placements[index]
        let image = Drawing.render(Drawing.seven, width: placement.width, height: placement.height, box: placement.box)
        let difference = meanAbsoluteDifference(try standard.process(image), try reference)
        #expect(difference < 0.07, "\(placement.name): mean |difference| \(difference)")
    }

    @Test("control: a different digit is far from the reference, so the tolerance above can fail")
    func differentDigitDiffers() throws {
        let one = try standard.process(Drawing.render(Drawing.one, width: 64, height: 64, box: (8, 8, 48)))
        #expect(meanAbsoluteDifference(one, try reference) > 0.15)
    }

    @Test("either polarity: dark ink on paper gives exactly what light ink on black gives")
    func polarity() throws {
        let light = Drawing.render(Drawing.seven, width: 50, height: 40, box: (10, 2, 34))
        let dark = GrayImage(width: light.width, height: light.height, pixels: light.pixels.map { 1 - $0 })
        let fromLight = try standard.process(light)
        let fromDark = try standard.process(dark)
        #expect(zip(fromLight, fromDark).allSatisfy { abs($0 - $1) < 1e-6 })
        // Forced to the wrong polarity, the known background (black) is trusted, not guessed:
        // the white paper is all ink, so it fills the fitted box.
        let forced = try Preprocessor(settings: with(\.polarity, .lightInk)).process(dark)
        #expect(forced.filter { $0 > 0.99 }.count > 128)
    }

    @Test("low contrast (grey pencil on off-white paper) is stretched to full contrast")
    func contrast() throws {
        // Without stroke normalisation, whose core (ink above half the strongest) flips on pixels
        // whose coverage is exactly ½ when the grey levels change: this is about stretching alone.
        let stretchOnly = Preprocessor(settings: .version1)
        let faint = Drawing.render(Drawing.seven, width: 64, height: 64, box: (8, 8, 48), paper: 0.85, ink: 0.55)
        let white = Drawing.render(Drawing.seven, width: 64, height: 64, box: (8, 8, 48))
        #expect(meanAbsoluteDifference(try stretchOnly.process(faint), try stretchOnly.process(white)) < 0.01)
    }

    /// A USPS-style digit: 16 rows tall, 10 columns wide at columns 3…12 (centred), light on dark.
    static let boxFilling: GrayImage = {
        var pixels = [Float](repeating: 0, count: 256)
        for row in 0..<16 {
            for column in 3...12 {
                let ring = (row == 0 || row == 15) ? (5...10).contains(column) : (column <= 4 || column >= 11)
                if ring { pixels[row * 16 + column] = row % 3 == 0 ? 0.6 : 1 }
            }
        }
        return GrayImage(width: 16, height: 16, pixels: pixels)
    }()

    @Test("a 16 × 16 digit that already fills its box is left unchanged")
    func boxFillingUnchanged() throws {
        let output = try standard.process(Self.boxFilling)
        #expect(zip(output, Self.boxFilling.pixels).allSatisfy { abs($0 - $1) < 1e-6 })
    }

    @Test("a tall thin 1 keeps its aspect ratio: full height, narrow, centred")
    func tallThinOne() throws {
        let image = Drawing.render(Drawing.one, width: 100, height: 100, box: (5, 5, 90), thickness: 0.1)
        let output = try standard.process(image)
        let inkColumns = (0..<16).filter { column in (0..<16).contains { output[$0 * 16 + column] > 0.1 } }
        let inkRows = (0..<16).filter { row in (0..<16).contains { output[row * 16 + $0] > 0.1 } }
        #expect(inkRows == Array(0..<16))
        #expect(inkColumns.count <= 6, "columns \(inkColumns)")
        let centre = Float(inkColumns.first ?? 0) + Float(inkColumns.count) / 2
        #expect(abs(centre - 8) <= 1)
    }

    @Test("mass centring puts the centre of mass in the middle; box centring the box")
    func centring() throws {
        // An L: its mass leans left of its box. Target box 12 leaves room to move.
        let image = Drawing.render(Drawing.ell, width: 60, height: 60, box: (5, 5, 50))
        func columnCentre(_ output: [Float]) -> Float {
            var (mass, moment): (Float, Float) = (0, 0)
            for (index, value) in output.enumerated() {
                mass += value
                moment += value * (Float(index % 16) + 0.5)
            }
            return moment / mass
        }
        let byMass = try Preprocessor(settings: with(\.centring, .mass, targetBoxSize: 12)).process(image)
        let byBox = try Preprocessor(settings: with(\.centring, .box, targetBoxSize: 12)).process(image)
        #expect(abs(columnCentre(byMass) - 8) <= 0.5)
        #expect(columnCentre(byBox) < 7.5)
    }

    @Test("resize-frame scales the whole image: a 32 × 32 half-inked frame becomes half-inked 16 × 16")
    func resizeFrame() throws {
        let pixels: [Float] = (0..<1024).map { $0 % 32 < 10 ? 1 : 0 }  // ink in columns 0…9
        let image = GrayImage(width: 32, height: 32, pixels: pixels)
        let output = try Preprocessor(settings: with(\.framing, .resizeFrame)).process(image)
        // Output column c covers source columns 2c, 2c+1: columns 0…4 full ink, the rest none.
        let expected: [Float] = (0..<256).map { $0 % 16 < 5 ? 1 : 0 }
        #expect(output == expected)
        // fit-ink instead crops to the 10 × 32 ink, fits its height (scale ½: 5 columns wide)
        // and centres the box at 5.5…10.5: columns 6…9 full, 5 and 10 half covered.
        let fitted = try standard.process(image)
        #expect(
            fitted
                == (0..<256).map { index -> Float in
                    switch index % 16 {
                    case 6...9: 1
                    case 5, 10: 0.5
                    default: 0
                    }
                })
    }

    @Test("area averaging when shrinking: a one-pixel checkerboard shrinks to even grey")
    func areaAveraging() throws {
        let pixels: [Float] = (0..<(64 * 64)).map { index in (index / 64 + index % 64) % 2 == 0 ? 0 : 1 }
        var settings = with(\.framing, .resizeFrame, polarity: .lightInk)
        settings.renormaliseContrast = false  // which would make the even grey 1,
        settings.strokeWidth = nil  // as would thickening the one-pixel "strokes"
        let output = try Preprocessor(settings: settings).process(GrayImage(width: 64, height: 64, pixels: pixels))
        #expect(output.allSatisfy { abs($0 - 0.5) < 1e-6 })
    }

    @Test(
        "blank images are an error, not a guess",
        arguments: [Float(0), 1, 0.5])
    func blank(level: Float) {
        let image = GrayImage(width: 20, height: 10, pixels: Array(repeating: level, count: 200))
        #expect(caught(PreprocessingError.self) { try standard.process(image) } == .blankImage(index: nil, threshold: 0.1))
    }

    @Test("faint noise under the threshold is blank too")
    func faintNoise() {
        let pixels: [Float] = (0..<400).map { index in Float((index * 7919) % 13) / 13 * 0.09 }
        let image = GrayImage(width: 20, height: 20, pixels: pixels)
        #expect(caught(PreprocessingError.self) { try standard.process(image) } == .blankImage(index: nil, threshold: 0.1))
    }

    @Test("settings out of range are refused")
    func invalidSettings() {
        let image = Self.boxFilling
        for settings in [with(\.targetBoxSize, 0), with(\.targetBoxSize, 17), with(\.inkThreshold, 1), with(\.inkThreshold, -0.1)] {
            guard case .invalidSettings = caught(PreprocessingError.self, { try Preprocessor(settings: settings).process(image) }) else {
                Issue.record("accepted \(settings)")
                continue
            }
        }
    }

    @Test("settings encode with readable names for the model file, and decode back equal")
    func settingsCodable() throws {
        let json = try JSONEncoder().encode(PreprocessingSettings.standard)
        let text = String(decoding: json, as: UTF8.self)
        #expect(text.contains("\"fit-ink\"") && text.contains("\"box\"") && text.contains("\"auto\""))
        #expect(try JSONDecoder().decode(PreprocessingSettings.self, from: json) == .standard)
        let other = with(\.framing, .resizeFrame, polarity: .darkInk)
        #expect(try JSONDecoder().decode(PreprocessingSettings.self, from: JSONEncoder().encode(other)) == other)
    }

    @Test(
        "the data-set path gives exactly what processing each image alone gives",
        arguments: [false, true])
    func datasetPathIsTheSamePath(floats: Bool) throws {
        let drawn = [
            Drawing.render(Drawing.seven, width: 28, height: 28, box: (4, 4, 20)),
            Drawing.render(Drawing.one, width: 28, height: 28, box: (1, 6, 18)),
            Drawing.render(Drawing.ell, width: 28, height: 28, box: (8, 2, 14))
        ]
        let bytes = drawn.flatMap { $0.pixels.map { UInt8(($0 * 255).rounded()) } }
        let pixels: LabeledImages.Pixels = floats ? .floats(bytes.map { Float($0) / 255 }) : .bytes(bytes)
        let images = LabeledImages(rows: 28, columns: 28, pixels: pixels, labels: [7, 1, 4])
        let matrix = try standard.inputs(for: images)
        #expect(matrix.shape == (3, 256))
        for index in 0..<3 {
            let alone = try Preprocessor(settings: with(\.polarity, .lightInk)).process(images.image(at: index))
            #expect(matrix.row(index) == alone)
        }
    }

    @Test("a blank image inside a data set is reported with its index")
    func blankInDataset() {
        var bytes = [UInt8](repeating: 0, count: 3 * 16)
        bytes[5] = 255
        bytes[40] = 255
        let images = LabeledImages(rows: 4, columns: 4, pixels: .bytes(bytes), labels: [1, 2, 3])
        #expect(caught(PreprocessingError.self) { try standard.inputs(for: images) } == .blankImage(index: 1, threshold: 0.1))
    }

    @Test("a data set carries on past blank images: listed by index, rows 0, the others as alone")
    func blankImagesListed() throws {
        var bytes = [UInt8](repeating: 0, count: 4 * 16)
        bytes[5] = 255
        bytes[40] = 255
        bytes[36] = 200
        let images = LabeledImages(rows: 4, columns: 4, pixels: .bytes(bytes), labels: [1, 2, 3, 4])
        let processed = try standard.processed(images)
        #expect(processed.blank == [1, 3])
        #expect(processed.inputs.row(1).allSatisfy { $0 == 0 } && processed.inputs.row(3).allSatisfy { $0 == 0 })
        let polarity = with(\.polarity, .lightInk)
        #expect(processed.inputs.row(0) == (try Preprocessor(settings: polarity).process(images.image(at: 0))))
        #expect(processed.inputs.row(2) == (try Preprocessor(settings: polarity).process(images.image(at: 2))))
    }

    /// A binarised 16 × 16 "0" whose thick strokes fill the frame: most of its border is ink, so
    /// the border's median grey is the ink's — the old rule called it blank.
    static let frameFillingZero: [UInt8] = (0..<256).map { index in
        let (x, y) = (index % 16, index / 16)
        let ring = x < 5 || x > 10 || y < 4 || y > 11
        return ring ? 255 : 0
    }

    @Test(
        "a frame-filling binarised digit of a data set (known polarity) is read, not blank",
        arguments: [false, true])
    func frameFillingDigit(declaredInSettings: Bool) throws {
        let images = LabeledImages(
            rows: 16, columns: 16, pixels: .bytes(Self.frameFillingZero), labels: [0],
            inkPolarity: declaredInSettings ? .auto : .lightInk)
        let settings = declaredInSettings ? with(\.polarity, .lightInk) : .standard
        let processed = try Preprocessor(settings: settings).processed(images)
        #expect(processed.blank.isEmpty)
        // Already at output size and filling it: copied as it is.
        #expect(processed.inputs.row(0) == Self.frameFillingZero.map { Float($0) / 255 })
        // The old rule, the border's median as background with the polarity known, found no ink.
        #expect(Self.frameFillingZero.filter { $0 == 255 }.count > 128)
    }

    @Test("validate() is the one check of the bounds; the preprocessor refuses what it refuses")
    func validateIsPublic() {
        #expect(throws: Never.self) { try PreprocessingSettings.standard.validate() }
        #expect(throws: PreprocessingError.invalidSettings("target box size 0 is outside 1…16")) {
            try with(\.targetBoxSize, 0).validate()
        }
        #expect(throws: PreprocessingError.invalidSettings("ink threshold nan is outside [0, 1)")) {
            try with(\.inkThreshold, .nan).validate()
        }
    }

    @Test("a digit saved from a drawing app (black on transparent, 40 × 60) matches the same digit MNIST-style")
    func pngEndToEnd() throws {
        // Version-1 settings: this is about reading the PNG (alpha over white, polarity); stroke
        // normalisation thickens the two fixtures' different pens differently (0.052 apart).
        let steps = Preprocessor(settings: .version1)
        let drawn = try steps.process(PNGReader.read(fixture("seven-on-transparent.png")))
        let mnistStyle = try steps.process(PNGReader.read(fixture("seven-light-on-dark.png")))
        let difference = meanAbsoluteDifference(drawn, mnistStyle)
        #expect(difference < 0.03, "mean |difference| \(difference)")  // measured 0.017
    }

    @Test(
        "USPS, when present, passes through the standard path essentially unchanged",
        .enabled(if: RealData.hasUSPS, "USPS absent: expected in ../shared/data/usps"))
    func uspsUnchanged() throws {
        let images = try Datasets.load(.usps, split: .test, searchDirectories: RealData.uspsDirectories)
        let matrix = try standard.inputs(for: images)
        guard case .bytes(let raw) = images.pixels else {
            Issue.record("USPS should be bytes")
            return
        }
        let original = raw.map { Float($0) / 255 }
        let difference = meanAbsoluteDifference(matrix.elements, original)
        var unchanged = 0
        for index in 0..<images.count {
            let row = index * 256..<(index + 1) * 256
            if zip(matrix.elements[row], original[row]).allSatisfy({ abs($0 - $1) < 1e-6 }) { unchanged += 1 }
        }
        let fraction = Float(unchanged) / Float(images.count)
        // Measured: 0.0024 and 97 % unchanged; the rest are digits whose faint edge rows fall
        // under the ink threshold, so their box is a little smaller and they are enlarged a little.
        #expect(difference < 0.01, "mean |difference| \(difference)")
        #expect(fraction > 0.95, "unchanged: \(fraction)")
    }
}

/// The standard settings with some fields changed.
func with<A>(
    _ path: WritableKeyPath<PreprocessingSettings, A>, _ value: A,
    targetBoxSize: Int? = nil, polarity: PreprocessingSettings.Polarity? = nil
) -> PreprocessingSettings {
    var settings = PreprocessingSettings.standard
    settings[keyPath: path] = value
    if let targetBoxSize { settings.targetBoxSize = targetBoxSize }
    if let polarity { settings.polarity = polarity }
    return settings
}
