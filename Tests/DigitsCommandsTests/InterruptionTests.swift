import DigitsCore
import DigitsModel
import DigitsTestSupport
import Foundation
import Testing

/// Training that goes wrong or is cut short never costs the model: divergence stops with a hint and
/// leaves the saved model alone, a run killed after a checkpoint resumes to exactly the model of an
/// uninterrupted run, and a SIGKILL at any moment leaves the output loadable.
@Suite struct InterruptionTests {
    /// η = 10⁶ sends the logits past Float's range within the first few batches on the fixture
    /// (checked: the loss is `inf` or `nan` in epoch 1), so training must stop before saving anything.
    @Test func divergenceStopsWithAHintAndKeepsTheSavedModel() throws {
        try withTemporaryDirectory { directory in
            let files = try SyntheticDigits().write(to: directory)
            let output = directory.appendingPathComponent("m.safetensors").path
            try constantModel(favouring: 3).save(to: output)
            let before = try Data(contentsOf: URL(fileURLWithPath: output))

            let result = try run(
                "digits",
                ["train"]
                    + trainingArguments(
                        files, output: output,
                        extra: ["--learning-rate", "1e6"]),
                in: directory)
            expectOneErrorLine(result, tool: "digits train", mentioning: ["diverged", "lower the learning rate"])
            #expect(!result.standardOutputLines.contains { $0.hasPrefix("epoch ") }, "no epoch completed: \(result)")
            let unchanged = try Data(contentsOf: URL(fileURLWithPath: output)) == before
            #expect(unchanged, "the saved model was replaced")
            #expect(try SavedModel.load(from: output) == constantModel(favouring: 3))
            #expect(try strayFiles(in: directory, besides: SyntheticDigits.fileNames.union(["m.safetensors"])) == ([], []))
        }
    }

    /// Run A trains 4 epochs in one go. Run B, the same, is SIGKILLed as soon as it has printed the
    /// line of epoch 2 (TrainingSession writes the checkpoint before that line), then resumed from its
    /// checkpoint. B's final model must equal A's bit for bit, and so must the final checkpoints.
    /// Both train with the default augmentation, so the resumed run must rebuild the very same
    /// augmented epochs (counter-based: seed, epoch, example) that A's built in the background.
    /// 3,000 images make an epoch last long enough (~0.1 s) for the kill to land inside epoch 3; if B
    /// still got to the end first (a loaded machine), it is run again, up to three times.
    @Test func resumedRunEqualsUninterruptedRun() throws {
        try withTemporaryDirectory { directory in
            let files = try SyntheticDigits(count: 3_000).write(to: directory)
            func path(_ name: String) -> String { directory.appendingPathComponent(name).path }
            func arguments(_ name: String) -> [String] {
                ["train"]
                    + trainingArguments(
                        files, output: path("\(name).safetensors"), epochs: 4,
                        extra: ["--hidden", "32", "--checkpoint", path("\(name).ckpt")])
            }

            let a = try run("digits", arguments("a"), in: directory)
            try #require(a.exited(0), "\(a)")

            var completed = 4
            var killed: ProcessResult?
            for _ in 0..<3 where completed == 4 {
                for name in ["b.safetensors", "b.ckpt"] { try? FileManager.default.removeItem(atPath: path(name)) }
                let b = try start("digits", arguments("b"), in: directory)
                let sawEpoch2 = b.waitForStandardOutputLine { $0.hasPrefix("epoch 2/4") }
                b.killHard()
                killed = try b.wait()
                try #require(sawEpoch2, "run B never printed epoch 2: \(killed!)")
                // The checkpoint already holds epoch 2 (or later, if B got further before the kill landed).
                completed = try TrainingCheckpoint.load(from: path("b.ckpt")).epochsCompleted
                #expect(completed >= 2, "checkpoint after \(completed) epochs: \(killed!)")
            }
            #expect(completed < 4, "run B finished before the kill three times; resuming was not exercised: \(killed!)")

            let resumed = try run(
                "digits", ["train", "--resume", path("b.ckpt"), "--output", path("b.safetensors")],
                in: directory)
            #expect(resumed.exited(0), "\(resumed)")
            #expect(resumed.standardError.isEmpty, "\(resumed)")
            let epochLines = resumed.standardOutputLines.filter { $0.hasPrefix("epoch ") }
            #expect(epochLines.map { String($0.prefix(9)) } == (completed..<4).map { "epoch \($0 + 1)/4" }, "\(resumed)")

            let modelA = try SavedModel.load(from: path("a.safetensors"))
            let modelB = try SavedModel.load(from: path("b.safetensors"))
            #expect(firstWeightDifference(modelA, modelB) == nil)
            #expect(modelA.provenance.validationAccuracy == modelB.provenance.validationAccuracy)
            let finalA = try TrainingCheckpoint.load(from: path("a.ckpt"))
            let finalB = try TrainingCheckpoint.load(from: path("b.ckpt"))
            #expect(finalA.epochsCompleted == 4 && finalB.epochsCompleted == 4)
            #expect(firstWeightDifference(finalA.model, finalB.model) == nil)
            let sameVelocities =
                finalA.velocities.map { $0.elements.map(\.bitPattern) }
                == finalB.velocities.map { $0.elements.map(\.bitPattern) }
            #expect(sameVelocities)
            #expect(finalA.generatorState == finalB.generatorState)
            #expect(finalA.history.map(\.statistics) == finalB.history.map(\.statistics))
        }
    }

