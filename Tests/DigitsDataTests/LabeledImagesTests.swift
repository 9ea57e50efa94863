import DigitsTestSupport
import Foundation
import Testing
@testable import DigitsData

@Suite("Image/label pairs")
struct LabeledImagesTests {
    @Test("a valid pair loads: counts, shape, labels, and pixel j of image k is (10k + j)/255")
    func loadsPair() throws {
        let images = try LabeledImages.load(imagesPath: fixture("images-3.idx"), labelsPath: fixture("labels-3.idx"))
        #expect(images.count == 3)
        #expect((images.rows, images.columns) == (2, 2))
        #expect(images.labels == [7, 0, 9])
        #expect(images.inkPolarity == .lightInk)
        for k in 0..<3 {
            let image = images.image(at: k)
            #expect((image.width, image.height) == (2, 2))
            #expect(image.pixels == (0..<4).map { Float(10 * k + $0) / 255 })
        }
    }

    @Test("float images load as floats, giving the same grey values as the byte images")
    func floatImages() throws {
        let bytes = try LabeledImages.load(imagesPath: fixture("images-3.idx"), labelsPath: fixture("labels-3.idx"))
        let floats = try LabeledImages.load(imagesPath: fixture("images-f32.idx"), labelsPath: fixture("labels-3.idx"))
        guard case .floats = floats.pixels else {
            Issue.record("expected float storage")
            return
        }
        for k in 0..<3 {
            for (a, b) in zip(bytes.image(at: k).pixels, floats.image(at: k).pixels) {
                #expect(abs(a - b) < 1e-6)
            }
        }
    }

    @Test(
        "a float image holding NaN, ∞ or a value outside [0, 1] is refused, naming image and pixel",
        arguments: [Float.nan, .infinity, -0.5, 1.5])
    func floatPixelsOutOfRange(bad: Float) throws {
        let directory = try TemporaryDirectory()
        let imagesPath = directory.file("images.idx")
        let labelsPath = directory.file("labels.idx")
        var pixels = [Float](repeating: 0.5, count: 3 * 2 * 2)
        pixels[4 + 3] = bad  // image 1, pixel 3
        try IDXWriter.write(IDXArray(dimensions: [3, 2, 2], elements: .float32(pixels)), to: imagesPath)
        try IDXWriter.write(IDXArray(dimensions: [3], elements: .uint8([1, 2, 3])), to: labelsPath)
        let error = caught(IDXError.self) { try LabeledImages.load(imagesPath: imagesPath, labelsPath: labelsPath) }
        guard case .pixelOutOfRange(let path, let image, let pixel, _) = error else {
            Issue.record("expected pixelOutOfRange, got \(String(describing: error))")
            return
        }
        #expect((path, image, pixel) == (imagesPath, 1, 3))
        #expect(error?.description.contains("image 1, pixel 3") == true)
    }

    @Test("damaged pairs: each its own error")
    func damagedPairs() {
        let images = fixture("images-3.idx")
        let labels3 = fixture("labels-3.idx")
        func load(_ images: String, _ labels: String) -> IDXError? {
            caught(IDXError.self) { try LabeledImages.load(imagesPath: images, labelsPath: labels) }
        }
        let labels4 = fixture("labels-4.idx")
        #expect(load(images, labels4) == .countMismatch(imagesPath: images, images: 3, labelsPath: labels4, labels: 4))
        let outOfRange = fixture("labels-out-of-range.idx")
        #expect(load(images, outOfRange) == .labelOutOfRange(path: outOfRange, index: 1, value: 10))
        // The nondigits set's labels are all 10: accepted where the range says so, and only there.
        let loaded = try? LabeledImages.load(imagesPath: images, labelsPath: outOfRange, labelRange: 0...10)
        #expect(loaded?.labels.contains(LabeledImages.notADigitLabel) == true)
        #expect(
            caught(IDXError.self) { try LabeledImages.load(imagesPath: images, labelsPath: outOfRange, labelRange: 10...10) }
                == .labelOutOfRange(path: outOfRange, index: 0, value: 7, expected: 10...10))  // labels 7, 10, 9
        let negative = fixture("labels-negative.idx")
        #expect(load(images, negative) == .labelOutOfRange(path: negative, index: 2, value: -1))
        let twoD = fixture("labels-2d.idx")
        #expect(load(images, twoD) == .badDimensionCount(path: twoD, found: 2, expected: 1...1))
        #expect(load(labels3, labels3) == .badDimensionCount(path: labels3, found: 1, expected: 3...3))
        let floatLabels = fixture("labels-float.idx")
        #expect(
            load(images, floatLabels)
                == .unsupportedElementType(
                    path: floatLabels, type: .float32, role: "labels (use an integer type)"))
        let shortImages = fixture("images-i16.idx")
        #expect(
            load(shortImages, labels3)
                == .unsupportedElementType(
                    path: shortImages, type: .int16, role: "image pixels (use unsigned bytes or floats)"))
    }

    @Test("the count-mismatch message names both files on one line")
    func countMismatchWording() {
        #expect(
            IDXError.countMismatch(imagesPath: "a.idx", images: 3, labelsPath: "b.idx", labels: 4).description
                == "a.idx: 3 images but b.idx has 4 labels")
    }
}
