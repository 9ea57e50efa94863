import DigitsCore

extension Preprocessor {
    /// Like `inputs(for:)`, but an image with no ink is left out instead of stopping everything:
    /// the rows of the images that have ink, in order, and the indices of those that have none.
    public func inputsSkippingBlank(for images: LabeledImages) throws -> (inputs: Matrix, kept: [Int], blank: [Int]) {
        let processed = try processed(images)
        guard !processed.blank.isEmpty else { return (processed.inputs, Array(0..<images.count), []) }
        let blank = Set(processed.blank)
        let kept = (0..<images.count).filter { !blank.contains($0) }
        return (processed.inputs.gatheringRows(kept), kept, processed.blank)
    }
}
