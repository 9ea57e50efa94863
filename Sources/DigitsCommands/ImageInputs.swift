import ArgumentParser
import DigitsData
import DigitsEvaluation
import DigitsIO
import DigitsJSON
import Foundation

/// One picture a command was pointed at: a file, or standard input (`-`).
struct ImageInput {
    /// As result lines name it: the path, or "-" for standard input.
    let name: String
    let isStandardInput: Bool
    /// As error lines name it: the path, or "standard input".
    var errorName: String { isStandardInput ? StandardInput.name : name }

    /// The picture, by content (PNG or JPEG); standard input is read up to `ImageReader.byteLimit` bytes.
    func read() throws -> GrayImage {
        guard isStandardInput else { return try ImageReader.read(name) }
        // Waiting for someone to type a JPEG would look like a hang.
        if isatty(STDIN_FILENO) == 1 {
            throw Failure("-: standard input is a terminal; pipe an image in (digits classify - < photo.jpg)")
        }
        return try ImageReader.readStandardInput()
    }
}

/// A picture that could not be read or answered: one line on stderr naming it (lineNaming adds the
/// name where the error's text does not) and, with `json`, `{"file", "error"}` in its place on stdout.
/// `digits classify` and `digits read` report failures this way.
func reportPictureFailure(_ picture: ImageInput, _ error: any Error, json: Bool, tool: String) {
    let line = lineNaming(picture.errorName, error)
    if json {
        let prefix = picture.errorName + ": "
        let problem = line.hasPrefix(prefix) ? String(line.dropFirst(prefix.count)) : line
        print(JSONWriter.write(Classification.errorJSON(file: picture.name, problem: problem), style: .line))
    }
    printError(line, tool: tool)
}

/// The picture arguments classify and read take, checked before anything is read: at least one, none
/// empty ("" joined with nothing names no file), standard input at most once.
func validateImageArguments(_ arguments: [String]) throws {
    guard !arguments.isEmpty else { throw ValidationError("give at least one image file, folder or -") }
    guard !arguments.contains("") else { throw ValidationError("an empty file name: name an image file, folder or -") }
    guard arguments.filter({ $0 == "-" }).count <= 1 else { throw ValidationError("- (standard input) can be given once") }
}

/// Turns command-line arguments into pictures: a file as given (whatever it turns out to be, its
/// reader says what is wrong with it), a folder into every PNG and JPEG under it (recursive, sorted,
/// told by content; the rest named on stderr as skipped), and `-` into standard input.
///
/// `failures` counts the arguments that gave nothing: a folder that cannot be listed or holds no
/// picture (each reported on stderr as an error line).
func expandImageArguments(_ arguments: [String], tool: String) -> (inputs: [ImageInput], failures: Int) {
    var inputs: [ImageInput] = []
    var failures = 0
    for argument in arguments {
        if argument == "-" {
            inputs.append(ImageInput(name: "-", isStandardInput: true))
        } else if DirectoryListing.isDirectory(argument) {
            do {
                let folder = try PictureFolder(argument)
                reportSkipped(folder.skipped, tool: tool)
                if folder.pictures.isEmpty {
                    printError(
                        "\(argument): no PNG or JPEG pictures in this folder"
                            + (folder.skipped.isEmpty ? "" : " (\(countText(folder.skipped.count, "file")) skipped)"), tool: tool)
                    failures += 1
                }
                inputs += folder.pictures.map { ImageInput(name: $0, isStandardInput: false) }
            } catch {
                printError(error.description, tool: tool)
                failures += 1
            }
        } else {
            inputs.append(ImageInput(name: argument, isStandardInput: false))
        }
    }
    return (inputs, failures)
}

/// How many skipped entries are named one per line before the rest are summed up in one line.
let skippedLinesShown = 20

/// `tool: skipped PATH: what it is`, one line each on stderr, then one summary line for any beyond
/// the first `skippedLinesShown`. Skipped entries are not failures: the exit status does not change.
func reportSkipped(_ skipped: [PictureFolder.Skipped], tool: String) {
    var text = ""
    for entry in skipped.prefix(skippedLinesShown) {
        text += "\(tool): skipped \(JSONWriter.terminalSafe(entry.path)): \(entry.reason)\n"
    }
    if skipped.count > skippedLinesShown {
        text += "\(tool): skipped \(countText(skipped.count - skippedLinesShown, "more file")) that are not pictures\n"
    }
    FileHandle.standardError.write(Data(text.utf8))
}

/// "1 file", "3 files".
func countText(_ count: Int, _ noun: String) -> String { "\(count) \(noun)\(count == 1 ? "" : "s")" }

/// An error's one line, starting with the file it is about (preprocessing errors do not name it).
func lineNaming(_ path: String, _ error: any Error) -> String {
    let text = String(describing: error)
    return text.hasPrefix(path + ":") ? text : "\(path): \(text)"
}
