import DigitsCore
import DigitsData
import DigitsEvaluation
import DigitsJSON
import DigitsModel

/// From a picture's bytes to the JSON `digits classify --json` prints for it: decoded by content
/// (PNG or JPEG), preprocessed as the model was trained, read by the network (batched with the other
/// requests in flight), judged by the same rejection rule as `classify`.
public final class DigitRecognizer: Sendable {
    public let model: SavedModel
    public let limits: ServerLimits
    private let preprocessor: Preprocessor
    private let rule: RejectionRule
    private let batcher: ForwardBatcher
    private let limiter: WorkLimiter

    public init(model: SavedModel, limits: ServerLimits = ServerLimits()) throws {
        guard model.architecture.inputSize == Preprocessor.outputCount else {
            throw APIError(
                .internalServerError,
                "the model reads \(model.architecture.inputSize) inputs; pictures are preprocessed to \(Preprocessor.outputCount) (16 × 16)"
            )
        }
        self.model = model
        self.limits = limits
        preprocessor = Preprocessor(settings: model.preprocessing)
        rule = RejectionRule(model: model, confidence: nil)
        batcher = try ForwardBatcher(model: model)
        limiter = WorkLimiter(concurrent: limits.concurrentPictures, queueLimit: limits.queueLength)
    }

    /// The classification of one picture as `classify --json` gives it, `file` naming it; with
    /// `includeInput` also `"network_input"`: the 256 values (16 × 16, row-major, ink 1) the network read.
    /// Throws `APIError` 422 for what is not a readable picture with ink, 503 when the queue is full.
    public func classify(_ bytes: [UInt8], file: String, includeInput: Bool) async throws(APIError) -> JSONValue {
        do {
            try await limiter.acquire()
        } catch {
            throw APIError(.serviceUnavailable, "the server is busy: \(limits.queueLength) requests already wait; try again")
        }
        let prepared = prepare(bytes, file: file)
        limiter.release()
        let readings = try prepared.get()
        guard !readings.isEmpty else { throw APIError(.internalServerError, "no reading of the picture", file: file) }
        var outputs: [[Float]] = []
        for reading in readings { outputs.append(await batcher.probabilities(for: reading.input)) }
        // As classify: of a picture read both ways round, the reading whose digit is more probable.
        let (classification, chosen) = Classification.bestReading(outputs: outputs, marks: readings.map(\.marks), rule: rule)
        var json = classification.json(file: file)
        if includeInput { json = json.setting("network_input", to: .array(readings[chosen].input.map(JSONValue.float))) }
        return json
    }

    /// Decoded and preprocessed: the network's input(s) and the ink's shape, or a 422 naming the problem.
    private func prepare(_ bytes: [UInt8], file: String) -> Result<[(input: [Float], marks: InkMarks)], APIError> {
        do {
            let image = try ImageReader.decode(bytes, path: file, sideLimit: limits.pictureSide)
            return .success(try preprocessor.readings(of: image))
        } catch {
            // The readers' errors start with the name they were given; the JSON carries it apart.
            let text = String(describing: error)
            let problem = text.hasPrefix(file + ": ") ? String(text.dropFirst(file.count + 2)) : text
            return .failure(APIError(.unprocessableContent, problem, file: file))
        }
    }
}
