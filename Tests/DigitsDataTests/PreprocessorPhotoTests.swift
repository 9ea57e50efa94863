import Foundation
import Testing
import DigitsCore
@testable import DigitsData

/// Synthetic phone photos: a digit drawn as strokes, on paper lit by a strong linear + quadratic
/// gradient, with seeded Gaussian noise and specks — harder than the two sample photos.
enum Photo {
    static let width = 300
    static let height = 400
    /// The digit's square in the photo: off-centre, and far from the corners where specks go.
    static let digitBox: (x: Float, y: Float, size: Float) = (70, 130, 170)
    static let two: [Drawing.Segment] = [
        ((0.2, 0.25), (0.35, 0.08)), ((0.35, 0.08), (0.65, 0.08)),
        ((0.65, 0.08), (0.8, 0.25)), ((0.8, 0.25), (0.2, 0.92)),
        ((0.2, 0.92), (0.85, 0.92))
    ]

    /// Stroke coverage in [0, 1] per pixel (rendered once per digit: rendering is the slow part).
    static func coverage(_ segments: [Drawing.Segment], thickness: Float = 0.09) -> [Float] {
        Drawing.render(segments, width: width, height: height, box: digitBox, thickness: thickness).pixels
    }

    static let twoCoverage = coverage(two)
    static let sevenCoverage = coverage(Drawing.seven)

    /// Paper brightness from 0.55 to 0.95: linear across, quadratic down the page.
    static func paper(x: Int, y: Int) -> Float {
        let across = Float(x) / Float(width - 1)
        let down = Float(y) / Float(height - 1)
        return 0.55 + 0.25 * across + 0.15 * down * down
    }

    /// Dark ink (reflecting 0.2 of the light) on the lit paper, or for `lightInk` the negative (chalk on a board).
    /// `noise` is σ of Gaussian noise; specks are 4 × 4 dots of ink near the four corners.
    static func image(
        coverage: [Float], lit: Bool = true, noise: Float = 0.03, specks: Bool = true,
        lightInk: Bool = false, seed: UInt64 = 7
    ) -> GrayImage {
        var generator = SeededGenerator(seed: seed)
        let speckCorners = [(12, 14), (280, 20), (16, 380), (276, 372)]
        var pixels = [Float](repeating: 0, count: width * height)
        for y in 0..<height {
            for x in 0..<width {
                let light = lit ? paper(x: x, y: y) : 0.9
                var ink = coverage[y * width + x]
                if specks && speckCorners.contains(where: { (0..<4).contains(x - $0.0) && (0..<4).contains(y - $0.1) }) { ink = 1 }
                var grey = light * (1 - 0.8 * ink)  // the light falls on ink too: ink reflects 0.2
                if noise > 0 { grey += noise * gaussian(&generator) }
                pixels[y * width + x] = lightInk ? 1 - grey : grey
            }
        }
        return GrayImage(width: width, height: height, pixels: pixels)
    }

    /// Standard normal by Box–Muller from the seeded generator.
    static func gaussian(_ generator: inout SeededGenerator) -> Float {
        let u1 = max(generator.nextUnitFloat(), 1e-7)
        let u2 = generator.nextUnitFloat()
        return (-2 * log(u1)).squareRoot() * cos(2 * Float.pi * u2)
    }
}

@Suite("Preprocessing photos: lighting gradient, noise, specks")
struct PreprocessorPhotoTests {
    let standard = Preprocessor()

    /// The same digit, same place, on clean uniform paper.
    func clean(_ coverage: [Float]) throws -> [Float] {
        try standard.process(Photo.image(coverage: coverage, lit: false, noise: 0, specks: false))
    }

    /// The ink box the photo path finds, in source pixels.
    func inkBox(_ image: GrayImage) -> InkBox? {
        var ink = [Float](repeating: 0, count: image.pixels.count)
        return image.pixels.withUnsafeBufferPointer { grey in
            ink.withUnsafeMutableBufferPointer { buffer in
                standard.photoInkImage(
                    grey: grey, width: image.width, height: image.height,
                    polarity: .auto, into: buffer)
            }
        }
    }

    /// Noise (σ 0.03 before stretching, about 0.04 after) and the soft noise floor thin and
    /// roughen the strokes a little, so "close" is a mean |difference| per output pixel under
    /// 0.05 — the tolerance of the placement tests is 0.06, and the control below shows a
    /// different digit is several times farther. Before the surface fit, the gradient alone made
    /// half of the page "ink" and the digit a blob.
    @Test(
        "a digit on lit, noisy, specked paper matches the same digit on clean paper, in both polarities",
        arguments: [false, true])
    func gradientNoiseSpecks(lightInk: Bool) throws {
        for (name, coverage) in [("two", Photo.twoCoverage), ("seven", Photo.sevenCoverage)] {
            let photo = Photo.image(coverage: coverage, lightInk: lightInk)
            let difference = meanAbsoluteDifference(try standard.process(photo), try clean(coverage))
            #expect(difference < 0.05, "\(name), light ink \(lightInk): mean |difference| \(difference)")
        }
    }

