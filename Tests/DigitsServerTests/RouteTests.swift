import DigitsData
import DigitsJSON
import DigitsModel
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import DigitsServer

/// The page, `/api/model`, `/healthz` and the OpenAPI document, which must describe exactly the
/// routes the router has and the answers they give.
@Suite struct RouteTests {
    typealias F = ServerFixture

    @Test func thePageIsSelfContained() async throws {
        try await F.withClient { client in
            let response = try await client.execute(uri: "/", method: .get)
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "text/html; charset=utf-8")
            let html = String(buffer: response.body)
            for part in [
                "<canvas id=\"pad\"", "id=\"undo\"", "id=\"clear\"", "id=\"pen\"", "id=\"file\"", "id=\"input-preview\"",
                "/api/classify?input=1"
            ] {
                #expect(html.contains(part), "no \(part)")
            }
            // Works offline: nothing is loaded from another site.
            for external in ["src=\"http", "href=\"http", "url(http", "@import"] { #expect(!html.contains(external)) }
            #expect(response.headers[.contentSecurityPolicy]?.contains("default-src 'none'") == true)
        }
    }

    @Test func theModelIsDescribed() async throws {
        let model = try F.model()
        try await F.withClient { client in
            let response = try await client.execute(uri: "/api/model", method: .get)
            #expect(response.status == .ok)
            let json = try F.json(response)
            #expect(json["architecture"]?["layer_sizes"] == .array(model.architecture.layerSizes.map { .integer($0) }))
            #expect(json["provenance"]?["dataset"] == model.provenance.dataset.map(JSONValue.string))
            #expect(json["preprocessing"] == (try JSONCoding.value(model.preprocessing)))
            #expect(json["class_labels"] == .array(model.classLabels.map(JSONValue.string)))
        }
    }

    @Test func healthIsOK() async throws {
        try await F.withClient { client in
            let response = try await client.execute(uri: "/healthz", method: .get)
            #expect(response.status == .ok)
            #expect(try F.json(response) == .object([("status", .string("ok"))]))
        }
    }

    @Test func unknownRoutesAreNotFound() async throws {
        try await F.withClient { client in
            let response = try await client.execute(uri: "/api/nothing", method: .get)
            #expect(response.status == .notFound)
        }
    }

    // MARK: - The OpenAPI document

    /// Every route of the router is in the document and every path and method of the document is a route.
    @Test func theDocumentListsExactlyTheRoutes() async throws {
        let document = try OpenAPIDocument.load()
        guard case .object(let paths)? = document["paths"] else {
            Issue.record("no paths")
            return
        }
        var documented: Set<String> = []
        for (path, operations) in paths {
            guard case .object(let methods) = operations else { continue }
            for (method, _) in methods { documented.insert("\(method.uppercased()) \(path)") }
        }
        #expect(documented == Set(Route.allCases.map { "\($0.method.rawValue) \($0.path)" }))
        // And each of those is answered by the router (not 404 or 405).
        try await F.withClient { client in
            for route in Route.allCases {
                let status = try await client.execute(uri: route.path, method: route.method).status
                #expect(status != .notFound && status != .methodNotAllowed, "\(route.path): \(status)")
            }
        }
    }

