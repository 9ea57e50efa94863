import DigitsModel

extension RejectionRule {
    /// The rule a model file asks for: its calibrated confidence threshold (`provenance.reject_confidence`)
    /// unless `confidence` overrides it, and its trained "not a digit" class, if it has one, with the
    /// bar calibrated for it (`provenance.reject_not_a_digit_ratio`; 1, the class must be the most
    /// probable, for a model without it).
    /// `classify`, `evaluate` and `digits serve` all refuse by this, so their counts agree.
    ///
    /// With a trained class the ink-density check is off: a dense box was the shape rule's stand-in
    /// for "a blob", but a thick digit filling its frame is dense too (a bilevel "1" is a solid bar),
    /// and the trained class tells blobs from such digits by their shape.
    public init(model: SavedModel, confidence: Float?) {
        self.init(
            minimumConfidence: confidence ?? model.provenance.other[RejectionRule.metadataKey].flatMap(Float.init),
            notADigitClass: model.notADigitClass,
            notADigitRatio: model.provenance.other[RejectionRule.ratioMetadataKey].flatMap(Float.init).flatMap {
                $0.isFinite ? min(1, max(0, $0)) : nil
            } ?? 1)
        if model.notADigitClass != nil { maximumDensity = 1 }  // density ≤ 1: never above
    }
}