    @Test("control: the two and the seven on clean paper are far apart, so the tolerance above can fail")
    func differentDigitDiffers() throws {
        let difference = meanAbsoluteDifference(try clean(Photo.twoCoverage), try clean(Photo.sevenCoverage))
        #expect(difference > 0.15, "mean |difference| \(difference)")
    }

    @Test("specks far from the digit do not widen its box", arguments: [false, true])
    func specksDoNotWidenTheBox(lightInk: Bool) throws {
        let box = try #require(inkBox(Photo.image(coverage: Photo.twoCoverage, lightInk: lightInk)))
        let (x, y, size) = Photo.digitBox
        // The drawn strokes span 0.2…0.85 × 0.08…0.92 of the digit box, plus half a stroke (0.045).
        let slack: Float = 0.06 * size
        #expect(Float(box.minX) >= x + 0.2 * size - slack && Float(box.maxX) <= x + 0.85 * size + slack, "\(box)")
        #expect(Float(box.minY) >= y + 0.08 * size - slack && Float(box.maxY) <= y + 0.92 * size + slack, "\(box)")
        #expect(Float(box.maxX - box.minX) >= 0.6 * size && Float(box.maxY - box.minY) >= 0.8 * size, "\(box)")
    }

    /// A pen-drawn "!" on a clean 280 × 280 canvas: an 8-px stroke 140 px long and a 7 × 7 dot 30 px
    /// below it (a fifth of the glyph away, 1/26 of its ink). The standard settings keep the dot in
    /// the 16 × 16 — an empty row between the stroke and a dot in the last rows — so "not a digit"
    /// can be answered; the legacy settings (no in-line rule) dropped it as dust, leaving a 1 filling the
    /// frame's height.
    @Test func anExclamationMarkKeepsItsDot() throws {
        let (width, height) = (280, 280)
        var pixels = [Float](repeating: 1, count: width * height)
        for y in 66..<204 { for x in 130..<138 { pixels[y * width + x] = 0 } }
        for y in 233..<240 { for x in 131..<138 { pixels[y * width + x] = 0 } }
        let bang = GrayImage(width: width, height: height, pixels: pixels)
        func rows(_ settings: PreprocessingSettings) throws -> [Float] {
            let input = try Preprocessor(settings: settings).process(bang)
            return (0..<16).map { row in input[(row * 16)..<(row * 16 + 16)].max() ?? 0 }
        }
        let kept = try rows(.standard)
        let lastStroke = try #require(kept.indices.first { kept[$0] > 0.5 && kept[$0 + 1] < 0.1 })
        #expect(lastStroke <= 12, "the stroke ends above the dot: \(kept)")
        #expect(kept[(lastStroke + 2)...].contains { $0 > 0.5 }, "the dot: \(kept)")
        var legacy = PreprocessingSettings.standard
        legacy.photo = .legacy
        let dropped = try rows(legacy)
        #expect(dropped.allSatisfy { $0 > 0.5 }, "without the dot the stroke fills every row: \(dropped)")
    }

    @Test("a blank noisy photo with lighting gradient is blank, not a guess", arguments: [false, true])
    func blankNoisyPhoto(lightInk: Bool) {
        let empty = [Float](repeating: 0, count: Photo.width * Photo.height)
        let photo = Photo.image(coverage: empty, specks: false, lightInk: lightInk, seed: 11)
        #expect(caught(PreprocessingError.self) { try standard.process(photo) } == .blankImage(index: nil, threshold: 0.1))
    }

    /// A felt marker: strokes a third of the digit's size wide. A local background filter
    /// (max/percentile over a window narrower than the stroke) would take the stroke's middle
    /// for paper and hollow it; the surface fit cannot.
    @Test("a thick marker digit keeps its filled strokes")
    func thickMarkerStaysFilled() throws {
        let coverage = Photo.coverage(Drawing.seven, thickness: 0.3)
        let photo = try standard.process(Photo.image(coverage: coverage))
        let reference = try clean(coverage)
        #expect(meanAbsoluteDifference(photo, reference) < 0.05)
        let solid = photo.filter { $0 > 0.7 }.count
        let solidReference = reference.filter { $0 > 0.7 }.count
        #expect(solid >= solidReference * 9 / 10, "\(solid) solid output pixels, clean: \(solidReference)")
        // The middle of the top bar (rows 1…2 of the frame, columns 5…10) is ink throughout.
        let bar = (1...2).flatMap { row in (5...10).map { photo[row * 16 + $0] } }
        #expect(bar.allSatisfy { $0 > 0.7 }, "\(bar)")
    }

