import DigitsJSON

extension SavedModel {
    /// What the model is, as JSON: architecture, preprocessing, class labels and provenance, under the
    /// names the model file's metadata uses (`GET /api/model` answers it). Weights are not included.
    public var descriptionJSON: JSONValue {
        get throws {
            .object([
                ("format", .string(Self.formatName)),
                ("architecture", try JSONCoding.value(architecture)),
                ("preprocessing", try JSONCoding.value(preprocessing)),
                ("class_labels", .array(classLabels.map(JSONValue.string))),
                ("provenance", provenance.json)
            ])
        }
    }
}

extension Provenance {
    /// Every field under its metadata key, null when the model does not record it; `other` as an object.
    public var json: JSONValue {
        .object([
            (ModelKey.dataset, dataset.map(JSONValue.string) ?? .null),
            (ModelKey.epochs, epochs.map { .integer($0) } ?? .null),
            (ModelKey.seed, seed.map { .integer($0) } ?? .null),
            (ModelKey.batchSize, batchSize.map { .integer($0) } ?? .null),
            (ModelKey.learningRate, learningRate.map(JSONValue.float) ?? .null),
            (ModelKey.validationAccuracy, validationAccuracy.map(JSONValue.double) ?? .null),
            (ModelKey.testAccuracy, testAccuracy.map(JSONValue.double) ?? .null),
            (ModelKey.created, created.map(JSONValue.string) ?? .null),
            (ModelKey.toolVersion, toolVersion.map(JSONValue.string) ?? .null),
            (ModelKey.commit, commit.map(JSONValue.string) ?? .null),
            ("other", .object(other.keys.sorted().map { ($0, .string(other[$0] ?? "")) }))
        ])
    }
}
