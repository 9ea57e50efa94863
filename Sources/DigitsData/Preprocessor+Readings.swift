extension Preprocessor {
    /// The network inputs (and ink marks) to read one picture by: one, or two for a picture whose
    /// border cannot tell ink from paper (`hasAmbiguousPolarity`: thick strokes running along the
    /// border), one with each polarity fixed; the caller keeps the reading whose most probable digit
    /// is more probable. `digits classify` and `digits serve` both read pictures this way.
    public func readings(of image: GrayImage) throws -> [(input: [Float], marks: InkMarks)] {
        guard hasAmbiguousPolarity(image) else { return [try processWithMarks(image)] }
        let both = [PreprocessingSettings.Polarity.lightInk, .darkInk].compactMap {
            try? withPolarity($0).processWithMarks(image)  // nil: all paper that way round
        }
        return both.isEmpty ? [try processWithMarks(image)] : both
    }
}
