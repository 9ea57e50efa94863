import DigitsCore
import DigitsData
import DigitsEvaluation
import DigitsModel
import DigitsTestSupport
import Foundation
import Testing

@testable import DigitsCommands

/// `classify` and `evaluate` with a model that has the trained 11th output, "not a digit"
/// (`SavedModel.notADigitClass`): a 256 → 11 network with zero weights, so its output is the
/// softmax of its biases whatever the picture, and the bias says which class wins.
@Suite struct NotADigitClassTests {
    /// Biases: 2 for `digit`, 0 for the other digits, `notADigit` for class 10.
    static func model(digit: Int, notADigit: Float, labels: [String] = SavedModel.digitAndRejectLabels) -> SavedModel {
        var bias = Matrix(rows: 1, columns: 11)
        bias.elements[digit] = 2
        bias.elements[10] = notADigit
        return SavedModel(
            architecture: Architecture(layerSizes: [256, 11], activation: .relu, loss: .crossEntropy),
            preprocessing: .standard, classLabels: labels,
            layers: [LayerParameters(weight: Matrix(rows: 11, columns: 256), bias: bias)])
    }

    static func classify(_ model: SavedModel, _ extra: [String] = [], in directory: URL) throws -> [String: Any] {
        let path = directory.appendingPathComponent("eleven.safetensors").path
        try model.save(to: path)
        let sample = try #require(ClassifyCommandTests.samples.first, "samples missing")
        let result = try run("digits", ["classify", "--json", "--model", path] + extra + [sample], in: directory)
        #expect(result.exited(0), "\(result)")
        let line = try #require(result.standardOutputLines.first, "\(result)")
        return try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], "\(line)")
    }

    @Test func theClassMostProbableIsNotADigit() throws {
        try withTemporaryDirectory { directory in
            // e^4 against e^2 + 9: P(not a digit) = 54.6 / 71.0 = 0.769, P(7) = 7.39 / 71.0 = 0.104.
            let object = try Self.classify(Self.model(digit: 7, notADigit: 4), in: directory)
            #expect(object["verdict"] as? String == "not-a-digit")
            #expect(object["digit"] is NSNull)
            let notADigit = try #require(number(object["not_a_digit"]))
            #expect(abs(notADigit - 0.769) < 0.001)
            let probabilities = try #require((object["probabilities"] as? [Any])?.compactMap(number))
            #expect(probabilities.count == 10)  // the digits only, not renormalised
            #expect(abs(probabilities[7] - 0.104) < 0.001)
            // --no-reject names the most probable *digit*, never class 10.
            let forced = try Self.classify(Self.model(digit: 7, notADigit: 4), ["--no-reject"], in: directory)
            #expect(integer(forced["digit"]) == 7)
        }
    }

    @Test func aDigitMoreProbableThanTheClassIsRead() throws {
        try withTemporaryDirectory { directory in
            // e^2 against e^1 + 9: P(3) = 7.39 / 19.1 = 0.387, P(not a digit) = 2.72 / 19.1 = 0.142.
            let object = try Self.classify(Self.model(digit: 3, notADigit: 1), in: directory)
            #expect(object["verdict"] as? String == "digit")
            #expect(integer(object["digit"]) == 3)
            #expect(abs((number(object["confidence"]) ?? 0) - 0.387) < 0.001)
        }
    }

    @Test func theModelsRuleLeavesDensityToTheTrainedClass() {
        // A solid bar, as a thick bilevel "1" filling its frame is: 96 % inked, aspect 0.31.
        let bar = InkMarks(pieces: 1, sideBySide: 1, density: 0.96, aspect: 0.31)
        let sureThree = [Float](repeating: 0.01, count: 10).enumerated().map { $0.offset == 3 ? 0.9 : $0.element } + [0.01]
        let withClass = RejectionRule(model: Self.model(digit: 3, notADigit: 1), confidence: nil)
        #expect(withClass.notADigitClass == 10)
        #expect(withClass.verdict(probabilities: sureThree, marks: bar) == .digit)
        // A ten-class model keeps the density check: the same bar is a blob to it.
        var tenClass = Self.model(digit: 3, notADigit: 1)
        tenClass.classLabels = SavedModel.digitLabels + ["other"]
        let withoutClass = RejectionRule(model: tenClass, confidence: nil)
        #expect(withoutClass.notADigitClass == nil)
        #expect(withoutClass.verdict(probabilities: Array(sureThree[0..<10]), marks: bar) == .notADigit)
    }

    /// Refused with the labels named: a damaged digit label (here ESC in the first) used to be told
    /// it needs "11 classes, the last labelled not-a-digit" — which it had.
    @Test(arguments: [
        (SavedModel.digitLabels + ["other"], #""8", "9", "other"]"#),
        (["\u{1B}[31m0"] + SavedModel.digitAndRejectLabels.dropFirst(), #"["\u001b[31m0", "1""#)
    ])
    func elevenOutputsWithOtherLabelsAreRefused(labels: [String], named: String) throws {
        try withTemporaryDirectory { directory in
            let path = directory.appendingPathComponent("other.safetensors").path
            try Self.model(digit: 3, notADigit: 1, labels: labels).save(to: path)
            let sample = try #require(ClassifyCommandTests.samples.first, "samples missing")
            let result = try run("digits", ["classify", "--model", path, sample], in: directory)
            expectOneErrorLine(
                result, tool: "digits classify",
                mentioning: [
                    "\(path): the network has 11 outputs but its class labels are [", named,
                    "an 11-class model must be labelled 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, not-a-digit"
                ])
            #expect(!result.standardError.contains("\u{1B}"), "\(result)")
        }
    }
}
