import Foundation

/// How much one request may ask of the server.
public struct ServerLimits: Sendable, Equatable {
    /// Request body bytes (a phone photo as JPEG is 2–6 MB); more is answered 413.
    public var bodyBytes: Int
    /// The longest side a picture may have, read from its header before decoding; a 4096² picture
    /// is 64 MB as Floats while it is preprocessed.
    public var pictureSide: Int
    /// Pictures decoded and preprocessed at once: more would only share the same cores.
    public var concurrentPictures: Int
    /// Requests waiting for a slot beyond those; more are answered 503 at once.
    public var queueLength: Int
    /// Files in one multipart request.
    public var multipartFiles: Int

    public init(
        bodyBytes: Int = 10 << 20, pictureSide: Int = 4096,
        concurrentPictures: Int = ProcessInfo.processInfo.activeProcessorCount,
        queueLength: Int = 1024, multipartFiles: Int = 64
    ) {
        self.bodyBytes = bodyBytes
        self.pictureSide = pictureSide
        self.concurrentPictures = concurrentPictures
        self.queueLength = queueLength
        self.multipartFiles = multipartFiles
    }
}
