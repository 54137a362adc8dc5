import NextTokenGGUF
import Testing

@Suite("GGUF metadata access")
struct GGUFMetadataAccessTests {
    @Test("int converts every integer width that fits, and nothing else")
    func int() {
        #expect(GGUFValue.uint8(200).int == 200)
        #expect(GGUFValue.int16(-5).int == -5)
        #expect(GGUFValue.uint32(.max).int == Int(UInt32.max))
        #expect(GGUFValue.int64(.min).int == Int(Int64.min))
        #expect(GGUFValue.uint64(UInt64(Int.max)).int == Int.max)
        #expect(GGUFValue.uint64(UInt64(Int.max) + 1).int == nil)
        #expect(GGUFValue.float32(1).int == nil)
        #expect(GGUFValue.bool(true).int == nil)
        #expect(GGUFValue.string("1").int == nil)
    }

    @Test("double converts integers and floats")
    func double() {
        #expect(GGUFValue.float32(0.5).double == 0.5)
        #expect(GGUFValue.float64(-2.25).double == -2.25)
        #expect(GGUFValue.int8(-3).double == -3)
        #expect(GGUFValue.uint64(.max).double == Double(UInt64.max))
        #expect(GGUFValue.bool(false).double == nil)
        #expect(GGUFValue.array([]).double == nil)
    }

    @Test("scalar accessors return only their own case")
    func scalars() {
        #expect(GGUFValue.bool(true).bool == true)
        #expect(GGUFValue.uint8(1).bool == nil)
        #expect(GGUFValue.string("x").string == "x")
        #expect(GGUFValue.int32(1).string == nil)
        #expect(GGUFValue.array([.uint8(1)]).array == [.uint8(1)])
        #expect(GGUFValue.string("x").array == nil)
        #expect(GGUFValue.uint16(1).typeName == "uint16")
        #expect(GGUFValue.array([]).typeName == "array")
    }

    @Test("array accessors need every element to convert")
    func arrays() {
        #expect(GGUFValue.array([.string("a"), .string("b")]).strings == ["a", "b"])
        #expect(GGUFValue.array([.string("a"), .uint8(1)]).strings == nil)
        #expect(GGUFValue.array([.int32(-1), .uint64(5)]).ints == [-1, 5])
        #expect(GGUFValue.array([.uint64(.max)]).ints == nil)
        #expect(GGUFValue.array([.float32(0.5), .int8(2), .float64(0.25)]).floats == [0.5, 2, 0.25])
        #expect(GGUFValue.array([.float32(0.5), .bool(true)]).floats == nil)
        #expect(GGUFValue.array([]).strings == [])
        #expect(GGUFValue.string("a").strings == nil)
    }

    static func metadata() throws -> GGUFMetadata {
        var writer = GGUFWriter()
        writer.set("n", .uint32(12))
        writer.set("x", .float32(0.5))
        writer.set("flag", .bool(true))
        writer.set("name", .string("llama"))
        writer.set("names", .array([.string("a"), .string("b")]))
        writer.set("ids", .array([.int32(3), .int32(4)]))
        writer.set("scores", .array([.float32(-1), .float32(2)]))
        return try GGUFFile(bytes: writer.bytes()).metadata
    }

    @Test("typed getters return present values of the right type")
    func gettersSucceed() throws {
        let metadata = try Self.metadata()
        #expect(try metadata.int("n") == 12)
        #expect(try metadata.double("n") == 12)
        #expect(try metadata.double("x") == 0.5)
        #expect(try metadata.bool("flag"))
        #expect(try metadata.string("name") == "llama")
        #expect(try metadata.strings("names") == ["a", "b"])
        #expect(try metadata.ints("ids") == [3, 4])
        #expect(try metadata.floats("scores") == [-1, 2])
        #expect(try metadata.array("ids").count == 2)
        #expect(try metadata.value("n") == .uint32(12))
        #expect(metadata["absent"] == nil)
    }

    @Test("typed getters throw missingKey for absent keys")
    func missingKey() throws {
        let metadata = try Self.metadata()
        #expect(throws: GGUFError.missingKey("absent")) { try metadata.int("absent") }
        #expect(throws: GGUFError.missingKey("absent")) { try metadata.strings("absent") }
        #expect(throws: GGUFError.missingKey("absent")) { try metadata.value("absent") }
    }

    @Test("typed getters throw wrongType naming the expected type")
    func wrongType() throws {
        let metadata = try Self.metadata()
        #expect(throws: GGUFError.wrongType(key: "name", expected: "an integer")) { try metadata.int("name") }
        #expect(throws: GGUFError.wrongType(key: "flag", expected: "a number")) { try metadata.double("flag") }
        #expect(throws: GGUFError.wrongType(key: "n", expected: "a string")) { try metadata.string("n") }
        #expect(throws: GGUFError.wrongType(key: "n", expected: "a bool")) { try metadata.bool("n") }
        #expect(throws: GGUFError.wrongType(key: "ids", expected: "an array of strings")) {
            try metadata.strings("ids")
        }
        #expect(throws: GGUFError.wrongType(key: "names", expected: "an array of integers")) {
            try metadata.ints("names")
        }
        #expect(throws: GGUFError.wrongType(key: "names", expected: "an array of numbers")) {
            try metadata.floats("names")
        }
        #expect(throws: GGUFError.wrongType(key: "n", expected: "an array")) { try metadata.array("n") }
    }
}
