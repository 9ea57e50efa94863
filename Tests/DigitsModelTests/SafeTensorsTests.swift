import DigitsCore
import DigitsJSON
import Foundation
import Testing
@testable import DigitsModel

@Suite("safetensors container")
struct SafeTensorsTests {
    @Test("writes the exact byte layout: LE header length, compact JSON padded to 8, LE float32 data")
    func byteLayout() throws {
        var file = SafeTensors(metadata: ["a": "b"])
        file.set("t", SafeTensors.Tensor(shape: [2], values: [1, -2]))
        let header = #"{"__metadata__":{"a":"b"},"t":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}"#
        #expect(header.utf8.count == 79)  // 8 + 79 = 87, so one space pads the data to offset 88
        let expected: [UInt8] =
            [80, 0, 0, 0, 0, 0, 0, 0] + Array(header.utf8) + [0x20]
            + [0x00, 0x00, 0x80, 0x3F]  // 1.0  = 0x3F800000
            + [0x00, 0x00, 0x00, 0xC0]  // -2.0 = 0xC0000000
        #expect(try file.encoded() == expected)
        #expect(try SafeTensors.decode(expected) == file)
    }

    @Test("every header is padded so the data section starts at a multiple of 8")
    func alignment() throws {
        for nameLength in 1...9 {
            var file = SafeTensors()
            file.set(String(repeating: "x", count: nameLength), SafeTensors.Tensor(shape: [1], values: [3]))
            let bytes = try file.encoded()
            let headerLength = Int(bytes[0]) | Int(bytes[1]) << 8
            #expect((8 + headerLength) % 8 == 0)
            #expect(bytes.count == 8 + headerLength + 4)
        }
    }

    @Test("round trip keeps every bit, order, shapes (scalars and empty tensors too) and metadata")
    func roundTrip() throws {
        var file = SafeTensors(metadata: ["ünïcode ✓": "line\nbreak \"quoted\" \\ tab\t \u{01}", "empty": ""])
        file.set("awkward", SafeTensors.Tensor(shape: [awkwardFloats.count], values: awkwardFloats))
        file.set("nan.payload", SafeTensors.Tensor(shape: [1, 2], values: [Float(bitPattern: 0x7FC0_1234), .infinity]))
        file.set("scalar", SafeTensors.Tensor(shape: [], values: [42]))
        file.set("empty", SafeTensors.Tensor(shape: [3, 0], values: []))
        let decoded = try SafeTensors.decode(try file.encoded())
        #expect(decoded == file)
        #expect(decoded.tensorNames == ["awkward", "nan.payload", "scalar", "empty"])
        #expect(decoded["awkward"]?.values.map(\.bitPattern) == awkwardFloats.map(\.bitPattern))
    }

    @Test("a tensor whose values do not fill its shape is refused when writing")
    func writeValueCountMismatch() {
        var file = SafeTensors()
        file.set("t", SafeTensors.Tensor(shape: [2, 2], values: [1, 2, 3]))
        #expect(throws: SafeTensorsError.valueCountMismatch(path: "<memory>", tensor: "t", shape: [2, 2], valueCount: 3)) {
            try file.encoded()
        }
    }

    @Test("a tensor named __metadata__ is refused when writing")
    func writeReservedName() {
        var file = SafeTensors()
        file.set("__metadata__", SafeTensors.Tensor(shape: [1], values: [1]))
        #expect(throws: SafeTensorsError.reservedTensorName(path: "<memory>", name: "__metadata__")) {
            try file.encoded()
        }
    }

    @Test("reads a header with whitespace, reordered fields and unsorted entries, as other writers produce")
    func tolerantOfOtherWriters() throws {
        let header =
            #"{ "b": {"shape": [1], "data_offsets": [4, 8], "dtype": "F32"}, "a": {"dtype":"F32","shape":[1],"data_offsets":[0,4]} }   "#
        let bytes = safetensorsBytes(header: header, data: [0, 0, 0x80, 0x3F, 0, 0, 0, 0x40])
        let file = try SafeTensors.decode(bytes)
        #expect(file["a"]?.values == [1])
        #expect(file["b"]?.values == [2])
        #expect(file.metadata.isEmpty)
    }

    @Test("the JSON reader handles escapes, surrogate pairs and rejects what RFC 8259 rejects")
    func jsonParser() throws {
        #expect(
            try JSONParser.parse(Array(#"{"k":"a\u00e9\ud83d\ude00\n"}"#.utf8))
                == .object([("k", .string("aé😀\n"))]))
        #expect(
            try JSONParser.parse(Array("[0, -1.5e3, true, null]".utf8))
                == .array([.number("0"), .number("-1.5e3"), .bool(true), .null]))
        for bad in [#"{"a":1,"a":2}"#, "[01]", "[1,]", #"{"a" 1}"#, #""\ud800""#, "[1] x", "", "{", #""\x""#] {
            #expect(throws: JSONParseError.self, "\(bad)") { try JSONParser.parse(Array(bad.utf8)) }
        }
    }
}
