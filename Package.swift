// swift-tools-version:6.0
import PackageDescription

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

let package = Package(
    name: "digits",
    platforms: [.macOS(.v13)],
    products: [
        .library(name: "DigitsCore", targets: ["DigitsCore"]),
        .library(name: "DigitsData", targets: ["DigitsData"]),
        .library(name: "DigitsJSON", targets: ["DigitsJSON"]),
        .library(name: "DigitsModel", targets: ["DigitsModel"]),
        .library(name: "DigitsReading", targets: ["DigitsReading"]),
        .executable(name: "digits", targets: ["digits"]),
        .executable(name: "digits-train", targets: ["digits-train"]),
        .executable(name: "digits-evaluate", targets: ["digits-evaluate"]),
        .executable(name: "digits-classify", targets: ["digits-classify"]),
        .executable(name: "digits-serve", targets: ["digits-serve"]),
        .executable(name: "digits-read", targets: ["digits-read"]),
        .executable(name: "digits-benchmark", targets: ["digits-benchmark"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2")
    ],
    targets: [
        // MARK: - C libraries (headers only; tools/install-system-packages.sh installs them)
        .systemLibrary(
            name: "CBLAS", path: "Sources/CBLAS", pkgConfig: "openblas",
            providers: [.apt(["libopenblas-dev"])]),
        .systemLibrary(
            name: "CLibPNG", path: "Sources/CLibPNG", pkgConfig: "libpng",
            providers: [.apt(["libpng-dev"])]),
        .systemLibrary(
            name: "CZlib", path: "Sources/CZlib", pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(
            name: "CLibJPEG", path: "Sources/CLibJPEG", pkgConfig: "libjpeg",
            providers: [.apt(["libjpeg62-turbo-dev"])]),
        // libjpeg's errors longjmp back into C here instead of ending the process (Swift cannot setjmp).
        .target(name: "CJPEGDecoder", dependencies: ["CLibJPEG"], linkerSettings: [.linkedLibrary("jpeg")]),

        // MARK: - Library modules
        .target(name: "DigitsIO", exclude: ["README.md"]),
        .target(name: "DigitsCore", dependencies: ["CBLAS"], exclude: ["README.md"], swiftSettings: hotLoops),
        .target(
            name: "DigitsData", dependencies: ["DigitsCore", "DigitsIO", "CLibPNG", "CZlib", "CJPEGDecoder"], exclude: ["README.md"],
            swiftSettings: hotLoops),
        .target(name: "DigitsJSON", exclude: ["README.md"]),
        .target(name: "DigitsModel", dependencies: ["DigitsCore", "DigitsData", "DigitsIO", "DigitsJSON"], exclude: ["README.md"]),
        .target(
            name: "DigitsEvaluation", dependencies: ["DigitsCore", "DigitsData", "DigitsIO", "DigitsJSON", "DigitsModel"],
            exclude: ["README.md"]),
        // The HTTP server: routes, the page and the OpenAPI document (embedded in the binary), batching.
        .target(
            name: "DigitsServer",
            dependencies: [
                "DigitsCore", "DigitsData", "DigitsJSON", "DigitsModel", "DigitsEvaluation",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log")
            ], exclude: ["README.md"],
            resources: [.embedInCode("Resources/index.html"), .embedInCode("Resources/openapi.json")]),
        .target(
            name: "DigitsReading", dependencies: ["DigitsData", "DigitsEvaluation", "DigitsJSON"], exclude: ["README.md"]),
        .target(
            name: "DigitsCommands",
            dependencies: [
                "DigitsCore", "DigitsData", "DigitsIO", "DigitsJSON", "DigitsModel", "DigitsEvaluation", "DigitsReading",
                .product(name: "ArgumentParser", package: "swift-argument-parser")
            ], exclude: ["README.md"]),

        // `serve` and the `digits` front that reaches it: apart, so the other executables do not link the server.
        .target(
            name: "DigitsServeCommand",
            dependencies: [
                "DigitsCommands", "DigitsCore", "DigitsServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log")
            ], exclude: ["README.md"]),

        // MARK: - Executables (one-line mains)
        .executableTarget(name: "digits", dependencies: ["DigitsServeCommand"]),
        .executableTarget(name: "digits-train", dependencies: ["DigitsCommands"]),
        .executableTarget(name: "digits-evaluate", dependencies: ["DigitsCommands"]),
        .executableTarget(name: "digits-classify", dependencies: ["DigitsCommands"]),
        .executableTarget(name: "digits-serve", dependencies: ["DigitsServeCommand"]),
        .executableTarget(name: "digits-read", dependencies: ["DigitsCommands"]),
        .executableTarget(
            name: "digits-benchmark", dependencies: ["DigitsCore", "DigitsData"],
            path: "tools/benchmark", swiftSettings: hotLoops),

        // MARK: - Tests
        .target(name: "DigitsTestSupport", dependencies: ["DigitsCore"], path: "Tests/DigitsTestSupport"),
        .testTarget(name: "DigitsIOTests", dependencies: ["DigitsIO", "DigitsTestSupport"]),
        .testTarget(name: "DigitsCoreTests", dependencies: ["DigitsCore", "DigitsTestSupport"]),
        .testTarget(
            name: "DigitsDataTests", dependencies: ["DigitsData", "DigitsTestSupport"],
            resources: [.copy("Fixtures")]),
        .testTarget(name: "DigitsJSONTests", dependencies: ["DigitsJSON"]),
        .testTarget(name: "DigitsModelTests", dependencies: ["DigitsModel", "DigitsData", "DigitsJSON", "DigitsTestSupport"]),
        .testTarget(name: "DigitsEvaluationTests", dependencies: ["DigitsEvaluation", "DigitsData", "DigitsJSON", "DigitsTestSupport"]),
        .testTarget(name: "DigitsReadingTests", dependencies: ["DigitsReading", "DigitsData", "DigitsEvaluation", "DigitsJSON"]),
        .testTarget(
            name: "DigitsServerTests",
            dependencies: [
                "DigitsServer", "DigitsData", "DigitsJSON", "DigitsModel", "DigitsTestSupport",
                .product(name: "HummingbirdTesting", package: "hummingbird")
            ]),
        .testTarget(
            name: "DigitsCommandsTests", dependencies: ["DigitsCommands", "DigitsJSON", "DigitsModel", "DigitsTestSupport"],
            exclude: ["Snapshots", "Fixtures"])
    ]
)

/// Array bounds checks dominate the element-wise loops around the matrix products;
/// those loops index through unsafe buffers already, so release builds drop exclusivity checks too.
var hotLoops: [SwiftSetting] {
    [.unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release))]
}

// MARK: - Fuzz targets (only with DIGITS_FUZZ=1; they have no `main` until libFuzzer links one)
// Build and run them with tools/fuzz/run.sh.
if getenv("DIGITS_FUZZ").map({ String(cString: $0) }) == "1" {
    // A one-file executable target would otherwise be compiled as a script with its own `main`.
    let fuzzEntry: [SwiftSetting] = [.unsafeFlags(["-parse-as-library"])]
    package.targets += [
        .executableTarget(
            name: "FuzzModelFile", dependencies: ["DigitsModel"], path: "tools/fuzz/FuzzModelFile",
            swiftSettings: fuzzEntry),
        .executableTarget(
            name: "FuzzIDX", dependencies: ["DigitsData"], path: "tools/fuzz/FuzzIDX",
            swiftSettings: fuzzEntry),
        .executableTarget(
            name: "FuzzPNG", dependencies: ["DigitsData"], path: "tools/fuzz/FuzzPNG",
            swiftSettings: fuzzEntry),
        .executableTarget(
            name: "FuzzJPEG", dependencies: ["DigitsData"], path: "tools/fuzz/FuzzJPEG",
            swiftSettings: fuzzEntry)
    ]
}
