import DigitsIO

/// The pictures in a folder, told by content: every PNG or JPEG under it, however named, and the
/// rest listed with what they are (`notes.txt: a text file`), for a command to name as skipped.
public struct PictureFolder: Sendable {
    public struct Skipped: Equatable, Sendable {
        public var path: String
        public var reason: String
    }

    public let root: String
    /// Paths of the PNG and JPEG files, sorted (see `DirectoryListing`).
    public var pictures: [String]
    public var skipped: [Skipped]

    /// Lists `root` recursively and looks at the first bytes of each file. Throws only when `root`
    /// itself cannot be listed; a file that cannot be opened is skipped with its reason.
    public init(_ root: String, entryLimit: Int = DirectoryListing.defaultEntryLimit) throws(FileIOError) {
        self.root = root
        pictures = []
        skipped = []
        for entry in try DirectoryListing.entries(under: root, entryLimit: entryLimit) {
            if let reason = entry.skipReason {
                skipped.append(Skipped(path: entry.path, reason: reason))
                continue
            }
            do {
                let format = try ImageReader.format(of: entry.path)
                if format.isSupported {
                    pictures.append(entry.path)
                } else {
                    skipped.append(Skipped(path: entry.path, reason: format.description))
                }
            } catch {
                skipped.append(Skipped(path: entry.path, reason: error.reason))
            }
        }
    }
}
