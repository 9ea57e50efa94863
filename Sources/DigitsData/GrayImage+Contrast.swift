import Foundation

// Contrast and binarisation jitter on ink images (ink high, background 0). A plain gain would be
// undone by the preprocessor's contrast stretch; a change of the ink's profile is not.

extension GrayImage {
    /// v ↦ v^γ: γ < 1 fattens the grey edges of strokes, γ > 1 sharpens them.
    func gammaCorrected(_ gamma: Float) -> GrayImage {
        GrayImage(width: width, height: height, pixels: pixels.map { $0 > 0 ? powf($0, gamma) : 0 })
    }

    /// 1 where v > threshold × the strongest ink, else 0 (the image unchanged if it has no ink).
    func binarised(relativeThreshold threshold: Float) -> GrayImage {
        let strongest = pixels.max() ?? 0
        guard strongest > 0 else { return self }
        let cut = threshold * strongest
        return GrayImage(width: width, height: height, pixels: pixels.map { $0 > cut ? 1 : 0 })
    }
}
