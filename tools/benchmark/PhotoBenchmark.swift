// The cost of preprocessing one phone-photo-sized picture (240 × 320: the paper-surface fit, the
// adaptive threshold, the stroke-width normalisation, the resampling), next to a 28 × 28 MNIST-sized
// picture through the same Preprocessor in the same run. Issue 9's target: ≤ 2 ms per photo.
import DigitsCore
import DigitsData
import Foundation

/// A dark "7" on paper lit from one side, with seeded noise: the photo path's usual work.
private func syntheticPhoto(width: Int, height: Int, seed: UInt64) -> GrayImage {
    var generator = SeededGenerator(seed: seed)
    var pixels = [Float](repeating: 0, count: width * height)
    let (left, right, top, bottom) = (Float(width) * 0.25, Float(width) * 0.75, Float(height) * 0.25, Float(height) * 0.8)
    let stroke = Float(width) / 24
    for y in 0..<height {
        for x in 0..<width {
            let (fx, fy) = (Float(x), Float(y))
            // The bar along the top, and the diagonal from its right end down to the bottom left.
            let bar = fx >= left && fx <= right && abs(fy - top) < stroke
            let t = (fy - top) / (bottom - top)
            let diagonal = t >= 0 && t <= 1 && abs(fx - (right - t * (right - left) * 0.6)) < stroke
            let light = 0.55 + 0.3 * fx / Float(width) + 0.1 * fy / Float(height)
            let noise = 0.03 * (generator.nextUnitFloat() + generator.nextUnitFloat() - 1)
            pixels[y * width + x] = (bar || diagonal ? 0.2 * light : light) + noise
        }
    }
    return GrayImage(width: width, height: height, pixels: pixels)
}

func benchmarkPhotoPreprocessing(rounds: Int = 5, perRound: Int = 100) throws {
    let preprocessor = Preprocessor()
    // The same without the paper fit's second start (model files before it), for the ratio.
    var oneStart = PreprocessingSettings.standard
    oneStart.photo.flatStartQuantile = nil
    let photos = (0..<4).map { syntheticPhoto(width: 240, height: 320, seed: UInt64($0 + 1)) }
    let small = (0..<4).map { syntheticPhoto(width: 28, height: 28, seed: UInt64($0 + 1)) }
    func perPicture(_ pictures: [GrayImage], marks: Bool, by preprocessor: Preprocessor = preprocessor) throws -> Double {
        var best = Double.infinity
        for _ in 0..<rounds {
            let time = try seconds {
                for index in 0..<perRound {
                    if marks {
                        _ = try preprocessor.processWithMarks(pictures[index % pictures.count])
                    } else {
                        _ = try preprocessor.process(pictures[index % pictures.count])
                    }
                }
            }
            best = min(best, time / Double(perRound))
        }
        return best
    }
    let photo = try perPicture(photos, marks: false)
    let photoOneStart = try perPicture(photos, marks: false, by: Preprocessor(settings: oneStart))
    let photoMarks = try perPicture(photos, marks: true)
    let mnist = try perPicture(small, marks: false)
    print("preprocessing, best of \(rounds) rounds of \(perRound) pictures, one thread:")
    print(String(format: "  240×320 photo:              %.3f ms", photo * 1000))
    print(
        String(
            format: "  240×320 photo, one fit start: %.3f ms  (model files before the flat start; %.2f× of it)",
            photoOneStart * 1000, photo / photoOneStart))
    print(String(format: "  240×320 photo, with marks:  %.3f ms  (what classify does)", photoMarks * 1000))
    print(String(format: "  28×28 picture:              %.3f ms  (photo = %.0f× this)", mnist * 1000, photo / mnist))
}
