import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Where the commands look for what they were not told: the shipped model and the data folder.
///
/// One order for both, so that `--help` can say it once:
/// 1. what belongs to the executable itself — an installed prefix (`PREFIX/bin/digits` finds
///    `PREFIX/share/digits/`), or the checkout it was built in (`.build/<triple>/release/digits` sits three
///    folders below a folder holding `Package.swift`);
/// 2. the working directory and its parents (a checkout the user is standing in).
///
/// Nothing is taken from where the source code was compiled (`#filePath`): a copied or installed
/// binary must not keep reading the build tree it came from.
public enum ProjectLocations {
    /// `PREFIX/share/digits` when the executable is installed as `PREFIX/bin/NAME` and that folder exists.
    public static func installedShare(executable: String? = executablePath()) -> String? {
        guard let executable = executable.map(absolute) else { return nil }
        let share = join(parentFolder(parentFolder(executable)), "share/digits")
        var status = stat()
        guard stat(share, &status) == 0, (status.st_mode & S_IFMT) == S_IFDIR else { return nil }
        return share
    }

    /// The checkout the executable was built in: the nearest of its first four ancestors holding `Package.swift`.
    public static func buildCheckout(executable: String? = executablePath()) -> String? {
        guard let executable = executable.map(absolute) else { return nil }
        var folder = parentFolder(executable)
        for _ in 0..<4 {
            if access(join(folder, "Package.swift"), F_OK) == 0 { return folder }
            let parent = parentFolder(folder)
            if parent == folder { break }
            folder = parent
        }
        return nil
    }

    // Paths by plain string operations on an absolute path, not `URL` (whose parsing was a measurable
    // part of starting `digits classify`): the folder holding a path ("/a/b/c" → "/a/b", "/a" → "/",
    // "/" → "/"), a path inside a folder, and a relative path made absolute (as URL(fileURLWithPath:) does).
    static func parentFolder(_ path: String) -> String {
        var trimmed = Substring(path)
        while trimmed.count > 1 && trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
        guard let slash = trimmed.lastIndex(of: "/") else { return "." }
        var parent = trimmed[..<slash]
        while parent.hasSuffix("/") { parent = parent.dropLast() }
        return parent.isEmpty ? "/" : String(parent)
    }

    static func join(_ folder: String, _ name: String) -> String { folder.hasSuffix("/") ? folder + name : folder + "/" + name }

    static func absolute(_ path: String) -> String {
        path.hasPrefix("/") ? path : URL(fileURLWithPath: path).path
    }

    /// The working directory and its parents, nearest first (at most `limit`).
    public static func workingDirectoryAndParents(
        _ workingDirectory: String = Datasets.currentDirectory(), limit: Int = 8
    ) -> [String] {
        var folders: [String] = []
        var url = URL(fileURLWithPath: workingDirectory).standardizedFileURL
        for _ in 0..<limit {
            folders.append(url.path)
            let parent = url.deletingLastPathComponent()
            if parent.path == url.path { break }
            url = parent
        }
        return folders
    }

    /// Folders that may be a digits checkout, in search order: the executable's own, then the working
    /// directory and its parents. Without duplicates.
    public static func checkoutRoots(
        executable: String? = executablePath(), workingDirectory: String = Datasets.currentDirectory()
    ) -> [String] {
        var roots: [String] = []
        for root in [buildCheckout(executable: executable)].compactMap({ $0 })
            + workingDirectoryAndParents(workingDirectory) where !roots.contains(root)
        {
            roots.append(root)
        }
        return roots
    }

    /// The running executable with symbolic links resolved (`/proc/self/exe`), so that a link on the
    /// PATH to an installed or built binary still finds that binary's files.
    public static func executablePath() -> String? {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let length = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        guard length > 0 else { return Bundle.main.executableURL?.resolvingSymlinksInPath().path }
        return String(decoding: buffer.prefix(length).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
