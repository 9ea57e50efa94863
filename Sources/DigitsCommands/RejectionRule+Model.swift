import DigitsEvaluation
import DigitsModel

extension RejectionRule {
    /// The rule a model file asks for: its calibrated confidence threshold (`provenance.reject_confidence`)
    /// unless `confidence` overrides it, and its trained "not a digit" class, if it has one.
    /// `classify` and `evaluate` both refuse by this, so their counts agree.
    init(model: SavedModel, confidence: Float?) {
        self.init(
            minimumConfidence: confidence ?? model.provenance.other[RejectionRule.metadataKey].flatMap(Float.init),
            notADigitClass: model.notADigitClass)
    }
}
