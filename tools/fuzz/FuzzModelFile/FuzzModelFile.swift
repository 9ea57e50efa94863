// libFuzzer entry: the three readers of model files, on the same untrusted bytes.
// Built only with DIGITS_FUZZ=1 (see tools/fuzz/README.md); libFuzzer supplies `main`.
import DigitsModel

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzModelFile(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    // Every outcome is fine except a trap, a sanitizer report, a hang or an OOM;
    // descriptions are rendered too, since a command prints them.
    do {
        _ = try SafeTensors.decode(bytes, path: "fuzz").encoded()
    } catch {
        _ = error.description
    }
    do {
        let model = try SavedModel.decode(bytes, path: "fuzz")
        _ = try? model.makeNetwork()
    } catch {
        _ = error.description
    }
    do {
        let checkpoint = try TrainingCheckpoint.decode(bytes, path: "fuzz")
        _ = try? checkpoint.makeTrainer()
        // The options' JSON, with the model's preprocessing settings put back (format 2).
        _ = checkpoint.decodeTrainingOptions([String: Int].self)
    } catch {
        _ = error.description
    }
    return 0
}
