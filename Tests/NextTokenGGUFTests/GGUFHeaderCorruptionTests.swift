import NextTokenGGUF
import Testing

@Suite("GGUF header corruptions")
struct GGUFHeaderCorruptionTests {
    @Test("the fixture itself is valid")
    func fixtureIsValid() {
        #expect(parseError(GGUFFixtures.valid) == nil)
    }

    @Test("a wrong magic is badMagic")
    func badMagic() {
        var bytes = GGUFFixtures.valid
        bytes[3] = 0x47
        #expect(parseError(bytes) == .badMagic)
    }

    @Test("versions other than 2 and 3 are unsupported", arguments: [UInt32(0), 1, 4, 0xFFFF_FFFF])
    func unsupportedVersion(version: UInt32) {
        let bytes = GGUFFixtures.writer(version: version).bytes()
        #expect(parseError(bytes) == .unsupportedVersion(version))
    }

    @Test("a byte-swapped version is unsupported and called big-endian")
    func bigEndianVersion() throws {
        var bytes = GGUFFixtures.valid
        bytes.overwrite(UInt32(3).byteSwapped, at: 4)
        let error = try #require(parseError(bytes))
        #expect(error == .unsupportedVersion(0x0300_0000))
        #expect(error.description.contains("big-endian"))
    }

    @Test("empty input is truncated at offset 0")
    func empty() {
        #expect(parseError([]) == .truncated(offset: 0, needed: 4))
    }

    @Test("a file cut inside the header is truncated at the cut field")
    func truncatedHeader() {
        let bytes = GGUFFixtures.valid
        #expect(parseError(Array(bytes[0..<6])) == .truncated(offset: 4, needed: 4))
        #expect(parseError(Array(bytes[0..<20])) == .truncated(offset: 16, needed: 8))
    }

    /// One long key with a uint32 value, so that the header's counts fit any cut below.
    static func singleKeyFile() -> (bytes: [UInt8], keyStart: Int) {
        var writer = GGUFWriter()
        writer.set("a.rather.long.key.for.cutting", .uint32(7))
        return (writer.bytes(), 24 + 8)
    }

    @Test("a file cut inside a key is truncated where the key's bytes start")
    func truncatedKey() {
        let (bytes, keyStart) = Self.singleKeyFile()
        let keyLength = "a.rather.long.key.for.cutting".utf8.count
        #expect(parseError(Array(bytes[0..<(keyStart + 10)])) == .truncated(offset: keyStart, needed: keyLength))
    }

    @Test("a file cut inside a value is truncated at the value")
    func truncatedValue() {
        let (bytes, keyStart) = Self.singleKeyFile()
        // The uint32 value follows the key and its 4-byte type code.
        let valueStart = keyStart + "a.rather.long.key.for.cutting".utf8.count + 4
        #expect(parseError(Array(bytes[0..<(valueStart + 2)])) == .truncated(offset: valueStart, needed: 4))
    }

    @Test("counts that the rest of a cut file cannot hold are countTooLarge")
    func cutBeforeCounts() {
        let bytes = GGUFFixtures.valid
        #expect(parseError(Array(bytes[0..<40])) == .countTooLarge(field: "tensor_count", value: 2))
    }

    @Test("a tensor count larger than the file can hold is countTooLarge")
    func tensorCountTooLarge() {
        var bytes = GGUFFixtures.valid
        bytes.overwrite(UInt64(1) << 40, at: 8)
        #expect(parseError(bytes) == .countTooLarge(field: "tensor_count", value: 1 << 40))
    }

    @Test("a metadata count larger than the file can hold is countTooLarge")
    func keyValueCountTooLarge() {
        var bytes = GGUFFixtures.valid
        bytes.overwrite(UInt64.max, at: 16)
        #expect(parseError(bytes) == .countTooLarge(field: "metadata_kv_count", value: .max))
    }
}
