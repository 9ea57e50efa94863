/// TEMPORARY stand-in for `DigitsData.PreprocessingSettings` (branch `data`), deleted once that
/// branch is merged. Only its `Codable`/`Equatable` shape matters to the model file.
public struct PreprocessingSettings: Codable, Equatable, Sendable {
    public var targetBoxSize: Int
    public var inkThreshold: Float

    public init(targetBoxSize: Int, inkThreshold: Float) {
        self.targetBoxSize = targetBoxSize
        self.inkThreshold = inkThreshold
    }

    public static let standard = PreprocessingSettings(targetBoxSize: 12, inkThreshold: 0.1)
}
