import DigitsJSON
import DigitsModel
import Foundation
import Hummingbird
import Logging

/// Every route the server answers, in the order the OpenAPI document lists them; the router is
/// built from this list and a test checks the document against it.
public enum Route: String, CaseIterable, Sendable {
    case page = "/"
    case classify = "/api/classify"
    case model = "/api/model"
    case health = "/healthz"
    case openAPI = "/openapi.yaml"

    public var method: HTTPRequest.Method { self == .classify ? .post : .get }
    public var path: String { rawValue }
}

/// `digits serve`: the page, the JSON API and its OpenAPI document over one loaded model.
public enum DigitsServer {
    /// Where the server listens.
    public struct Address: Sendable {
        public var host: String
        public var port: Int
        public init(host: String = "127.0.0.1", port: Int = 8080) {
            self.host = host
            self.port = port
        }
    }

    /// The router with every `Route`, the request log and the limits of `recognizer`.
    public static func makeRouter(recognizer: DigitRecognizer) throws -> Router<BasicRequestContext> {
        let router = Router()
        router.add(middleware: RequestLogMiddleware())
        // What does not change is encoded once, here.
        let page = ByteBuffer(bytes: PackageResources.index_html)
        let modelJSON = try recognizer.model.descriptionJSON
        let openAPI = ByteBuffer(string: OpenAPIDocument.yaml(try OpenAPIDocument.load()))
        let health = JSONValue.object([("status", .string("ok"))])
        for route in Route.allCases {
            switch route {
            case .page:
                router.get(RouterPath(route.path)) { _, _ in
                    Response(
                        status: .ok,
                        headers: [
                            .contentType: "text/html; charset=utf-8",
                            // The page is self-contained: nothing from elsewhere may load into it.
                            .contentSecurityPolicy:
                                "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data: blob:; connect-src 'self'; form-action 'none'; base-uri 'none'"
                        ],
                        body: .init(byteBuffer: page))
                }
            case .classify:
                router.post(RouterPath(route.path)) { request, _ in try await classify(request, recognizer: recognizer) }
            case .model:
                router.get(RouterPath(route.path)) { _, _ in jsonResponse(modelJSON) }
            case .health:
                router.get(RouterPath(route.path)) { _, _ in jsonResponse(health) }
            case .openAPI:
                router.get(RouterPath(route.path)) { _, _ in
                    Response(status: .ok, headers: [.contentType: "application/yaml; charset=utf-8"], body: .init(byteBuffer: openAPI))
                }
            }
        }
        return router
    }

    /// The application: `runService()` serves until SIGINT or SIGTERM, then lets requests in flight finish.
    /// `onRunning` gets the address actually bound (port 0 picks a free one).
    public static func makeApplication(
        recognizer: DigitRecognizer, address: Address, logger: Logger,
        onRunning: @escaping @Sendable (_ host: String, _ port: Int) async -> Void = { _, _ in }
    ) throws -> some ApplicationProtocol {
        Application(
            router: try makeRouter(recognizer: recognizer),
            configuration: .init(address: .hostname(address.host, port: address.port), serverName: "digits"),
            onServerRunning: { channel in
                await onRunning(channel.localAddress?.ipAddress ?? address.host, channel.localAddress?.port ?? address.port)
            },
            logger: logger)
    }

    /// Serves until SIGINT or SIGTERM, then lets the requests in flight finish and returns.
    public static func serve(
        recognizer: DigitRecognizer, address: Address, logger: Logger,
        onRunning: @escaping @Sendable (_ host: String, _ port: Int) async -> Void = { _, _ in }
    ) async throws {
        try await makeApplication(recognizer: recognizer, address: address, logger: logger, onRunning: onRunning).runService()
    }

    /// `POST /api/classify`: one picture as the body, or several in a multipart form.
    static func classify(_ request: Request, recognizer: DigitRecognizer) async throws -> Response {
        let limits = recognizer.limits
        let contentType = request.headers[.contentType] ?? ""
        let mediaType = contentType.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        let includeInput = ["1", "true", "yes"].contains(request.uri.queryParameters.get("input")?.lowercased() ?? "")
        guard ["image/png", "image/jpeg", "multipart/form-data"].contains(mediaType) else {
            throw APIError(
                .unsupportedMediaType,
                contentType.isEmpty
                    ? "no Content-Type: send image/png, image/jpeg or multipart/form-data"
                    : "Content-Type \(JSONWriter.terminalSafe(String(contentType.prefix(100)))) is not image/png, image/jpeg or multipart/form-data"
            )
        }
        // A declared length over the limit is refused before a byte is read.
        if let declared = request.headers[.contentLength].flatMap(Int.init), declared > limits.bodyBytes {
            throw tooLarge(limits)
        }
        let body: [UInt8]
        do {
            body = Array(try await request.body.collect(upTo: limits.bodyBytes).readableBytesView)
        } catch let error as any HTTPResponseError where error.status == .contentTooLarge {
            // NIO's "too many bytes", which Hummingbird maps to 413: answered here with the JSON error.
            throw tooLarge(limits)
        }
        guard !body.isEmpty else { throw APIError(.unprocessableContent, "empty request body: no picture in it") }

        if mediaType != "multipart/form-data" {
            // Like a picture on standard input in `digits classify -`.
            return jsonResponse(try await recognizer.classify(body, file: "-", includeInput: includeInput))
        }
        guard let boundary = MultipartBody.boundary(inContentType: contentType) else {
            throw APIError(.badRequest, "multipart/form-data without a boundary parameter")
        }
        let files: [MultipartBody.Part]
        do {
            files = try MultipartBody(body, boundary: boundary, maximumParts: limits.multipartFiles).parts.filter { !$0.bytes.isEmpty }
        } catch {
            throw APIError(.badRequest, error.description)
        }
        guard !files.isEmpty else { throw APIError(.unprocessableContent, "no file in the multipart form") }
        // Each file classified concurrently (their forward passes share batches); answers in order.
        let results = await withTaskGroup(of: (Int, JSONValue, Bool).self) { group in
            for (index, part) in files.enumerated() {
                let name = part.fileName ?? part.name ?? "part \(index + 1)"
                group.addTask {
                    do throws(APIError) {
                        return (index, try await recognizer.classify(Array(part.bytes), file: name, includeInput: includeInput), true)
                    } catch {
                        return (index, error.json, false)
                    }
                }
            }
            var results = [(JSONValue, Bool)?](repeating: nil, count: files.count)
            for await (index, json, ok) in group { results[index] = (json, ok) }
            return results.compactMap { $0 }
        }
        // Like classify's exit status: a failure only when nothing could be read.
        return jsonResponse(.array(results.map { $0.0 }), status: results.contains { $0.1 } ? .ok : .unprocessableContent)
    }

    private static func tooLarge(_ limits: ServerLimits) -> APIError {
        APIError(.contentTooLarge, "request body larger than \(limits.bodyBytes) bytes (the server's limit)")
    }
}
