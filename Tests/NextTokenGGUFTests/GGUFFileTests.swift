import Foundation
import NextTokenGGUF
import Testing

@Suite("GGUF files on disk")
struct GGUFFileTests {
    /// A fresh path in the temporary directory.
    static func temporaryPath(_ name: String) -> String {
        FileManager.default.temporaryDirectory
            .appendingPathComponent("nexttoken-gguf-\(UUID().uuidString)-\(name)").path
    }

    @Test("a written file maps and reads like the same bytes in memory")
    func writeAndMap() throws {
        let path = Self.temporaryPath("valid.gguf")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let writer = GGUFFixtures.writer(alignment: 64)
        try writer.write(to: path)
        let mapped = try GGUFFile(path: path)
        let inMemory = try GGUFFile(bytes: writer.bytes())
        #expect(mapped.fileSize == inMemory.fileSize)
        #expect(mapped.alignment == 64)
        #expect(mapped.metadata.keys == inMemory.metadata.keys)
        #expect(mapped.tensors == inMemory.tensors)
        for tensor in mapped.tensors {
            #expect(Array(mapped.data(of: tensor)) == Array(inMemory.data(of: tensor)))
        }
    }

    @Test("a missing file is cannotOpen with the system's reason")
    func missingFile() {
        let path = Self.temporaryPath("absent.gguf")
        #expect(throws: GGUFError.cannotOpen(path: path, reason: "No such file or directory")) {
            try GGUFFile(path: path)
        }
    }

    @Test("a directory is cannotOpen")
    func directory() {
        let path = FileManager.default.temporaryDirectory.path
        #expect(throws: GGUFError.cannotOpen(path: path, reason: "not a regular file")) {
            try GGUFFile(path: path)
        }
    }

    @Test("an empty file is truncated at offset 0")
    func emptyFile() throws {
        let path = Self.temporaryPath("empty.gguf")
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(FileManager.default.createFile(atPath: path, contents: Data()))
        #expect(throws: GGUFError.truncated(offset: 0, needed: 4)) { try GGUFFile(path: path) }
    }

    @Test("a corrupt file on disk reports the same error as in memory")
    func corruptFile() throws {
        let path = Self.temporaryPath("corrupt.gguf")
        defer { try? FileManager.default.removeItem(atPath: path) }
        var bytes = GGUFFixtures.valid
        bytes[0] = 0
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        #expect(throws: GGUFError.badMagic) { try GGUFFile(path: path) }
    }

    @Test("writing into a missing directory is cannotWrite")
    func cannotWrite() {
        let path = Self.temporaryPath("no-such-dir") + "/file.gguf"
        #expect(throws: GGUFError.cannotWrite(path: path, reason: "No such file or directory")) {
            try GGUFFixtures.writer().write(to: path)
        }
    }

    @Test("every error describes itself in one line naming its evidence")
    func descriptions() {
        let cases: [(GGUFError, String)] = [
            (.badMagic, "GGUF"),
            (.unsupportedVersion(1), "1"),
            (.truncated(offset: 12, needed: 8), "12"),
            (.countTooLarge(field: "array length", value: 99), "array length"),
            (.unknownValueType(raw: 13, offset: 40), "13"),
            (.nestingTooDeep(offset: 77), "77"),
            (.unknownTensorType(raw: 99, tensor: "w"), "99"),
            (.tensorOutOfBounds(name: "w.out"), "w.out"),
            (.tensorOverlap(first: "w.a", second: "w.b"), "w.b"),
            (.misalignedTensor(name: "w.m", offset: 130), "130"),
            (.badAlignment(48), "48"),
            (.duplicateKey("k.dup"), "k.dup"),
            (.duplicateTensor("t.dup"), "t.dup"),
            (.invalidUTF8(offset: 321), "321"),
            (.badDimensions(tensor: "t.dims"), "t.dims"),
            (.partialBlock(tensor: "t.p", rowLength: 33, blockElementCount: 32), "33"),
            (.missingKey("k.missing"), "k.missing"),
            (.wrongType(key: "k.type", expected: "a string"), "a string"),
            (.cannotOpen(path: "/x.gguf", reason: "denied"), "denied"),
            (.cannotWrite(path: "/y.gguf", reason: "full"), "/y.gguf"),
        ]
        for (error, evidence) in cases {
            #expect(error.description.contains(evidence), "\(error)")
            #expect(!error.description.contains("\n"))
        }
    }
}
