import DigitsData
import DigitsTestSupport
import Foundation
import Testing

/// An image with no ink never aborts a run: `train` skips it with one warning line naming the file
/// and the index, `evaluate` counts it as unreadable (a mistake).
@Suite struct BlankImageTests {
    /// The synthetic fixture with images 3 and 17 wiped to black.
    static let blanked = [3, 17]

    func writeFixtureWithBlanks(to directory: URL) throws -> (images: String, labels: String, count: Int) {
        let fixture = SyntheticDigits()
        var (pixels, labels) = fixture.make()
        let size = SyntheticDigits.side * SyntheticDigits.side
        for index in Self.blanked { for i in index * size..<(index + 1) * size { pixels[i] = 0 } }
        let images = directory.appendingPathComponent("blanks.idx").path
        let labelsPath = directory.appendingPathComponent("labels.idx").path
        try IDXWriter.write(
            IDXArray(
                dimensions: [fixture.count, SyntheticDigits.side, SyntheticDigits.side],
                elements: .uint8(pixels)), to: images)
        try IDXWriter.write(IDXArray(dimensions: [fixture.count], elements: .uint8(labels)), to: labelsPath)
        return (images, labelsPath, fixture.count)
    }

    @Test func trainWarnsAndSkipsEvaluateCountsUnreadable() throws {
        try withTemporaryDirectory { directory in
            let data = try writeFixtureWithBlanks(to: directory)
            let model = directory.appendingPathComponent("m.safetensors").path
            let training = try run(
                "digits",
                [
                    "train", "--quiet", "--images", data.images, "--labels", data.labels,
                    "--hidden", "16", "--epochs", "1", "--batch-size", "16",
                    "--validation", "50", "--seed", "1", "--output", model
                ], in: directory)
            #expect(training.exited(0), "\(training)")
            // One line naming the file and every blank image's index.
            let indices = Self.blanked.map(String.init).joined(separator: ", ")
            #expect(
                training.standardErrorLines
                    == ["digits train: warning: \(data.images): 2 images without ink (index \(indices)) left out"], "\(training)")

            let json = try run(
                "digits",
                [
                    "evaluate", "--json", "--images", data.images, "--labels", data.labels,
                    "--model", model
                ], in: directory)
            #expect(json.exited(0), "\(json)")
            let object = try #require(
                try JSONSerialization.jsonObject(with: Data(json.standardOutput.utf8)) as? [String: Any],
                "\(json)")
            #expect(object["unreadable"] as? Int == 2)
            #expect(object["count"] as? Int == data.count)
            let confusion = try #require(object["confusion"] as? [[Int]])
            let trace = (0..<10).reduce(0) { $0 + confusion[$1][$1] }
            #expect(confusion.joined().reduce(0, +) == data.count - 2)
            #expect(abs((object["accuracy"] as? Double ?? -1) - Double(trace) / Double(data.count)) < 1e-12)

            let terminal = try run(
                "digits",
                [
                    "evaluate", "--images", data.images, "--labels", data.labels,
                    "--model", model
                ], in: directory)
            #expect(terminal.exited(0), "\(terminal)")
            #expect(
                terminal.standardOutputLines.contains("Unreadable: 2 images with no ink, counted as mistakes"),
                "\(terminal)")
        }
    }
}