    /// A bold 0 cropped tight: its ring covers a third of the picture (asserted below), leaving a
    /// margin of paper a few pixels wide.
    /// The paper surface is anchored on the picture's border, so the ring cannot pull the fit
    /// towards the ink; an earlier whole-image fit turned such a 0's hole into the "ink" and read it
    /// as a 1 (found by tools/photo-robustness.py on USPS digits dressed as pencil drawings).
    @Test("a bold digit filling much of a tightly cropped, lit photo keeps its shape", arguments: [false, true])
    func boldDigitCroppedTight(lightInk: Bool) throws {
        let (width, height) = (120, 130)
        let ring: [Drawing.Segment] = (0..<12).map { k in
            func point(_ k: Int) -> (x: Float, y: Float) {
                let angle = Float(k) * Float.pi / 6
                return (0.5 + 0.3 * cos(angle), 0.5 + 0.33 * sin(angle))
            }
            return (point(k), point(k + 1))
        }
        let coverage = Drawing.render(ring, width: width, height: height, box: (10, 15, 100), thickness: 0.25).pixels
        let inkShare = coverage.reduce(0, +) / Float(coverage.count)
        #expect(inkShare > 0.3, "the ring should cover much of the picture, covers \(inkShare)")
        func picture(lit: Bool, noise: Float) -> GrayImage {
            var generator = SeededGenerator(seed: 5)
            var pixels = [Float](repeating: 0, count: width * height)
            for y in 0..<height {
                for x in 0..<width {
                    let across: Float = Float(x) / Float(width - 1)
                    let down: Float = Float(y) / Float(height - 1)
                    let light: Float = lit ? 0.55 + 0.3 * across + 0.1 * down * down : 0.9
                    var grey = light * (1 - 0.8 * coverage[y * width + x])
                    if noise > 0 { grey += noise * Photo.gaussian(&generator) }
                    pixels[y * width + x] = lightInk ? 1 - grey : grey
                }
            }
            return GrayImage(width: width, height: height, pixels: pixels)
        }
        let photo = try standard.process(picture(lit: true, noise: 0.02))
        let reference = try standard.process(picture(lit: false, noise: 0))
        // 0.08 rather than the 0.05 of the thinner digits: ink is measured as a difference from the
        // paper, not a ratio, so on the shaded side the bold strokes come out greyer (≈ 0.07 here).
        // The shape is what this test is about, checked next; the whole-image fit scored 0.34, with no hole.
        #expect(meanAbsoluteDifference(photo, reference) < 0.08)
        // The hole stays paper and the ring stays ink: centre dark, left and right sides of the ring bright.
        let centre: [Float] = [photo[7 * 16 + 7], photo[7 * 16 + 8], photo[8 * 16 + 7], photo[8 * 16 + 8]]
        #expect(centre.allSatisfy { $0 < 0.2 }, "hole: \(centre)")
        var sides: [Float] = []
        for row in 6...9 { sides += [photo[row * 16 + 1], photo[row * 16 + 14]] }
        #expect(sides.allSatisfy { $0 > 0.5 }, "ring: \(sides)")
    }

    /// Chalk-like light strokes on a black ground, cropped so tight that the 7's bar runs along the
    /// top edge (the robustness suite's tight crops: a light 7 and a 9 whose loop touches three edges
    /// were refused). The least-squares start of the paper fit bent up to the bar, so the paper under
    /// it turned into a wide "ink" band (legacy settings, checked below); the flat start keeps the
    /// paper black and the 7 a 7.
    @Test("a tight crop whose bar runs along the top edge keeps its paper (the paper fit's flat start)")
    func tightCropAlongAnEdge() throws {
        let (width, height) = (70, 90)
        let crop = Drawing.render(Drawing.seven, width: width, height: height, box: (-4, -2, 96), thickness: 0.08)
        /// The bar (rows 0…1, columns 3…12 of the frame) and the paper left of the diagonal below it.
        func barAndPaper(_ settings: PreprocessingSettings) throws -> (bar: [Float], paper: [Float]) {
            let read = try Preprocessor(settings: settings).process(crop)
            return (
                (0...1).flatMap { row in (3...12).map { read[row * 16 + $0] } },
                (8...15).flatMap { row in (0...4).map { read[row * 16 + $0] } }
            )
        }
        let read = try barAndPaper(.standard)
        #expect(read.bar.allSatisfy { $0 > 0.5 }, "bar: \(read.bar)")
        #expect(read.paper.allSatisfy { $0 < 0.1 }, "paper: \(read.paper)")
        var legacy = PreprocessingSettings.standard
        legacy.photo.flatStartQuantile = nil
        let bent = try barAndPaper(legacy)
        #expect(bent.bar.filter { $0 > 0.5 }.count < bent.bar.count / 2, "without the flat start, the bar: \(bent.bar)")
    }

    @Test("the photo path starts at a shorter side of 48 pixels; MNIST and USPS sizes stay below it")
    func photoSizeRule() throws {
        #expect(!Preprocessor.isPhotoSized(width: 47, height: 300))
        #expect(!Preprocessor.isPhotoSized(width: 28, height: 28))
        #expect(Preprocessor.isPhotoSized(width: 48, height: 48))
    }
}
