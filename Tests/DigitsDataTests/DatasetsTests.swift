import DigitsTestSupport
import Foundation
import Testing
@testable import DigitsData

/// Where the real data sets are, if this machine has them (CI runs tools/fetch-mnist.sh first).
enum RealData {
    static let mnistDirectories = Datasets.searchDirectories(for: .mnist, repositoryRoots: [repositoryRoot])
    static let uspsDirectories = Datasets.searchDirectories(for: .usps, repositoryRoots: [repositoryRoot])
    static let hasMNIST = DatasetSplit.allCases.allSatisfy {
        Datasets.locate(.mnist, split: $0, in: mnistDirectories) != nil
    }
    static let hasUSPS = DatasetSplit.allCases.allSatisfy {
        Datasets.locate(.usps, split: $0, in: uspsDirectories) != nil
    }
}

@Suite("Dataset registry")
struct DatasetsTests {
    @Test("search order: $DIGITS_DATA, each checkout's data/, and for USPS shared/ beside the clone")
    func searchOrder() {
        #expect(
            Datasets.searchDirectories(for: .mnist, dataEnvironment: "/env", repositoryRoots: ["/repo", "/"])
                == ["/env/mnist", "/repo/data/mnist", "/data/mnist"])
        #expect(
            Datasets.searchDirectories(for: .usps, dataEnvironment: nil, repositoryRoots: ["/repo"])
                == ["/repo/data/usps", "/repo/../shared/data/usps"])
    }

    @Test("checkout roots: the executable's checkout first, then the working directory and its parents")
    func checkoutRoots() throws {
        let directory = try TemporaryDirectory()
        let checkout = directory.path + "/checkout"
        let binary = checkout + "/.build/x86_64-unknown-linux-gnu/release"
        try FileManager.default.createDirectory(atPath: binary, withIntermediateDirectories: true)
        try Data("// swift-tools-version:6.0\n".utf8).write(to: URL(fileURLWithPath: checkout + "/Package.swift"))
        #expect(ProjectLocations.buildCheckout(executable: binary + "/digits") == checkout)
        #expect(ProjectLocations.buildCheckout(executable: directory.path + "/digits") == nil)
        let roots = ProjectLocations.checkoutRoots(executable: binary + "/digits", workingDirectory: "/a/b")
        #expect(roots == [checkout, "/a/b", "/a", "/"])
        // An installed binary finds PREFIX/share/digits; a lone copy finds nothing.
        try FileManager.default.createDirectory(atPath: directory.path + "/prefix/share/digits", withIntermediateDirectories: true)
        #expect(
            ProjectLocations.installedShare(executable: directory.path + "/prefix/bin/digits") == directory.path + "/prefix/share/digits")
        #expect(ProjectLocations.installedShare(executable: checkout + "/digits") == nil)
    }

    @Test("the folder holding a path")
    func parentFolders() {
        let cases = ["/a/b/c": "/a/b", "/a/b/c/": "/a/b", "/a": "/", "/": "/", "/a//b": "/a", "/usr/bin/digits": "/usr/bin"]
        for (path, parent) in cases { #expect(ProjectLocations.parentFolder(path) == parent, "\(path)") }
        #expect(ProjectLocations.join("/", "share/digits") == "/share/digits" && ProjectLocations.join("/a", "b") == "/a/b")
    }

    @Test("standard file names")
    func fileNames() {
        #expect(DatasetName.mnist.fileNames(.test) == ("t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"))
        #expect(DatasetName.usps.fileNames(.train) == ("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz"))
        #expect(DatasetName.printed.fileNames(.test) == ("test-images-idx3-ubyte.gz", "test-labels-idx1-ubyte.gz"))
        #expect(DatasetName.printed.imageSide == 28 && DatasetName.printed.expectedCount(.train) == 6_000)
    }

    @Test("a missing data set says where it looked and which command fetches it")
    func missingDataset() throws {
        let directory = try TemporaryDirectory()
        let error = caught(DatasetError.self) {
            try Datasets.load(.mnist, split: .train, searchDirectories: [directory.path])
        }
        #expect(error == .missing(name: .mnist, split: .train, searched: [directory.path]))
        let text = try #require(error?.description)
        #expect(text.contains(directory.path))
        #expect(text.contains("bash tools/fetch-mnist.sh"))
        #expect(!text.contains("\n"))
    }

    @Test("a found data set of the wrong shape is refused: a 3-image pair under the USPS names")
    func wrongShape() throws {
        let directory = try TemporaryDirectory()
        let images = try IDXReader.read(fixture("images-3.idx"))
        let labels = try IDXReader.read(fixture("labels-3.idx"))
        try IDXWriter.write(images, to: directory.file("test-images-idx3-ubyte.gz"), compressed: true)
        try IDXWriter.write(labels, to: directory.file("test-labels-idx1-ubyte.gz"), compressed: true)
        let error = caught(DatasetError.self) { try Datasets.load(.usps, split: .test, searchDirectories: [directory.path]) }
        #expect(
            error
                == .unexpectedShape(
                    name: .usps, split: .test, path: directory.file("test-images-idx3-ubyte.gz"),
                    expected: [2007, 16, 16], found: [3, 2, 2]))
    }

    /// Known MNIST label counts (train 60,000 and test 10,000).
    static let mnistHistogram: [DatasetSplit: [Int]] = [
        .train: [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949],
        .test: [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]
    ]

    @Test(
        "MNIST, when fetched: counts, 28 × 28, and the known label histogram",
        .enabled(if: RealData.hasMNIST, "MNIST absent: run bash tools/fetch-mnist.sh"),
        arguments: DatasetSplit.allCases)
    func mnist(split: DatasetSplit) throws {
        let images = try Datasets.load(.mnist, split: split, searchDirectories: RealData.mnistDirectories)
        #expect(images.count == DatasetName.mnist.expectedCount(split))
        #expect((images.rows, images.columns) == (28, 28))
        var histogram = [Int](repeating: 0, count: 10)
        for label in images.labels { histogram[label] += 1 }
        #expect(histogram == Self.mnistHistogram[split])
        guard case .bytes(let pixels) = images.pixels else {
            Issue.record("MNIST should be bytes")
            return
        }
        #expect(pixels.count == images.count * 28 * 28)
    }

    @Test(
        "USPS from shared/, when present: counts, 16 × 16, every label 0…9",
        .enabled(if: RealData.hasUSPS, "USPS absent: expected in ../shared/data/usps"),
        arguments: DatasetSplit.allCases)
    func usps(split: DatasetSplit) throws {
        let images = try Datasets.load(.usps, split: split, searchDirectories: RealData.uspsDirectories)
        #expect(images.count == DatasetName.usps.expectedCount(split))
        #expect((images.rows, images.columns) == (16, 16))
        #expect(Set(images.labels) == Set(0...9))
    }
}
