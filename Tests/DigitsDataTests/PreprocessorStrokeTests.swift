import Foundation
import Testing
@testable import DigitsData

@Suite("Stroke-width and contrast normalisation")
struct PreprocessorStrokeTests {
    /// The settings JSON of the shipped version-1 model, as written in its file.
    static let version1JSON =
        #"{"centring":"box","framing":"fit-ink","inkThreshold":0.1,"polarity":"auto","stretchContrast":true,"targetBoxSize":16}"#

    @Test("a model written before the new settings decodes with them off, so it keeps its behaviour")
    func oldModelsDecodeOff() throws {
        let decoded = try JSONDecoder().decode(PreprocessingSettings.self, from: Data(Self.version1JSON.utf8))
        #expect(decoded == .version1)
        #expect(decoded.strokeWidth == nil && !decoded.renormaliseContrast && decoded.photo == .legacy)
        // The new defaults are recorded in full, photo constants included, and read back equal.
        let text = String(decoding: try JSONEncoder().encode(PreprocessingSettings.standard), as: UTF8.self)
        for key in ["\"strokeWidth\":2", "\"renormaliseContrast\":true", "\"photo\":{", "\"minimumSide\":48"] {
            #expect(text.contains(key), "\(key) missing from \(text)")
        }
        #expect(try JSONDecoder().decode(PreprocessingSettings.self, from: Data(text.utf8)) == .standard)
    }

    @Test("out-of-range stroke and photo settings are refused by validate()")
    func bounds() {
        var settings = PreprocessingSettings.standard
        for width: Float in [0, -1, 4.5, .nan] {
            settings.strokeWidth = width
            #expect(throws: PreprocessingError.self) { try settings.validate() }
        }
        settings.strokeWidth = 4
        #expect(throws: Never.self) { try settings.validate() }
        settings.photo.histogramBins = 1
        #expect(throws: PreprocessingError.invalidSettings("photo histogram bins 1 is outside 2…65536")) { try settings.validate() }
    }

    /// The same seven, once as MNIST draws it (a 2.5-px stroke in a 20-px box on 28 × 28) and once
    /// with a 2.8-px pen on a 280 × 280 canvas (1 % of a 280-px box) — dark ink on white, as a
    /// drawing app saves it.
    static let mnistSeven = Drawing.render(Drawing.seven, width: 28, height: 28, box: (4, 4, 20), thickness: 0.125)
    static let thinPenSeven: GrayImage = {
        let light = Drawing.render(Drawing.seven, width: 280, height: 280, box: (20, 20, 240), thickness: 0.0117)
        return GrayImage(width: 280, height: 280, pixels: light.pixels.map { 1 - $0 })
    }()

    @Test("a thin pen on a big canvas comes out like MNIST's stroke, where it used to be a faint ghost")
    func thinPen() throws {
        let reference = try Preprocessor().process(Self.mnistSeven)
        let now = try Preprocessor().process(Self.thinPenSeven)
        let before = try Preprocessor(settings: .version1).process(Self.thinPenSeven)
        let (nowDifference, beforeDifference) = (meanAbsoluteDifference(now, reference), meanAbsoluteDifference(before, reference))
        #expect(before.max()! < 0.35, "version 1 leaves a ghost: strongest \(before.max()!)")
        #expect(now.max() == 1)
        #expect(nowDifference < 0.07, "now \(nowDifference)")  // measured 0.062
        #expect(beforeDifference > 2 * nowDifference, "before \(beforeDifference), now \(nowDifference)")
        // Ink mass: within a quarter of MNIST's, where version 1 had a sixth of it.
        let mass = { (values: [Float]) in values.reduce(0, +) }
        #expect(abs(mass(now) / mass(reference) - 1) < 0.25, "mass ratio \(mass(now) / mass(reference))")
    }

    @Test("strokes already as wide as the target are left as drawn")
    func thickStrokesUntouched() throws {
        let bold = Drawing.render(Drawing.seven, width: 28, height: 28, box: (4, 4, 20), thickness: 0.2)
        #expect(try Preprocessor().process(bold) == Preprocessor(settings: .version1).process(bold))
    }

    @Test("contrast renormalisation: the strongest output pixel becomes 1, the rest in proportion")
    func renormalise() throws {
        // A one-pixel dot in a 40 × 40 frame, scaled into the whole frame: a ghost of 1/(2.5)².
        var pixels = [Float](repeating: 0, count: 1600)
        pixels[0] = 1
        pixels[1599] = 1
        var settings = PreprocessingSettings.version1
        settings.framing = .resizeFrame
        settings.polarity = .lightInk
        let ghost = try Preprocessor(settings: settings).process(GrayImage(width: 40, height: 40, pixels: pixels))
        settings.renormaliseContrast = true
        let renormalised = try Preprocessor(settings: settings).process(GrayImage(width: 40, height: 40, pixels: pixels))
        #expect(abs(ghost.max()! - 0.16) < 1e-6)  // (16/40)² of the output pixel is covered
        #expect(renormalised.max() == 1)
        #expect(zip(ghost, renormalised).allSatisfy { abs($0 / 0.16 - $1) < 1e-6 })
    }

    @Test("distances are exact: the two-pass transform equals brute force on every small mask shape")
    func distanceTransform() {
        var generator = SystemRandomNumberGenerator()
        for (width, height) in [(1, 1), (2, 3), (3, 2), (7, 5), (16, 1), (1, 9), (13, 11)] {
            for density in [0.0, 0.05, 0.3, 0.9] {
                let sites = (0..<(width * height)).map { _ in Double.random(in: 0..<1, using: &generator) < density }
                let fast = squaredDistances(toSitesIn: sites, width: width, height: height)
                for index in sites.indices {
                    var best = Float.infinity
                    for site in sites.indices where sites[site] {
                        let (dx, dy) = (index % width - site % width, index / width - site / width)
                        best = min(best, Float(dx * dx + dy * dy))
                    }
                    #expect(fast[index] == best, "\(width)×\(height) density \(density) at \(index)")
                }
            }
        }
    }

    @Test("the stroke's shortcuts give the full transform's numbers: the core's distance sum, and distances below a limit")
    func boundedDistances() {
        var generator = SystemRandomNumberGenerator()
        let scratch = DistanceScratch()
        for (width, height) in [(1, 1), (2, 3), (3, 2), (7, 5), (16, 1), (1, 9), (13, 11), (40, 30)] {
            for density in [0.0, 0.05, 0.3, 0.9] {
                let sites = (0..<(width * height)).map { _ in Double.random(in: 0..<1, using: &generator) < density }
                let full = squaredDistances(toSitesIn: sites, width: width, height: height)
                var expectedSum: Float = 0  // summed in row-major order, as normaliseStroke did
                for index in sites.indices where !sites[index] { expectedSum += full[index].squareRoot() }
                scratch.setSites(count: sites.count, to: false)
                for index in sites.indices { scratch.sites[index] = sites[index] }
                let sum = scratch.distanceSumOverNonSites(width: width, height: height)
                #expect(sum == expectedSum || (sum.isInfinite && expectedSum.isInfinite), "\(width)×\(height) density \(density)")
                for limit in [1.0, 2.5, 9.0, 30.0] {
                    scratch.squaredDistances(below: limit, width: width, height: height)
                    for index in sites.indices {
                        let value = scratch.squared[index]
                        let exact = Double(full[index]) < limit ? value == full[index] : Double(value) >= limit
                        #expect(exact, "\(width)×\(height) density \(density) limit \(limit) at \(index)")
                    }
                }
            }
        }
    }
}
