import DigitsJSON
import Hummingbird

/// A request the API refuses: its status and one line naming the problem, answered as
/// `{"error": "…"}` (with `"file"` when one picture of several is meant).
public struct APIError: HTTPResponseError, CustomStringConvertible {
    public var status: HTTPResponse.Status
    public var problem: String
    public var file: String?

    public init(_ status: HTTPResponse.Status, _ problem: String, file: String? = nil) {
        self.status = status
        self.problem = problem
        self.file = file
    }

    public var description: String { "\(status.code): \(file.map { "\($0): " } ?? "")\(problem)" }

    public var json: JSONValue {
        var object: [(key: String, value: JSONValue)] = []
        if let file { object.append(("file", .string(file))) }
        object.append(("error", .string(problem)))
        return .object(object)
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        jsonResponse(json, status: status)
    }
}

/// A JSON body with its content type.
func jsonResponse(_ value: JSONValue, status: HTTPResponse.Status = .ok) -> Response {
    let buffer = ByteBuffer(string: JSONWriter.write(value) + "\n")
    return Response(
        status: status,
        headers: [.contentType: "application/json", .contentLength: String(buffer.readableBytes)],
        body: .init(byteBuffer: buffer))
}
