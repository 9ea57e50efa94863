import DigitsIO
import DigitsModel
import Foundation

/// The files a training run writes, and the rules that keep every other file safe from it.
///
/// - The run holds a lock on `--output` (`OutputLock`): a second run to the same output fails at once.
/// - While training, the best model so far goes to `OUTPUT.partial`; only a run that ends normally
///   moves it onto `--output`. An interrupted or killed run leaves the previous model untouched.
/// - `--output` and `--checkpoint` are never the same file, never a file the run reads (images,
///   labels, the checkpoint it resumes), never a device or a directory.
/// - Temporary files that a killed run left beside these paths are removed when the lock is taken.
final class TrainingOutput {
    let output: String
    let partial: String
    let checkpoint: String?
    private let lock: OutputLock

    /// `inputs`: every file the run reads; none of them may be written.
    init(output: String, checkpoint: String?, inputs: [String], resumedFrom: String? = nil) throws {
        self.output = output
        partial = output + ".partial"
        self.checkpoint = checkpoint
        if let checkpoint, sameFile(checkpoint, output) {
            throw Failure("\(output): --output and --checkpoint name the same file; give them different names")
        }
        for (written, role) in [(output, "model"), (partial, "model"), (checkpoint, "checkpoint")] {
            guard let written else { continue }
            for input in inputs where sameFile(input, written) && !(role == "checkpoint" && input == resumedFrom) {
                throw Failure("\(written): will not write the \(role) there: the run reads \(input) from that file")
            }
            try requireWritableFolder(for: written)
            try AtomicFile.requireReplaceable(written)
        }
        lock = try OutputLock(for: output)
        for path in [output, partial] + (checkpoint.map { [$0] } ?? []) {
            AtomicFile.removeStaleTemporaries(for: path)
        }
    }

    /// Saves the best model so far beside the output, never over it.
    func saveBest(_ model: SavedModel) throws {
        try model.save(to: partial)
    }

    /// The run ended normally: the best model replaces whatever was at `output`, in one rename.
    func finish() throws {
        if FileManager.default.fileExists(atPath: partial) {
            try AtomicFile.move(partial, to: output)
        }
        lock.release()
    }
}

/// True when both paths lead to the same file, or are the same path.
func sameFile(_ a: String, _ b: String) -> Bool {
    if a == b { return true }
    guard let first = FileIdentity.of(a), let second = FileIdentity.of(b) else {
        return absolutePath(a) == absolutePath(b)
    }
    return first == second
}

/// `path` made absolute against the working directory, with `.` and `..` resolved as far as the
/// folders exist (symbolic links in them too).
func absolutePath(_ path: String) -> String {
    let (directory, name) = AtomicFile.split(path)
    if let resolved = realpath(directory, nil) {
        defer { free(resolved) }
        let folder = String(cString: resolved)
        return (folder == "/" ? "" : folder) + "/" + name
    }
    return path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
}

/// `path` written relative to `folder` (both made absolute first): how a checkpoint records its
/// output, so that a run resumed from another working directory still saves where it was saving.
func relativePath(_ path: String, from folder: String) -> String {
    let target = absolutePath(path).split(separator: "/")
    let base = absolutePath(folder + "/.").split(separator: "/").dropLast()
    var common = 0
    while common < min(target.count - 1, base.count) && target[common] == base[base.startIndex + common] { common += 1 }
    let ups = Array(repeating: "..", count: base.count - common)
    return (ups + target[common...].map(String.init)).joined(separator: "/")
}

/// Fails with one line naming `path` when the folder it would be saved in is missing or read-only.
func requireWritableFolder(for path: String) throws {
    let directory = AtomicFile.split(path).directory
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
        throw Failure("\(path): cannot save there: folder \(directory) does not exist")
    }
    guard FileManager.default.isWritableFile(atPath: directory) else {
        throw Failure("\(path): cannot save there: folder \(directory) is not writable")
    }
}

/// SIGINT and SIGTERM during training: noted here by the handler, acted on between epochs, so a
/// save in progress always completes and the run can say what it kept.
enum Interruption {
    nonisolated(unsafe) private static var received: Int32 = 0

    static func install() {
        var mask = sigset_t()
        sigemptyset(&mask)
        for signalNumber in [SIGINT, SIGTERM] {
            _ = Glibc.signal(signalNumber) { number in Interruption.received = number }
            sigaddset(&mask, signalNumber)
        }
        // A parent may have started us with these blocked (the mask is inherited through exec, and
        // some launchers block them in their own threads): a blocked SIGTERM would never arrive.
        sigprocmask(SIG_UNBLOCK, &mask, nil)
    }

    /// The signal received since `install`, if any.
    static var caught: Int32? { received == 0 ? nil : received }
}
