import DigitsData
import DigitsEvaluation
import Foundation

/// Reads a whole number: finds the marks (`MarkFinder`), cuts touching digits where the
/// classifier is more sure of two digits than of one, and gives each mark the same verdict a
/// picture of one digit gets from `classify`.
///
/// Each mark is cropped from the picture's ink (`Mark.crop`) and goes through the one
/// `Preprocessor` with the model's settings, its polarity fixed to the crop's (light ink on black):
/// a digit of a number becomes the same kind of 16 × 16 as a digit classified on its own, and a
/// whole mark gets the verdict `rule` gives a picture (`classify`'s). A side of a cut must also pass
/// the ink-density check: the halves of a cut blob are dense bars that a network reads as 1s.
public struct NumberReader {
    /// 256 preprocessed inputs → the network's class probabilities.
    public typealias Classifier = ([Float]) -> [Float]

    public var finder = MarkFinder()
    /// Widths are judged against a typical digit's, `digitWidth` line heights: a handwritten digit
    /// leaning by up to 15° is rarely wider than its height. (The median width of the marks was
    /// tried and is worse: narrow 1s pull it down, and a short number has too few marks.)
    public var digitWidth: Float = 0.75
    /// Marks at least this many typical digit widths wide are tried as touching digits.
    public var cutWidth: Float = 1.3
    /// A narrower mark, down to `unsureCutWidth` typical widths, is tried as touching digits too
    /// when the network is less sure than `unsureConfidence` of it as one digit (a "1" touching a
    /// 9 is hardly wider than one digit, but squeezed into one frame it reads as nothing clearly).
    public var unsureCutWidth: Float = 0.8
    public var unsureConfidence: Float = 0.99
    /// A mark down to `refusedCutWidth` typical widths wide that the rule refuses as one digit is
    /// tried as touching digits too (two 1s side by side, a 1 squeezed against a 6: read as one,
    /// not a digit). It cannot cost a right reading, only mend a wrong one: seeds 5, 6, 7's
    /// touching pairs 74.8 → 75.6, 81.6 → 82.0, 80.4 → 81.2 % (with the neck cuts).
    public var refusedCutWidth: Float = 0.5
    /// How far (in line heights) a cut may wander from its starting column: enough for the gap
    /// between two digits leaning by 15°.
    public var cutReach: Float = 0.3
    /// Neither side of a cut may be narrower than this (in line heights): a "1" is about a tenth.
    public var cutMinimumWidth: Float = 0.08
    /// Cuts tried per mark, fewest ink pixels crossed first (the right one is often not among the
    /// first ten: ten gave 68.0 % on seed 5's touching pairs, sixteen 72.4 %).
    public var cutsTried = 16
    /// Cuts at a neck tried per mark besides the seams (`Mark.neckCuts`: where one digit's stroke
    /// meets the other's above or below it, which no seam parts whole): discs of `neckRadius` stroke
    /// widths, centred every `neckStep` stroke widths. Seed 5's touching pairs: 72.4 % without,
    /// 74.0 % with 6, 74.8 % with 12 (before the two rules below); with them, 12 → 20 gave seeds 5,
    /// 6, 7 75.6 / 82.0 / 81.2 → 76.0 / 82.4 / 81.6 % and 30 the same (few marks have more distinct
    /// necks). A second radius (0.7 or 1.6 strokes) or doubting a neck cut more than a seam (×1.5,
    /// ×2.5) gained nothing on seeds 5–7.
    public var necksTried = 20
    public var neckRadius: Float = 1.0
    public var neckStep: Float = 0.5
    /// Neck cuts are tried only when the best reading so far (one digit or a seam) is doubted at
    /// least this much: a sure reading is rarely mended by them and sometimes spoiled (a 1 given a
    /// piece of its neighbour's stroke reads as a 7), and they cost time. Seeds 5–7, touching /
    /// mixed exact: 0 or 0.02 75.6 / 82.0 / 81.2 and 88.0 / 88.8 / 92.4 %; 0.05 75.6 / 81.6 / 80.4
    /// and 88.4 / 88.8 / 92.4 %; 0.1 75.6 / 81.6 / 80.4 and 88.4 / 89.2 / 92.4 %.
    public var neckDoubt: Float = 0.02
    /// Readings are compared by their doubt: 1 − the network's confidence (at least 1e-6), summed
    /// over a reading's digits — about the chance that one of them is wrong, 1 − p₁·p₂, which the
    /// largest of them (used before) understates for two digits both read less than surely. A mark `cutWidth` typical widths wide or more is less and
    /// less plausible as one digit: its doubt grows by e^`wideGrowth` per typical width beyond (a
    /// network that never saw pairs often reads a touching pair as one digit, confidently).
    public var wideGrowth: Float = 6
    /// A 1 pressed against its neighbour along its length (a 1 against a 3's cusps, beside a 6's
    /// back) is parted by no cheap seam and no small neck: `Mark.barCuts` peels a straight bar off
    /// the mark's left or right edge instead. A peeled side must read as a 1, and the peeled
    /// reading is doubted `barDoubt` times more than a seam's: a 4's stem or a 0's side peels off
    /// as a 1 as readily. Touching pairs of seeds 11, 12, 21, 22 with m6: without bar cuts 82.0 /
    /// 78.0 / 78.8 / 82.4 %; ×2 83.6 / 80.0 / 82.0 / 84.0 (separated 90.8 and 92.4 instead of 91.2
    /// and 93.2, a mixed string lost); ×4 84.0 / 79.2 / 82.0 / 84.4, every other row unchanged;
    /// ×8 83.2 / 79.2 / 81.2 / 84.0. (With m5, ×4 lost one mixed string of seed 22, ×8 none.)
    /// Without requiring the 1 (m5, ×1), separated lost 0.4–1.2 points. (All measured while the
    /// right-hand outline was taken from the left edge; re-tuned with it fixed, seeds 11–13, ×2, ×3,
    /// ×6, ×8 and other bar thicknesses gained nothing on every seed: `DigitsReading/README.md`.)
    public var barDoubt: Float = 4
    /// A cut through touching digits crosses about one stroke (1.5 allowed); a pair's doubt grows
    /// by e^`strokeGrowth` for each stroke more (the cut runs through a digit, not between two).
    public var strokeGrowth: Float = 0.9
    /// Each side of a cut must be at least this many line heights tall to be read as a digit: a
    /// cut that shaves a 5's tail or a 4's arm off leaves a short piece, two touching digits
    /// leave two tall ones.
    public var partMinimumHeight: Float = 0.7
    /// Two neighbouring marks are tried as one digit when together at most this many line heights wide.
    public var joinWidth: Float = 1.0
    /// A side of a cut denser than this (ink over its box, for a box at least
    /// `RejectionRule.densityMinimumAspect` square) is no digit: the ink-density check that
    /// `classify` drops for a model with a "not a digit" class, kept for the sides of cuts.
    public var partMaximumDensity: Float = RejectionRule(minimumConfidence: nil).maximumDensity

