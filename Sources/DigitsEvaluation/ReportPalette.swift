/// Colours shared by the picture reports, in one place so the pictures agree with each other.
enum ReportPalette {
    static let text = RGBColor(33, 33, 33)
    static let mutedText = RGBColor(120, 120, 120)
    static let faintText = RGBColor(200, 200, 200)
    static let grid = RGBColor(225, 225, 225)
    static let frame = RGBColor(90, 90, 90)
    /// Correct answers: pale to deep blue.
    static let correctLight = RGBColor(222, 235, 247)
    static let correctDark = RGBColor(8, 69, 148)
    /// Mistakes: pale peach to deep red.
    static let mistakeLight = RGBColor(254, 236, 226)
    static let mistakeDark = RGBColor(165, 15, 21)
    static let emptyCell = RGBColor.white

    /// Readable text colour on `background`.
    static func text(on background: RGBColor) -> RGBColor {
        background.luminance < 140 ? .white : text
    }
}
