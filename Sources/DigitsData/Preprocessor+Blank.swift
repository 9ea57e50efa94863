import DigitsCore

extension Preprocessor {
    /// Like `inputs(for:)`, but an image with no ink is left out instead of stopping everything:
    /// the rows of the images that have ink, in order, and the indices of those that have none.
    public func inputsSkippingBlank(for images: LabeledImages) throws -> (inputs: Matrix, kept: [Int], blank: [Int]) {
        do {
            return (try inputs(for: images), Array(0..<images.count), [])
        } catch PreprocessingError.blankImage {
            // Rare: redo image by image, with the polarity `inputs(for:)` would have used.
            var settings = settings
            if settings.polarity == .auto { settings.polarity = images.inkPolarity }
            let single = Preprocessor(settings: settings)
            var elements: [Float] = []
            var kept: [Int] = []
            var blank: [Int] = []
            for index in 0..<images.count {
                do {
                    elements += try single.process(images.image(at: index))
                    kept.append(index)
                } catch PreprocessingError.blankImage {
                    blank.append(index)
                }
            }
            return (Matrix(rows: kept.count, columns: Self.outputCount, elements: elements), kept, blank)
        }
    }
}
