import DigitsJSON
import Foundation
import Testing
import DigitsCore
@testable import DigitsEvaluation

/// A fresh directory under the system temporary directory; tests never write into the working directory.
private func temporaryDirectory() -> URL {
    FileManager.default.temporaryDirectory.appendingPathComponent("digits-evaluation-\(UUID().uuidString)", isDirectory: true)
}

/// CRC-32 as the PNG specification defines it, bit by bit: independent of the encoder's table.
private func referenceCRC32(_ bytes: ArraySlice<UInt8>) -> UInt32 {
    var crc: UInt32 = 0xFFFF_FFFF
    for byte in bytes {
        crc ^= UInt32(byte)
        for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
    }
    return ~crc
}

private func bigEndian32(_ bytes: [UInt8], at offset: Int) -> UInt32 {
    bytes[offset..<offset + 4].reduce(0) { $0 << 8 | UInt32($1) }
}

/// Walks the chunks of a PNG file, checking the signature and every CRC; returns (width, height, chunk types).
private func checkPNG(_ url: URL) throws -> (width: Int, height: Int, types: [String]) {
    let bytes = [UInt8](try Data(contentsOf: url))
    #expect(Array(bytes.prefix(8)) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A], "signature of \(url.lastPathComponent)")
    var offset = 8, types: [String] = [], width = 0, height = 0
    while offset + 12 <= bytes.count {
        let length = Int(bigEndian32(bytes, at: offset))
        try #require(offset + 12 + length <= bytes.count, "chunk runs past the end of \(url.lastPathComponent)")
        let type = String(decoding: bytes[offset + 4..<offset + 8], as: UTF8.self)
        #expect(
            referenceCRC32(bytes[offset + 4..<offset + 8 + length]) == bigEndian32(bytes, at: offset + 8 + length),
            "CRC of \(type) in \(url.lastPathComponent)")
        if type == "IHDR" {
            width = Int(bigEndian32(bytes, at: offset + 8))
            height = Int(bigEndian32(bytes, at: offset + 12))
            #expect(bytes[offset + 16] == 8 && bytes[offset + 17] == 2, "8-bit RGB")
        }
        types.append(type)
        offset += 12 + length
    }
    #expect(offset == bytes.count)
    return (width, height, types)
}

@Test func writeReportProducesValidPNGsAndTheJSON() throws {
    let matrix = try ConfusionMatrix(labels: handLabels, predictions: handPredictions, classes: 4)
    let mistakes = [
        Misclassification(pixels: (0..<256).map { Float($0 % 16) / 15 }, truth: 1, predicted: 3, confidence: 0.8, source: "#4"),
        Misclassification(pixels: [Float](repeating: 0.5, count: 256), truth: 3, predicted: 0, confidence: 0.6)
    ]
    let directory = temporaryDirectory().appendingPathComponent("nested")  // created on the way
    defer { try? FileManager.default.removeItem(at: directory.deletingLastPathComponent()) }

    let written = try writeReport(
        to: directory.path, confusion: matrix, misclassified: mistakes,
        extraFields: ["dataset": .string("fixture")])
    #expect(
        written.map { URL(fileURLWithPath: $0).lastPathComponent } == ["confusion.png", "misclassified.png", "per-class.png", "report.json"]
    )

    let expectedSizes = [
        "confusion.png": matrix.heatmap(),
        "misclassified.png": try misclassifiedGallery(mistakes, totalMistakes: 4, totalCount: 10),
        "per-class.png": matrix.perClassChart()
    ]
    for (name, canvas) in expectedSizes {
        let png = try checkPNG(directory.appendingPathComponent(name))
        #expect(png.width == canvas.width && png.height == canvas.height, "size of \(name)")
        #expect(png.types.first == "IHDR" && png.types.last == "IEND" && png.types.contains("IDAT"), "chunks of \(name)")
    }
    let json = try String(contentsOf: directory.appendingPathComponent("report.json"), encoding: .utf8)
    #expect(json == (try matrix.jsonReport(extraFields: ["dataset": .string("fixture")])) + "\n")
}

@Test func evaluationWritesItsOwnReport() throws {
    let probabilities = Matrix([[0.9, 0.1], [0.2, 0.8], [0.7, 0.3]])
    let evaluation = try Evaluation(labels: [0, 1, 1], probabilities: probabilities)
    let directory = temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    try evaluation.writeReport(to: directory.path, images: Matrix(rows: 3, columns: 256, repeating: 0.25))
    let object = try JSONSerialization.jsonObject(with: Data(contentsOf: directory.appendingPathComponent("report.json"))) as? [String: Any]
    #expect(object?["confusion"] as? [[Int]] == [[1, 0], [1, 1]])

    #expect(throws: EvaluationError.imageCountMismatch(labels: 3, images: 2)) {
        try evaluation.writeReport(to: directory.path, images: Matrix(rows: 2, columns: 256))
    }
}

@Test func badInputWritesNothing() throws {
    let directory = temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let crooked = Misclassification(pixels: [0, 1, 0], truth: 1, predicted: 2, confidence: 0.5)
    #expect(throws: EvaluationError.imageNotSquare(pixelCount: 3)) {
        try writeReport(to: directory.path, confusion: ConfusionMatrix(), misclassified: [crooked])
    }
    #expect(throws: EvaluationError.reservedJSONKey("accuracy")) {
        try writeReport(to: directory.path, confusion: ConfusionMatrix(), misclassified: [], extraFields: ["accuracy": .integer(1)])
    }
    #expect(!FileManager.default.fileExists(atPath: directory.path))
}