    /// `--resume` into an output the run never saved to: the best model must be written there even
    /// when no epoch after the resume improves on it (here the checkpoint is already complete), since
    /// the last line says it was.
    @Test func resumingIntoAnotherOutputWritesTheBestModelThere() throws {
        try withTemporaryDirectory { directory in
            let files = try SyntheticDigits().write(to: directory)
            func path(_ name: String) -> String { directory.appendingPathComponent(name).path }
            let first = try run(
                "digits",
                ["train"]
                    + trainingArguments(
                        files, output: path("first.safetensors"), epochs: 3,
                        extra: ["--checkpoint", path("run.ckpt")]),
                in: directory)
            try #require(first.exited(0), "\(first)")

            let resumed = try run(
                "digits", ["train", "--resume", path("run.ckpt"), "--output", path("second.safetensors")],
                in: directory)
            #expect(resumed.exited(0), "\(resumed)")
            #expect(resumed.standardOutput.contains("the checkpoint has already completed all 3 epochs"), "\(resumed)")
            #expect(resumed.standardOutputLines.last?.hasSuffix("model saved to \(path("second.safetensors"))") == true)
            let second = try SavedModel.load(from: path("second.safetensors"))
            #expect(try firstWeightDifference(second, SavedModel.load(from: path("first.safetensors"))) == nil)
        }
    }

