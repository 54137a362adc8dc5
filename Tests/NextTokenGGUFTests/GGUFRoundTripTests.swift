import NextTokenCore
import NextTokenGGUF
import Testing

@Suite("GGUF writer to reader round trip")
struct GGUFRoundTripTests {
    static let scalars: [(String, GGUFValue)] = [
        ("v.uint8", .uint8(250)), ("v.int8", .int8(-100)),
        ("v.uint16", .uint16(65_000)), ("v.int16", .int16(-30_000)),
        ("v.uint32", .uint32(4_000_000_000)), ("v.int32", .int32(-2_000_000_000)),
        ("v.uint64", .uint64(UInt64.max)), ("v.int64", .int64(Int64.min)),
        ("v.float32", .float32(-Float.leastNonzeroMagnitude)), ("v.float64", .float64(Double.pi)),
        ("v.bool.true", .bool(true)), ("v.bool.false", .bool(false)),
        ("v.string", .string("héllo, 世界 🙂")), ("v.string.empty", .string("")),
    ]

    static let arrays: [(String, GGUFValue)] = [
        ("a.empty", .array([])),
        ("a.uint8", .array([.uint8(0), .uint8(255)])),
        ("a.int16", .array([.int16(-1), .int16(2)])),
        ("a.float32", .array([.float32(0.25), .float32(-.infinity)])),
        ("a.float64", .array([.float64(1e300)])),
        ("a.bool", .array([.bool(true), .bool(false), .bool(true)])),
        ("a.strings", .array([.string("a"), .string(""), .string("ü")])),
        ("a.nested", .array([.array([.uint32(1), .uint32(2)]), .array([.string("x")]), .array([])])),
        ("a.deep", deepArray(levels: GGUFFile.maximumArrayDepth)),
    ]

    /// `levels` arrays, each holding the next, the innermost holding one int64.
    static func deepArray(levels: Int) -> GGUFValue {
        var value = GGUFValue.int64(42)
        for _ in 0..<levels { value = .array([value]) }
        return value
    }

    @Test("every value type, nested arrays and key order survive", arguments: [UInt32(2), 3])
    func metadata(version: UInt32) throws {
        var writer = GGUFWriter(version: version)
        let pairs = Self.scalars + Self.arrays
        for (key, value) in pairs { writer.set(key, value) }
        let file = try GGUFFile(bytes: writer.bytes())
        #expect(file.version == version)
        #expect(file.metadata.keys == pairs.map(\.0))
        for (key, value) in pairs {
            #expect(file.metadata[key] == value, "\(key)")
        }
        #expect(file.tensors.isEmpty)
        #expect(file.alignment == 32)
    }

    @Test("float bit patterns survive, including NaN payloads and negative zero")
    func floatBits() throws {
        var writer = GGUFWriter()
        let nan = Float(bitPattern: 0x7FC0_1234)
        writer.set("f.nan", .float32(nan))
        writer.set("f.negzero", .float64(-0.0))
        let file = try GGUFFile(bytes: writer.bytes())
        guard case .float32(let readNaN) = file.metadata["f.nan"],
              case .float64(let readZero) = file.metadata["f.negzero"] else {
            Issue.record("float values changed type")
            return
        }
        #expect(readNaN.bitPattern == nan.bitPattern)
        #expect(readZero.bitPattern == (-0.0 as Double).bitPattern)
    }

    @Test("setting a key again replaces its value and keeps its position")
    func replaceValue() throws {
        var writer = GGUFWriter()
        writer.set("first", .uint8(1))
        writer.set("second", .uint8(2))
        writer.set("first", .string("one"))
        let file = try GGUFFile(bytes: writer.bytes())
        #expect(file.metadata.keys == ["first", "second"])
        #expect(file.metadata["first"] == .string("one"))
    }

    struct TensorCase {
        var name: String
        var dimensions: [Int]
        var type: GGMLType
        var byteCount: Int
    }

    static let tensorCases: [TensorCase] = [
        TensorCase(name: "t.f32", dimensions: [3, 5], type: .f32, byteCount: 60),
        TensorCase(name: "t.f16", dimensions: [7], type: .f16, byteCount: 14),
        TensorCase(name: "t.q4_0", dimensions: [64, 3], type: .q4_0, byteCount: 108),
        TensorCase(name: "t.q4_1", dimensions: [32, 2, 2], type: .q4_1, byteCount: 80),
        TensorCase(name: "t.q8_0", dimensions: [32, 1, 1, 3], type: .q8_0, byteCount: 102),
        TensorCase(name: "t.q4_K", dimensions: [256, 2], type: .q4_K, byteCount: 288),
        TensorCase(name: "t.q6_K", dimensions: [512], type: .q6_K, byteCount: 420),
        TensorCase(name: "t.empty", dimensions: [0, 4], type: .f32, byteCount: 0),
    ]

    @Test("tensors of several types keep shape, type, alignment and data",
          arguments: [UInt32(2), 3], [1, 8, 32, 64, 4096])
    func tensors(version: UInt32, alignment: Int) throws {
        var writer = GGUFWriter(version: version, alignment: alignment)
        writer.set("general.architecture", .string("test"))
        for (index, tensor) in Self.tensorCases.enumerated() {
            writer.addTensor(name: tensor.name, dimensions: tensor.dimensions, type: tensor.type,
                             data: GGUFFixtures.pattern(tensor.byteCount, seed: UInt8(index)))
        }
        let bytes = writer.bytes()
        let file = try GGUFFile(bytes: bytes)
        #expect(file.version == version)
        #expect(file.alignment == alignment)
        #expect(file.fileSize == bytes.count)
        #expect(file.dataOffset % alignment == 0)
        #expect(file.metadata[GGUFFile.alignmentKey] == (alignment == 32 ? nil : .uint32(UInt32(alignment))))
        #expect(file.tensors.map(\.name) == Self.tensorCases.map(\.name))
        for (index, expected) in Self.tensorCases.enumerated() {
            let tensor = try #require(file.tensor(named: expected.name))
            #expect(tensor.dimensions == expected.dimensions)
            #expect(tensor.type == expected.type)
            #expect(tensor.byteCount == expected.byteCount)
            #expect(tensor.elementCount == expected.dimensions.reduce(1, *))
            #expect(tensor.offset >= file.dataOffset && tensor.offset % alignment == 0)
            #expect(Array(file.data(of: tensor)) == GGUFFixtures.pattern(expected.byteCount, seed: UInt8(index)))
        }
        #expect(file.tensor(named: "missing") == nil)
    }
}