    let preprocessor: Preprocessor
    let cropPreprocessor: Preprocessor
    let rule: RejectionRule?
    let classify: Classifier

    /// `rule` nil: never refuse a mark (`--no-reject`).
    public init(settings: PreprocessingSettings, rule: RejectionRule?, classify: @escaping Classifier) {
        // The photo path's in-line rule keeps a glyph's dot (a "!", an "i"); a number's ink box spans
        // all its digits, so "in line within half its size" would keep nearly every speck of
        // dust around it — and a number has no dotted glyph to keep.
        var whole = settings
        whole.photo.speckInLineDivisor = nil
        preprocessor = Preprocessor(settings: whole)
        cropPreprocessor = Preprocessor(settings: preprocessor.inkCropSettings)
        self.rule = rule
        self.classify = classify
    }

    /// The number in the picture; `PreprocessingError.blankImage` when it has no ink.
    public func read(_ image: GrayImage) throws -> NumberReading {
        let ink = try preprocessor.inkImage(image)
        let components = InkComponents(ink)
        let (marks, lineHeight) = finder.marks(in: components)
        let height = Float(max(1, lineHeight))
        let context = Context(ink: ink, labels: components.labels, lineHeight: height, digitWidth: digitWidth * height)
        var digits: [ReadDigit] = []
        for mark in joiningBrokenDigits(marks, context: context) {
            let relativeWidth = Float(mark.box.width) / context.digitWidth
            let allowed = relativeWidth >= min(unsureCutWidth, refusedCutWidth) ? min(4, max(2, Int(relativeWidth.rounded()) + 1)) : 1
            digits += best(mark, digitsAllowed: allowed, context: context).digits.map { candidate in
                ReadDigit(
                    box: candidate.mark.box, input: candidate.input, probabilities: candidate.probabilities,
                    verdict: verdict(candidate))
            }
        }
        return NumberReading(digits: digits, lineHeight: lineHeight)
    }

