// When `.auto` polarity cannot trust the border.
//
// For `.auto` the background is the border's median grey (`inkImage`). A binarised digit that fills
// its frame with thick strokes (a 16 × 16 bilevel scan, a digit a user stretched to fill the picture)
// covers much of the border with ink, and the median can then be the ink itself: the network is shown
// the paper as the digit (robustness suite, frame-filling-16: most of the pictures read wrong or
// refused were of this kind). Such a border is told by how much of it is *not* near its median grey:
// a picture with a margin has almost none (MNIST and USPS: 0 % of the border; pen digits with a
// margin: 0 %); one whose ink runs along the border has a good share. The command that holds the
// network (`classify`) then reads the picture both ways and keeps the reading it is surer of.

extension Preprocessor {
    /// Less than this share of the border near its median grey makes `.auto` polarity ambiguous.
    public static let ambiguousBorderShare: Float = 0.9

    /// Whether this picture's polarity should be tried both ways: the settings leave it at `.auto`,
    /// the picture is small enough for the one-grey path (photos fit a paper surface instead), and
    /// less than `ambiguousBorderShare` of its border pixels are within `inkThreshold` of the
    /// border's median grey.
    public func hasAmbiguousPolarity(_ image: GrayImage) -> Bool {
        let (width, height) = (image.width, image.height)
        guard settings.polarity == .auto, width > 2, height > 2,
            !Self.isPhotoSized(width: width, height: height, parameters: settings.photo)
        else { return false }
        var border: [Float] = []
        border.reserveCapacity(2 * (width + height))
        for column in 0..<width {
            border.append(unitClamped(image[column, 0]))
            border.append(unitClamped(image[column, height - 1]))
        }
        for row in 1..<(height - 1) {
            border.append(unitClamped(image[0, row]))
            border.append(unitClamped(image[width - 1, row]))
        }
        let sorted = border.sorted()
        let median = sorted[(sorted.count - 1) / 2]
        let near = border.filter { abs($0 - median) <= settings.inkThreshold }.count
        return Float(near) < Self.ambiguousBorderShare * Float(border.count)
    }

    /// The same preprocessing with the polarity fixed (`.lightInk` or `.darkInk`).
    public func withPolarity(_ polarity: PreprocessingSettings.Polarity) -> Preprocessor {
        var fixed = settings
        fixed.polarity = polarity
        return Preprocessor(settings: fixed)
    }
}
