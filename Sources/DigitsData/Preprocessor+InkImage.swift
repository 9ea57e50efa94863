// The whole picture's ink, for reading several digits: steps 1–3 of the one Preprocessor
// (background or paper surface, polarity, contrast stretch) without the fitting into 16 × 16.
//
// `digits read` finds the marks on this image, then hands each mark back to `process(_:)` as a
// light-ink-on-black crop, so every digit of a number goes through the same steps as a digit
// classified on its own; nothing here is a second preprocessing.

/// Ink of a whole picture: high = ink, background 0, in [0, 1] (stretched like the 16 × 16 input).
public struct InkImage: Sendable, Equatable {
    public let width: Int
    public let height: Int
    /// Row-major, `width × height`.
    public var values: [Float]
    /// Pixels above this are ink (what the bounding box and the marks are made of); fainter
    /// pixels are the soft edges of strokes.
    public var threshold: Float

    public init(width: Int, height: Int, values: [Float], threshold: Float) {
        self.width = width
        self.height = height
        self.values = values
        self.threshold = threshold
    }

    @inline(__always) public func isInk(_ x: Int, _ y: Int) -> Bool { values[y * width + x] > threshold }
}

extension Preprocessor {
    /// The ink of the whole picture (small or photo path, as `process(_:)` would choose);
    /// `PreprocessingError.blankImage` when nothing stands out from the background.
    public func inkImage(_ image: GrayImage) throws -> InkImage {
        try settings.validate()
        let (width, height) = (image.width, image.height)
        var ink = [Float](repeating: 0, count: width * height)
        let photo = Self.isPhotoSized(width: width, height: height, parameters: settings.photo)
        var photoThreshold: Float = settings.inkThreshold
        let found = image.pixels.withUnsafeBufferPointer { grey in
            ink.withUnsafeMutableBufferPointer { ink in
                photo
                    ? photoInkImage(
                        grey: grey, width: width, height: height, polarity: settings.polarity, into: ink,
                        stretchedThreshold: &photoThreshold)
                    : inkImage(grey: grey, width: width, height: height, polarity: settings.polarity, into: ink)
            }
        }
        guard found != nil else { throw PreprocessingError.blankImage(index: nil, threshold: settings.inkThreshold) }
        // The small path's box uses inkThreshold before the stretch; after it, on the stretched
        // scale, as `marks(_:)` counts pieces. The photo path's adaptive threshold is carried
        // through its stretch.
        return InkImage(width: width, height: height, values: ink, threshold: photo ? photoThreshold : settings.inkThreshold)
    }

    /// Settings for a crop of an `InkImage`: the model's own, with the polarity the crop is known
    /// to have (light ink on black, background exactly 0) and without the photo path, whose work
    /// (the paper's surface, the adaptive threshold, the specks) was done on the whole picture:
    /// a crop has no paper left to fit. Every other step — box, stroke width, fitting, centring,
    /// resampling, contrast — is the model's.
    public var inkCropSettings: PreprocessingSettings {
        var crop = settings
        crop.polarity = .lightInk
        crop.photo.minimumSide = Int.max
        return crop
    }
}
