import Testing

@testable import DigitsData

@Suite("The whole picture's ink and its pieces")
struct InkImageTests {
    @Test func smallPictureInkIsTheStretchedInk() throws {
        // Dark ink (grey 0.4) on white: ink = 1 − grey = 0.6, stretched to 1; paper 0.
        var pixels = [Float](repeating: 1, count: 30 * 20)
        for y in 5...14 { for x in 3...5 { pixels[y * 30 + x] = 0.4 } }
        for y in 5...14 { for x in 20...22 { pixels[y * 30 + x] = 0.4 } }
        let ink = try Preprocessor(settings: with(\.polarity, .darkInk)).inkImage(GrayImage(width: 30, height: 20, pixels: pixels))
        #expect(ink.threshold == PreprocessingSettings.standard.inkThreshold)
        #expect(ink.values[5 * 30 + 3] == 1 && ink.values[0] == 0)
        let pieces = InkComponents(ink)
        #expect(
            pieces.components.map(\.box) == [PixelBox(minX: 3, minY: 5, maxX: 5, maxY: 14), PixelBox(minX: 20, minY: 5, maxX: 22, maxY: 14)]
        )
        #expect(pieces.components.map(\.area) == [30, 30])
        #expect(pieces.components.map(\.centreX) == [4.5, 21.5])  // mean column 4 and 21, at the pixel centre
        #expect(pieces.labels[5 * 30 + 21] == 1 && pieces.labels[0] == -1)
    }

    @Test func photoInkHasItsAdaptiveThresholdOnTheStretchedScale() throws {
        // A 60 × 60 "photo": paper 0.8, a pencil stroke at 0.3, so the photo path runs.
        var pixels = [Float](repeating: 0.8, count: 60 * 60)
        for y in 10...50 { for x in 28...31 { pixels[y * 60 + x] = 0.3 } }
        let ink = try Preprocessor().inkImage(GrayImage(width: 60, height: 60, pixels: pixels))
        #expect(ink.threshold > 0 && ink.threshold < 1)
        #expect(ink.values[30 * 60 + 29] == 1 && ink.values[30 * 60 + 5] == 0)
        let pieces = InkComponents(ink)
        #expect(pieces.components.count == 1)
        #expect(pieces.components.first?.box == PixelBox(minX: 28, minY: 10, maxX: 31, maxY: 50))
    }

    @Test func aBlankPictureHasNoInk() {
        #expect(throws: PreprocessingError.self) {
            try Preprocessor().inkImage(GrayImage(width: 20, height: 20, pixels: [Float](repeating: 0.5, count: 400)))
        }
    }

    @Test func inputPictureIsTheInputEnlargedByNearestNeighbour() throws {
        var input = [Float](repeating: 0, count: 256)
        input[0] = 1
        input[17] = 0.5  // row 1, column 1
        let picture = try PNGReader.decode(try Preprocessor.inputPicturePNG(input, scale: 8))
        #expect(picture.width == 128 && picture.height == 128)
        #expect(picture[0, 0] == 1 && picture[7, 7] == 1 && picture[8, 0] == 0)
        #expect(abs(picture[8, 8] - 128 / 255) < 1e-6 && abs(picture[15, 15] - 128 / 255) < 1e-6 && picture[16, 16] == 0)
    }
}
