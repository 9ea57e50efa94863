import DigitsTestSupport
import Foundation
import Testing
@testable import DigitsData

/// Path of a committed fixture (made by tools/make-fixtures.py).
func fixture(_ name: String) -> String {
    let folder =
        Bundle.module.resourceURL?.appendingPathComponent("Fixtures")
        ?? URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")
    return folder.appendingPathComponent(name).path
}

/// The repository this test file belongs to (Tests/DigitsDataTests/ is two levels down).
let repositoryRoot = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

/// The error `body` throws, as `E`, or nil (recorded as a failure) when it throws nothing or something else.
func caught<E: Error, T>(
    _ type: E.Type, sourceLocation: SourceLocation = #_sourceLocation,
    _ body: () throws -> T
) -> E? {
    do {
        _ = try body()
        Issue.record("expected \(E.self), nothing was thrown", sourceLocation: sourceLocation)
    } catch let error as E {
        return error
    } catch {
        Issue.record("expected \(E.self), got \(error)", sourceLocation: sourceLocation)
    }
    return nil
}

/// What a throwing call gave: its value, or its error's description; for comparing two ways of doing one thing.
enum Outcome<Value: Equatable>: Equatable {
    case value(Value)
    case error(String)

    init(_ body: () throws -> Value) {
        do { self = .value(try body()) } catch { self = .error("\(error)") }
    }
}
