import ArgumentParser
import DigitsCommands
import DigitsCore
import DigitsServer
import Foundation
import Logging

/// `digits serve`: the drawing page and the JSON API over one model (the server is DigitsServer).
public struct ServeCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "serve",
        _superCommandName: "digits",
        abstract: "Serve a page to draw digits on and a JSON API that reads them.",
        discussion: """
            Loads the model once and serves, until SIGINT or SIGTERM (requests in flight \
            are finished first):
              GET  /              the page: draw a digit or drop a picture
              POST /api/classify  a PNG or JPEG body, or a multipart form of several:
                                  the JSON of digits classify --json (?input=1 adds
                                  the 16 x 16 input the network read)
              GET  /api/model     architecture, preprocessing, provenance of the model
              GET  /healthz       {"status": "ok"}
              GET  /openapi.yaml  the API described for tools

            It listens on 127.0.0.1 (this machine only) unless --host says otherwise. --host 0.0.0.0 \
            listens on every network interface: anyone who can reach this machine can then use the page \
            and the API (no authentication, no TLS), each request costing up to a picture's decoding.

            Examples:
              digits serve                      (then open http://127.0.0.1:8080/)
              digits serve --port 9000 --model models/usps.safetensors
              curl -H 'Content-Type: image/png' \\
                   --data-binary @Resources/samples/7-mnist-original.png \\
                   http://127.0.0.1:8080/api/classify
            """,
        version: digitsVersion)

    @OptionGroup var modelOptions: ModelOptions

    @Option(help: ArgumentHelp("The address to listen on (0.0.0.0: every interface, see above).", valueName: "address"))
    var host = "127.0.0.1"
    @Option(help: ArgumentHelp("The TCP port (0: any free one, printed when listening).", valueName: "n"))
    var port = 8080
    @Option(
        name: .customLong("max-body-mib"),
        help: ArgumentHelp("The largest request body accepted, in MiB (more is answered 413).", valueName: "MiB"))
    var maxBodyMiB = 10
    @Option(help: ArgumentHelp("trace, debug, info (one line per request), notice, warning, error or critical.", valueName: "level"))
    var logLevel = "info"

    public init() {}

    public func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be 0…65535") }
        guard (1...256).contains(maxBodyMiB) else { throw ValidationError("--max-body-mib must be 1…256") }
        guard Logger.Level(rawValue: logLevel) != nil else {
            throw ValidationError("--log-level must be one of \(Logger.Level.allCases.map(\.rawValue).joined(separator: ", "))")
        }
    }

    public func run() async throws {
        let tool = "digits serve"
        let (recognizer, path): (DigitRecognizer, String)
        do {
            // One BLAS thread: batches are small, and an idle OpenBLAS worker spins on sched_yield.
            BLASThreads.set(1)
            let (saved, modelPath) = try modelOptions.load()
            (recognizer, path) = (try DigitRecognizer(model: saved, limits: ServerLimits(bodyBytes: maxBodyMiB << 20)), modelPath)
        } catch {
            printError(String(describing: error), tool: tool)
            throw ExitCode(ExitStatus.failure)
        }
        LoggingSystem.bootstrap(StreamLogHandler.standardError)
        var logger = Logger(label: "digits-serve")
        logger.logLevel = Logger.Level(rawValue: logLevel) ?? .info
        do {
            try await DigitsServer.serve(recognizer: recognizer, address: .init(host: host, port: port), logger: logger) { host, port in
                // The one line on standard output: scripts read the port from it.
                print("digits serve: listening on http://\(host.contains(":") ? "[\(host)]" : host):\(port)/ (model \(path))")
                fflush(nil)
            }
        } catch {
            // Binding fails here (port in use, unknown host).
            printError("cannot serve on \(host):\(port): \(error)", tool: tool)
            throw ExitCode(ExitStatus.failure)
        }
    }
}