    // MARK: - Choosing among readings of one mark

    private struct Context {
        let ink: InkImage
        let labels: [Int32]
        let lineHeight: Float
        let digitWidth: Float
    }

    private struct Candidate {
        var mark: Mark
        var crop: GrayImage
        var input: [Float]
        var probabilities: [Float]
        /// Of the digits only (a trained "not a digit" output, index 10, is not a reading).
        var confidence: Float { digitConfidence(probabilities) }
        var digit: Int { likeliestDigit(probabilities) }
    }

    /// Neighbouring marks whose boxes overlap in columns (or nearly touch) and that together are
    /// no wider than `joinWidth` line heights are joined when the network is surer of them as one
    /// digit than of the less sure of the two: the mirror of a cut, for a digit drawn in two
    /// strokes that `MarkFinder` could not tell from two digits (a 6's stem beside its loop, a
    /// 4's arm as tall as half the line). Two real digits side by side read as one are a muddle.
    private func joiningBrokenDigits(_ input: [Mark], context: Context) -> [Mark] {
        var marks = input
        var index = 0
        while index + 1 < marks.count {
            let (a, b) = (marks[index], marks[index + 1])
            let near =
                a.box.columnOverlap(b.box) > 0 || Float(a.box.columnGap(b.box)) <= finder.joinGap * context.lineHeight
            guard near, Float(a.box.union(b.box).width) <= joinWidth * context.lineHeight else {
                index += 1
                continue
            }
            let joined = a.merged(with: b)
            let apart = max(doubt(of: a, context: context), doubt(of: b, context: context))
            if doubt(of: joined, context: context) < apart {
                marks[index] = joined
                marks.remove(at: index + 1)
            } else {
                index += 1
            }
        }
        return marks
    }

    /// The doubt of reading `mark` as one digit (as `best` counts it, without cuts).
    private func doubt(of mark: Mark, context: Context) -> Float {
        let confidence = evaluate(mark, context: context)?.confidence ?? 0
        let relativeWidth = Float(mark.box.width) / context.digitWidth
        return max(1 - confidence, 1e-6) * exp(wideGrowth * max(0, relativeWidth - cutWidth))
    }

