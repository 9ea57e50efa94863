import DigitsTestSupport
import Foundation
import Testing

/// `digits serve` as a process: it says where it listens, answers over a real socket, refuses bad
/// options, and on SIGTERM or SIGINT finishes the request in flight before it exits 0.
@Suite(.serialized) struct ServeCommandTests {
    static let model = repositoryRoot.appendingPathComponent("models/default.safetensors").path

    /// Starts `digits-serve` (or `digits serve`) on a free loopback port; returns it and the port.
    private func startServer(_ executable: String = "digits-serve", in directory: URL) throws -> (RunningExecutable, Int) {
        let arguments = (executable == "digits" ? ["serve"] : []) + ["--port", "0", "--model", Self.model]
        let server = try start(executable, arguments, in: directory)
        let prefix = "digits serve: listening on http://127.0.0.1:"
        guard server.waitForStandardOutputLine(where: { $0.hasPrefix(prefix) }),
            let line = server.standardOutputSoFar.split(separator: "\n").first(where: { $0.hasPrefix(prefix) }),
            let port = Int(line.dropFirst(prefix.count).prefix { $0.isNumber })
        else {
            server.killHard()
            throw ServeTestError("the server did not say where it listens: \(try server.wait())")
        }
        return (server, port)
    }

    @Test(arguments: ["digits-serve", "digits"])
    func itAnswersOverASocketAndStopsOnSIGTERM(executable: String) throws {
        try withTemporaryDirectory { directory in
            let (server, port) = try startServer(executable, in: directory)
            let health = try HTTPExchange.send("GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", port: port)
            #expect(health.hasPrefix("HTTP/1.1 200"), "\(health)")
            #expect(health.contains("{\"status\":\"ok\"}"))
            kill(server.processIdentifier, SIGTERM)
            let result = try server.wait(timeout: 20)
            #expect(result.exited(0), "\(result)")
            // One log line per request, on stderr.
            #expect(result.standardErrorLines.contains { $0.contains("GET /healthz 200") }, "\(result)")
        }
    }

    /// The body is half sent when the signal comes: the request still gets its answer.
    @Test(arguments: [SIGTERM, SIGINT])
    func aRequestInFlightFinishesBeforeExit(signal: Int32) throws {
        let png = Array(try Data(contentsOf: repositoryRoot.appendingPathComponent("Resources/samples/7-mnist-original.png")))
        try withTemporaryDirectory { directory in
            let (server, port) = try startServer(in: directory)
            let connection = try HTTPExchange(port: port)
            let head =
                "POST /api/classify HTTP/1.1\r\nHost: x\r\nContent-Type: image/png\r\nContent-Length: \(png.count)\r\nConnection: close\r\n\r\n"
            try connection.write(Array(head.utf8) + png.prefix(png.count / 2))
            usleep(300_000)
            kill(server.processIdentifier, signal)
            usleep(300_000)
            try connection.write(Array(png.dropFirst(png.count / 2)))
            let answer = try connection.readAll()
            #expect(answer.hasPrefix("HTTP/1.1 200"), "\(answer)")
            #expect(answer.contains("\"digit\":7"), "\(answer)")
            let result = try server.wait(timeout: 20)
            #expect(result.exited(0), "\(result)")
        }
    }

    @Test func aBadPortIsAUsageError() throws {
        try withTemporaryDirectory { directory in
            let result = try run("digits", ["serve", "--port", "70000", "--model", Self.model], in: directory)
            #expect(result.exited(64), "\(result)")
            #expect(result.standardError.contains("--port"))
        }
    }

    @Test func aMissingModelIsOneLine() throws {
        try withTemporaryDirectory { directory in
            let result = try run("digits-serve", ["--model", "nothing-here.safetensors"], in: directory)
            expectOneErrorLine(result, tool: "digits serve", mentioning: ["nothing-here.safetensors"])
        }
    }

    @Test func aPortInUseIsOneLine() throws {
        try withTemporaryDirectory { directory in
            let (server, port) = try startServer(in: directory)
            defer { kill(server.processIdentifier, SIGTERM) }
            let result = try run("digits-serve", ["--port", String(port), "--model", Self.model], in: directory, timeout: 30)
            expectOneErrorLine(result, tool: "digits serve", mentioning: ["cannot serve on 127.0.0.1:\(port)"])
        }
    }
}

struct ServeTestError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// A plain TCP connection to 127.0.0.1 for raw HTTP/1.1 (so a body can be sent in pieces).
final class HTTPExchange {
    private let socket: Int32

    init(port: Int) throws {
        socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { throw ServeTestError("socket() failed") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var timeout = timeval(tv_sec: 20, tv_usec: 0)
        setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else {
            close(socket)
            throw ServeTestError("cannot connect to port \(port)")
        }
    }

    deinit { close(socket) }

    func write(_ bytes: [UInt8]) throws {
        var sent = 0
        while sent < bytes.count {
            let n = bytes[sent...].withUnsafeBytes { Glibc.send(socket, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard n > 0 else { throw ServeTestError("send failed") }
            sent += n
        }
    }

    /// Everything until the server closes the connection (or 20 s pass).
    func readAll() throws -> String {
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = buffer.withUnsafeMutableBytes { recv(socket, $0.baseAddress, $0.count, 0) }
            if n <= 0 { break }
            received += buffer[0..<n]
        }
        return String(decoding: received, as: UTF8.self)
    }

    static func send(_ request: String, port: Int) throws -> String {
        let exchange = try HTTPExchange(port: port)
        try exchange.write(Array(request.utf8))
        return try exchange.readAll()
    }
}
