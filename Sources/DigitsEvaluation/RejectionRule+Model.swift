import DigitsModel

extension RejectionRule {
    /// The rule a model file asks for: its calibrated confidence threshold (`provenance.reject_confidence`)
    /// unless `confidence` overrides it, and its trained "not a digit" class, if it has one.
    /// `classify`, `evaluate` and `digits serve` all refuse by this, so their counts agree.
    ///
    /// With a trained class the ink-density check is off: a dense box was the shape rule's stand-in
    /// for "a blob", but a thick digit filling its frame is dense too (a bilevel "1" is a solid bar),
    /// and the trained class tells blobs from such digits by their shape.
    public init(model: SavedModel, confidence: Float?) {
        self.init(
            minimumConfidence: confidence ?? model.provenance.other[RejectionRule.metadataKey].flatMap(Float.init),
            notADigitClass: model.notADigitClass)
        if model.notADigitClass != nil { maximumDensity = 1 }  // density ≤ 1: never above
    }
}