    /// `--resume` without `--output` keeps saving where the run was saving (the checkpoint records
    /// it), not at the default `models/trained.safetensors` of the working directory.
    @Test func resumingWithoutOutputSavesWhereTheRunWasSaving() throws {
        try withTemporaryDirectory { directory in
            let files = try SyntheticDigits().write(to: directory)
            func path(_ name: String) -> String { directory.appendingPathComponent(name).path }
            let first = try run(
                "digits",
                ["train"]
                    + trainingArguments(
                        files, output: path("run.safetensors"), epochs: 2,
                        extra: ["--checkpoint", path("run.ckpt")]),
                in: directory)
            try #require(first.exited(0), "\(first)")
            let trained = try SavedModel.load(from: path("run.safetensors"))
            try FileManager.default.removeItem(atPath: path("run.safetensors"))

            let resumed = try run("digits", ["train", "--resume", path("run.ckpt")], in: directory)
            #expect(resumed.exited(0), "\(resumed)")
            #expect(
                resumed.standardOutputLines.last?.hasSuffix("model saved to \(path("run.safetensors"))") == true,
                "\(resumed)")
            #expect(try firstWeightDifference(SavedModel.load(from: path("run.safetensors")), trained) == nil)
            #expect(!FileManager.default.fileExists(atPath: path("models")), "saved at the default path instead")
        }
    }

    /// Fixture data, and a valid model already at `models/model.safetensors`: what a kill must not lose.
    private func modelAlreadySaved(in directory: URL) throws -> (files: SyntheticDigits.Files, models: URL, output: String) {
        let files = try SyntheticDigits().write(to: directory)
        let models = directory.appendingPathComponent("models")
        try FileManager.default.createDirectory(at: models, withIntermediateDirectories: true)
        let output = models.appendingPathComponent("model.safetensors").path
        try constantModel(favouring: 3).save(to: output)
        return (files, models, output)
    }

    /// What a killed run may leave beside the output: its lock file (the kernel released the lock),
    /// its best model so far in `model.safetensors.partial`, and the atomic writer's hidden temporary
    /// files. Never anything at the output itself.
    private func expectOnlyRunLeftovers(in models: URL, sourceLocation: SourceLocation = #_sourceLocation) throws -> Int {
        let (temporaries, others) = try strayFiles(in: models, besides: ["model.safetensors", "model.safetensors.partial"])
        #expect(Set(others).isSubset(of: [".model.safetensors.lock"]), "\(others)", sourceLocation: sourceLocation)
        if FileManager.default.fileExists(atPath: models.appendingPathComponent("model.safetensors.partial").path) {
            // The partial model was written atomically too: when it is there, it loads.
            _ = try SavedModel.load(from: models.appendingPathComponent("model.safetensors.partial").path)
        }
        return temporaries.count
    }

    /// SIGKILL at 30 moments spread over a run's first 1.5 s (seeded, so the same each time: while
    /// loading, training, saving the partial model) never changes the previous model at `--output`:
    /// an unfinished run's model, however good or bad, only ever lands in `.partial`. A normal run
    /// afterwards removes every leftover and replaces the model.
    @Test func killingTrainingAtAnyMomentLeavesThePreviousModel() throws {
        try withTemporaryDirectory { directory in
            let (files, models, output) = try modelAlreadySaved(in: directory)
            let before = try Data(contentsOf: URL(fileURLWithPath: output))

            var generator = SeededGenerator(seed: 30)
            var saves = 0
            for step in 0..<30 {
                // On a loaded machine a debug build may not reach its first save in 1.5 s: then the
                // last ten kills come later, so the test still kills runs that have saved.
                let latest = step >= 20 && saves == 0 ? 6.0 : 1.5
                let delay = Double.random(in: 0..<latest, using: &generator)
                let training = try start(
                    "digits", ["train"] + slowlyImprovingTraining(files, output: output, seed: step),
                    in: directory)
                usleep(UInt32(delay * 1_000_000))
                training.killHard()
                let result = try training.wait()
                #expect(result.signalled && result.status == SIGKILL, "\(result)")
                saves += result.standardOutputLines.filter { $0.hasSuffix("saved") }.count
                #expect(try Data(contentsOf: URL(fileURLWithPath: output)) == before, "after a kill at \(delay) s")
                _ = try expectOnlyRunLeftovers(in: models)
            }
            #expect(saves > 0, "no kill came after a save; the delays need adjusting")

            let finished = try run("digits", ["train"] + trainingArguments(files, output: output, epochs: 1), in: directory)
            #expect(finished.exited(0), "\(finished)")
            #expect(try FileManager.default.contentsOfDirectory(atPath: models.path) == ["model.safetensors"])
            #expect(try Data(contentsOf: URL(fileURLWithPath: output)) != before)
            _ = try SavedModel.load(from: output)
        }
    }

    /// The same, but each kill is aimed at a save: inotify watches the output's folder and the
    /// trainer is killed the moment anything in it is created, opened or written after its k-th save
    /// (k = 0, 1, 3, 6) — that is, as the next save begins, whatever the writer does first. The model
    /// at the output must be the previous one, byte for byte; what the kill leaves behind may only be
    /// the run's leftovers (lock file, `.partial`, the atomic writer's hidden temporaries).
    @Test func killingTrainingAsASaveBeginsLeavesThePreviousModel() throws {
        try withTemporaryDirectory { directory in
            let (files, models, output) = try modelAlreadySaved(in: directory)
            let before = try Data(contentsOf: URL(fileURLWithPath: output))

            var killsMidSave = 0
            for (step, savesBefore) in [0, 1, 3, 6].enumerated() {
                let watch = try FolderWatch(models)
                defer { watch.close() }
                let training = try start(
                    "digits", ["train"] + slowlyImprovingTraining(files, output: output, seed: step),
                    in: directory)
                let ready = training.waitForStandardOutput(timeout: 30) { lines in
                    lines.filter { $0.hasSuffix("saved") }.count >= savesBefore
                }
                watch.discardEvents()
                let saveBegan = ready && watch.waitForEvent(timeout: 10)
                training.killHard()
                let result = try training.wait()
                try #require(saveBegan, "no save began after \(savesBefore) saves: \(result)")
                #expect(result.signalled && result.status == SIGKILL, "\(result)")
                #expect(try Data(contentsOf: URL(fileURLWithPath: output)) == before)
                if try expectOnlyRunLeftovers(in: models) > 0 { killsMidSave += 1 }
            }
            // The trigger works: kills landed between a temporary file's creation and its rename.
            #expect(killsMidSave > 0, "every save finished before its kill; the trigger is too slow to test anything")
        }
    }

    /// SIGTERM (and Ctrl-C's SIGINT) stop the run after the epoch in progress, with one line saying
    /// what was kept and where, the shell's status for the signal, and the previous model untouched.
    @Test(arguments: [SIGTERM, SIGINT])
    func terminatingTrainingKeepsThePreviousModelAndSaysWhere(signalNumber: Int32) throws {
        try withTemporaryDirectory { directory in
            let (files, models, output) = try modelAlreadySaved(in: directory)
            let before = try Data(contentsOf: URL(fileURLWithPath: output))
            let training = try start(
                "digits", ["train"] + slowlyImprovingTraining(files, output: output, seed: 1),
                in: directory)
            let ready = training.waitForStandardOutput(timeout: 30) { lines in lines.contains { $0.hasSuffix("saved") } }
            try #require(ready)
            kill(training.processIdentifier, signalNumber)
            let result = try training.wait()
            #expect(result.status == 128 + signalNumber, "\(result)")
            #expect(result.standardErrorLines.count == 1, "\(result)")
            for fragment in ["digits train: error: interrupted after epoch", "\(output) is unchanged", "\(output).partial"] {
                #expect(result.standardError.contains(fragment), "\(result)")
            }
            // The epoch the message names is the last one shown ("epoch N/10000 … " then "after epoch N").
            let lastShown = result.standardOutputLines.last { $0.hasPrefix("epoch ") }?
                .dropFirst("epoch ".count).prefix { $0 != "/" }.trimmingCharacters(in: .whitespaces)
            #expect(
                lastShown.map { result.standardError.contains("interrupted after epoch \($0) of") } == true,
                "the last epoch line shown is not the epoch the message names: \(result)")
            #expect(try Data(contentsOf: URL(fileURLWithPath: output)) == before)
            #expect(
                try FileManager.default.contentsOfDirectory(atPath: models.path).sorted()
                    == ["model.safetensors", "model.safetensors.partial"])
        }
    }

    /// Two runs to the same output: the second fails at once, naming the output and the lock.
    @Test func aSecondRunToTheSameOutputFailsAtOnce() throws {
        try withTemporaryDirectory { directory in
            let (files, _, output) = try modelAlreadySaved(in: directory)
            let first = try start("digits", ["train"] + slowlyImprovingTraining(files, output: output, seed: 1), in: directory)
            defer {
                first.killHard()
                _ = try? first.wait()
            }
            try #require(first.waitForStandardOutput(timeout: 30) { !$0.isEmpty })
            let second = try run("digits", ["train"] + trainingArguments(files, output: output, epochs: 1), in: directory)
            expectOneErrorLine(second, tool: "digits train", mentioning: [output, "another run is writing this file now"])
            #expect(second.status == 1)
        }
    }

    /// Many short epochs that keep saving: 250 images, η small enough that validation accuracy
    /// creeps up over tens of epochs, so most epochs improve on the best and save.
    private func slowlyImprovingTraining(_ files: SyntheticDigits.Files, output: String, seed: Int) -> [String] {
        trainingArguments(
            files, output: output, epochs: 10_000, seed: seed,
            extra: ["--hidden", "64", "--batch-size", "50", "--learning-rate", "0.003", "--momentum", "0"])
    }
}

/// inotify on one folder: reports the first file created, opened, written or moved into it.
private final class FolderWatch {
    private var descriptor: Int32

    init(_ folder: URL) throws {
        descriptor = inotify_init1(0)
        guard descriptor >= 0,
            inotify_add_watch(descriptor, folder.path, UInt32(IN_CREATE | IN_OPEN | IN_MODIFY | IN_MOVED_TO)) >= 0
        else {
            throw Failure("inotify on \(folder.path): \(String(cString: strerror(errno)))")
        }
    }

    /// Forgets the events so far (the tests' own writes, earlier saves).
    func discardEvents() {
        while waitForEvent(timeout: 0) { drain() }
    }

    /// Waits until an event is pending (without reading it, to react as fast as possible).
    func waitForEvent(timeout: TimeInterval) -> Bool {
        var request = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
        return poll(&request, 1, Int32(timeout * 1000)) == 1
    }

    private func drain() {
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        _ = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
    }

    func close() {
        if descriptor >= 0 { _ = Glibc.close(descriptor) }
        descriptor = -1
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }
}
