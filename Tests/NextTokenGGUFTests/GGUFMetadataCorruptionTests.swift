import NextTokenGGUF
import Testing

@Suite("GGUF metadata corruptions")
struct GGUFMetadataCorruptionTests {
    /// Offset of the type code of the value stored under `key` in the fixture.
    static func typeOffset(of key: String, in bytes: [UInt8]) throws -> Int {
        try #require(GGUFFixtures.end(ofString: key, in: bytes))
    }

    @Test("an undefined value type code is unknownValueType at the code")
    func unknownValueType() throws {
        var bytes = GGUFFixtures.valid
        let offset = try Self.typeOffset(of: "test.count", in: bytes)
        bytes.overwrite(UInt32(13), at: offset)
        #expect(parseError(bytes) == .unknownValueType(raw: 13, offset: offset))
    }

    @Test("an undefined array element type is unknownValueType at the element type")
    func unknownElementType() throws {
        var bytes = GGUFFixtures.valid
        let offset = try Self.typeOffset(of: "test.tokens", in: bytes) + 4
        bytes.overwrite(UInt32(0x8000_0000), at: offset)
        #expect(parseError(bytes) == .unknownValueType(raw: 0x8000_0000, offset: offset))
    }

    @Test("an array count larger than the file can hold is countTooLarge")
    func arrayCountTooLarge() throws {
        var bytes = GGUFFixtures.valid
        let offset = try Self.typeOffset(of: "test.tokens", in: bytes) + 8
        bytes.overwrite(UInt64(1) << 50, at: offset)
        #expect(parseError(bytes) == .countTooLarge(field: "array length", value: 1 << 50))
    }

    @Test("a string length beyond Int is countTooLarge")
    func stringLengthTooLarge() throws {
        var bytes = GGUFFixtures.valid
        let keyEnd = try Self.typeOffset(of: "general.architecture", in: bytes)
        bytes.overwrite(UInt64.max, at: keyEnd + 4)
        #expect(parseError(bytes) == .countTooLarge(field: "string length", value: .max))
    }

    @Test("a string length past the end of the file is truncated")
    func stringLengthPastEnd() throws {
        var bytes = GGUFFixtures.valid
        let keyEnd = try Self.typeOffset(of: "general.architecture", in: bytes)
        let stringStart = keyEnd + 4 + 8
        let needed = bytes.count - stringStart + 1
        bytes.overwrite(UInt64(needed), at: keyEnd + 4)
        #expect(parseError(bytes) == .truncated(offset: stringStart, needed: needed))
    }

    @Test("arrays nested deeper than the limit are nestingTooDeep at the offending array")
    func nestingTooDeep() throws {
        var writer = GGUFWriter()
        var value = GGUFValue.uint8(1)
        for _ in 0...GGUFFile.maximumArrayDepth { value = .array([value]) }
        writer.set("deep", value)
        let bytes = writer.bytes()
        let keyEnd = try Self.typeOffset(of: "deep", in: bytes)
        // After the key's type code, each array level is a 4-byte element type and 8-byte count.
        let offending = keyEnd + 4 + 12 * GGUFFile.maximumArrayDepth
        #expect(parseError(bytes) == .nestingTooDeep(offset: offending))
    }

    @Test("a repeated key is duplicateKey")
    func duplicateKey() throws {
        var writer = GGUFWriter()
        writer.set("test.aa", .uint8(1))
        writer.set("test.ab", .uint8(2))
        var bytes = writer.bytes()
        let secondEnd = try #require(GGUFFixtures.end(ofString: "test.ab", in: bytes))
        bytes[secondEnd - 1] = UInt8(ascii: "a")
        #expect(parseError(bytes) == .duplicateKey("test.aa"))
    }

    @Test("invalid UTF-8 in a string value is invalidUTF8 at the string's bytes")
    func invalidUTF8Value() throws {
        var bytes = GGUFFixtures.valid
        let end = try #require(GGUFFixtures.end(ofString: "bc", in: bytes))
        bytes[end - 1] = 0xFF
        #expect(parseError(bytes) == .invalidUTF8(offset: end - 2))
    }

    @Test("invalid UTF-8 in a key is invalidUTF8 at the key's bytes")
    func invalidUTF8Key() throws {
        var bytes = GGUFFixtures.valid
        let end = try #require(GGUFFixtures.end(ofString: "test.count", in: bytes))
        let start = end - "test.count".utf8.count
        bytes[start] = 0xC3  // a lead byte followed by ASCII
        #expect(parseError(bytes) == .invalidUTF8(offset: start))
    }

    @Test("an alignment that is zero or not a power of two is badAlignment",
          arguments: [(GGUFValue.uint32(0), UInt64(0)), (.uint32(48), 48), (.uint64(.max), .max),
                      (.int32(-8), UInt64(bitPattern: -8))])
    func badAlignment(value: GGUFValue, reported: UInt64) {
        var writer = GGUFFixtures.writer()
        writer.set(GGUFFile.alignmentKey, value)
        #expect(parseError(writer.bytes()) == .badAlignment(reported))
    }

    @Test("a non-integer alignment is wrongType")
    func alignmentWrongType() {
        var writer = GGUFFixtures.writer()
        writer.set(GGUFFile.alignmentKey, .float32(32))
        #expect(parseError(writer.bytes()) ==
                .wrongType(key: GGUFFile.alignmentKey, expected: "an unsigned integer"))
    }

    @Test("a valid alignment written as another integer type is accepted")
    func alignmentAsUInt64() throws {
        var writer = GGUFFixtures.writer(alignment: 64)
        writer.set(GGUFFile.alignmentKey, .uint64(64))
        #expect(try GGUFFile(bytes: writer.bytes()).alignment == 64)
    }
}
