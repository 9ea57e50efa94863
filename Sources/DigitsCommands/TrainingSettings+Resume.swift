import DigitsCore
import DigitsData
import DigitsJSON
import DigitsModel

extension TrainingSettings {
    /// The first reason these settings, read back from a checkpoint's `training_options`, cannot
    /// continue that checkpoint's run, or nil. The JSON is file content: it gets the checks
    /// `digits train` gives its options, and must describe the network and batch the checkpoint holds
    /// (a mismatch would otherwise trap deep inside training).
    func problem(resuming checkpoint: TrainingCheckpoint) -> String? {
        let saved = checkpoint.model.architecture
        if architecture != saved {
            return "training_options give layer sizes \(architecture.layerSizes), the checkpoint's network has \(saved.layerSizes)"
        }
        // Paths and names from the file are printed in messages: no control characters or escape sequences.
        for (name, text) in [
            ("dataset", dataset), ("images", images), ("labels", labels), ("data directory", dataDirectory),
            ("output", output)
        ] {
            if let text, JSONWriter.containsControlCharacters(text) {
                return "training_options give \(name) with control characters: \(JSONWriter.quoted(text))"
            }
        }
        if preprocessing != checkpoint.model.preprocessing {
            // Only a format-1 checkpoint stores them twice; format 2 keeps the model's copy alone.
            return "training_options give other preprocessing settings than the checkpoint's model"
        }
        if saved.inputSize != Preprocessor.outputCount {
            return "the checkpoint's network takes \(saved.inputSize) inputs, preprocessed images have \(Preprocessor.outputCount)"
        }
        if (optimizer ?? .sgd) != checkpoint.optimizer {
            return
                "training_options give optimizer \((optimizer ?? .sgd).rawValue), the checkpoint holds \(checkpoint.optimizer.rawValue)'s state"
        }
        if batchSize != checkpoint.batchSize {
            return "training_options give batch size \(batchSize), the checkpoint \(checkpoint.batchSize)"
        }
        if epochs < max(1, checkpoint.epochsCompleted) {
            return "training_options give \(epochs) epochs, the checkpoint has completed \(checkpoint.epochsCompleted)"
        }
        if let problem = augmentation.problem { return "training_options give augmentation: \(problem)" }
        if !TrainingLimits.threads.contains(threads) { return "training_options give \(threads) threads, expected 1…64" }
        if let validationCount, validationCount < 0 {
            return "training_options give \(validationCount) validation examples"
        }
        if !(sgd.learningRate > 0 && sgd.learningRate.isFinite) {
            return "training_options give learning rate \(sgd.learningRate), expected a positive number"
        }
        return nil
    }
}