    /// Real answers of every kind validate against the document's schema for their route and status,
    /// and so do the document's own examples.
    @Test func answersAndExamplesFitTheDocument() async throws {
        let document = try OpenAPIDocument.load()
        let validator = SchemaValidator(document: document)
        let png = try F.sample("7-mnist-original.png")
        let blank = try PNGWriter.encodeGray([UInt8](repeating: 255, count: 64), width: 8, height: 8)
        let requests: [(uri: String, method: HTTPRequest.Method, type: String?, body: [UInt8], status: Int)] = [
            ("/api/classify", .post, "image/png", png, 200),
            ("/api/classify?input=1", .post, "image/png", png, 200),
            (
                "/api/classify", .post, "multipart/form-data; boundary=digits-test-boundary",
                F.multipart([("a.png", png), ("b.png", blank)]), 200
            ),
            ("/api/classify", .post, "image/png", blank, 422),
            ("/api/classify", .post, "multipart/form-data; boundary=digits-test-boundary", F.multipart([("b.png", blank)]), 422),
            ("/api/classify", .post, "text/plain", png, 415),
            ("/api/classify", .post, "multipart/form-data", png, 400),
            ("/api/classify", .post, "image/png", [UInt8](repeating: 1, count: 20_000), 413),
            ("/api/model", .get, nil, [], 200),
            ("/healthz", .get, nil, [], 200)
        ]
        try await F.withClient(limits: ServerLimits(bodyBytes: 10_000)) { client in
            for request in requests {
                var headers: HTTPFields = [:]
                if let type = request.type { headers[.contentType] = type }
                let response = try await client.execute(
                    uri: request.uri, method: request.method, headers: headers,
                    body: request.body.isEmpty ? nil : ByteBuffer(bytes: request.body))
                #expect(Int(response.status.code) == request.status, "\(request.uri) \(request.type ?? "")")
                let path = String(request.uri.prefix { $0 != "?" })
                let schema = try #require(
                    validator.responseSchema(path: path, method: request.method.rawValue.lowercased(), status: request.status),
                    "no schema for \(path) \(request.status)")
                let problems = validator.problems(try F.json(response), against: schema)
                #expect(problems.isEmpty, "\(request.uri) \(request.status): \(problems)")
            }
        }
        // The examples in the document.
        guard case .object(let paths)? = document["paths"] else { return }
        var examples = 0
        for (_, operations) in paths {
            guard case .object(let methods) = operations else { continue }
            for (_, operation) in methods {
                guard case .object(let responses)? = operation["responses"] else { continue }
                for (status, response) in responses {
                    guard let content = response["content"]?["application/json"], let example = content["example"],
                        let schema = content["schema"]
                    else { continue }
                    examples += 1
                    #expect(validator.problems(example, against: schema).isEmpty, "example of \(status)")
                }
            }
        }
        #expect(examples >= 3)
    }

    /// The validator finds what is wrong (so the test above can fail).
    @Test func theValidatorCatchesAWrongAnswer() throws {
        let validator = SchemaValidator(document: try OpenAPIDocument.load())
        let schema = JSONValue.object([("$ref", .string("#/components/schemas/Classification"))])
        let good = JSONValue.object([
            ("file", .string("-")), ("digit", .integer(7)), ("verdict", .string("digit")), ("confidence", .float(0.9)),
            ("probabilities", .array((0..<10).map { _ in .float(0.1) }))
        ])
        #expect(validator.problems(good, against: schema).isEmpty)
        #expect(!validator.problems(good.setting("verdict", to: .string("maybe")), against: schema).isEmpty)
        #expect(!validator.problems(good.setting("extra", to: .null), against: schema).isEmpty)
        #expect(!validator.problems(good.setting("probabilities", to: .array([.float(1)])), against: schema).isEmpty)
        #expect(!validator.problems(good.removing("digit"), against: schema).isEmpty)
        #expect(validator.problems(good.setting("digit", to: .null), against: schema).isEmpty)
    }

    @Test func theDocumentIsServedAsYAML() async throws {
        try await F.withClient { client in
            let response = try await client.execute(uri: "/openapi.yaml", method: .get)
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "application/yaml; charset=utf-8")
            let yaml = String(buffer: response.body)
            #expect(yaml.hasPrefix("openapi: \"3.0.3\"\n"))
            #expect(yaml.contains("\n  \"/api/classify\":\n    post:\n"))
        }
    }

    @Test func yamlIsWrittenInBlockStyle() {
        let value = JSONValue.object([
            ("a", .string("x: y")), ("200", .object([("list", .array([.integer(1), .object([("k", .bool(true)), ("n", .null)])]))])),
            ("empty", .object([])), ("none", .array([]))
        ])
        #expect(
            OpenAPIDocument.yaml(value) == """
                a: "x: y"
                "200":
                  list:
                    - 1
                    - k: true
                      n: null
                empty: {}
                none: []

                """)
    }
}
