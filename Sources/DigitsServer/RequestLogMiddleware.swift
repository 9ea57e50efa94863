import Hummingbird
import Logging

/// One log line per request, when it is answered: method, path, status and time taken
/// (`POST /api/classify 200 0.41 ms`), with Hummingbird's request id as metadata.
struct RequestLogMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        do {
            let response = try await next(request, context)
            log(request, status: response.status, since: start, logger: context.logger)
            return response
        } catch {
            log(request, status: (error as? any HTTPResponseError)?.status ?? .internalServerError, since: start, logger: context.logger)
            throw error
        }
    }

    private func log(_ request: Request, status: HTTPResponse.Status, since start: ContinuousClock.Instant, logger: Logger) {
        guard logger.logLevel <= .info else { return }
        let elapsed = ContinuousClock.now - start
        // Hundredths of a millisecond, formatted by hand: String(format:) cost more than the rest of the line.
        let hundredths = elapsed.components.seconds * 100_000 + elapsed.components.attoseconds / 10_000_000_000_000
        let fraction = hundredths % 100
        // The path only: a query string is the client's text, and the log is read in a terminal.
        logger.info(
            "\(request.method.rawValue) \(request.uri.path) \(status.code) \(hundredths / 100).\(fraction < 10 ? "0" : "")\(fraction) ms")
    }
}