    /// The reading of `mark` as 1…`digitsAllowed` digits with the least doubt, and that doubt.
    /// A side of a cut (`isPart`) shorter than `partMinimumHeight` is no digit (infinite doubt).
    private func best(_ mark: Mark, digitsAllowed: Int, context: Context, isPart: Bool = false) -> (digits: [Candidate], doubt: Float) {
        if isPart && Float(mark.box.height) < partMinimumHeight * context.lineHeight { return ([], .infinity) }
        let single = evaluate(mark, context: context)
        if isPart, let candidate = single, isDenseBar(candidate.crop) { return ([], .infinity) }
        let relativeWidth = Float(mark.box.width) / context.digitWidth
        var digits = single.map { [$0] } ?? []
        let confidence = single?.confidence ?? 0
        var doubt = max(1 - confidence, 1e-6) * exp(wideGrowth * max(0, relativeWidth - cutWidth))
        // A whole mark the rule refuses is wrong as one digit anyway: tried as two, however narrow.
        let refused = !isPart && relativeWidth >= refusedCutWidth && single.map { verdict($0) != .digit } ?? true
        let worthCutting =
            relativeWidth >= cutWidth || (relativeWidth >= unsureCutWidth && confidence < unsureConfidence) || refused
        guard digitsAllowed > 1, worthCutting else { return (digits, doubt) }
        let stroke = mark.strokeWidth
        let seams = mark.cuts(
            reach: max(2, Int(cutReach * context.lineHeight)),
            minimumWidth: max(1, Int(cutMinimumWidth * context.lineHeight)), limit: cutsTried)
        func tryCuts(_ cuts: [Cut]) {
            for cut in cuts {
                let growth = exp(strokeGrowth * max(0, Float(cut.crossing) / stroke - 1.5))
                let left = best(cut.left, digitsAllowed: digitsAllowed - 1, context: context, isPart: true)
                // The pair's doubt is the sum of its sides': a left side no better than the best so far
                // cannot win, whatever the right side reads.
                guard !left.digits.isEmpty, left.doubt * growth < doubt else { continue }
                let right = best(cut.right, digitsAllowed: digitsAllowed - left.digits.count, context: context, isPart: true)
                let pair = (left.doubt + right.doubt) * growth
                guard !right.digits.isEmpty, pair < doubt else { continue }
                (digits, doubt) = (left.digits + right.digits, pair)
            }
        }
        tryCuts(seams)
        for (cut, barOnLeft) in mark.barCuts(minimumHeight: Int((partMinimumHeight * context.lineHeight).rounded(.up))) {
            let (barSide, rest) = barOnLeft ? (cut.left, cut.right) : (cut.right, cut.left)
            let bar = best(barSide, digitsAllowed: 1, context: context, isPart: true)
            guard let one = bar.digits.first, one.digit == 1, bar.doubt * barDoubt < doubt else { continue }
            let other = best(rest, digitsAllowed: digitsAllowed - 1, context: context, isPart: true)
            let pair = (bar.doubt + other.doubt) * barDoubt
            guard !other.digits.isEmpty, pair < doubt else { continue }
            (digits, doubt) = (barOnLeft ? bar.digits + other.digits : other.digits + bar.digits, pair)
        }
        guard doubt >= neckDoubt else { return (digits, doubt) }
        let necks = mark.neckCuts(
            radius: max(1, Int((neckRadius * stroke).rounded())), step: max(1, Int((neckStep * stroke).rounded())),
            minimumHeight: Int((partMinimumHeight * context.lineHeight).rounded(.up)), limit: necksTried)
        tryCuts(necks.filter { neck in !seams.contains { $0.left.area == neck.left.area && $0.left.box == neck.left.box } })
        return (digits, doubt)
    }

    /// The mark cropped, preprocessed and classified; nil when the preprocessor finds no ink in it.
    private func evaluate(_ mark: Mark, context: Context) -> Candidate? {
        let crop = mark.crop(from: context.ink, labels: context.labels)
        guard let input = try? cropPreprocessor.process(crop) else { return nil }
        return Candidate(mark: mark, crop: crop, input: input, probabilities: classify(input))
    }

    /// The rule's verdict on a candidate. A side of a cut needs no density check here: `best` has
    /// dropped every side that `isDenseBar` finds dense, on the same crop.
    private func verdict(_ candidate: Candidate) -> Verdict {
        guard let rule else { return .digit }
        return rule.verdict(probabilities: candidate.probabilities, marks: try? cropPreprocessor.marks(candidate.crop))
    }

    /// Whether a side of a cut is a dense bar rather than a stroke (the check `RejectionRule` makes
    /// with its default density). A thick upright 1 alone is dense too, which is why whole marks are
    /// not held to it: the model's own rule judges them, as `classify` would.
    private func isDenseBar(_ crop: GrayImage) -> Bool {
        guard let marks = try? cropPreprocessor.marks(crop) else { return false }
        return marks.density > partMaximumDensity && marks.aspect > RejectionRule(minimumConfidence: nil).densityMinimumAspect
    }
}
