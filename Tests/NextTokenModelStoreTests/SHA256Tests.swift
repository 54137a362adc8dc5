import Foundation
import NextTokenModelStore
import Testing

@Suite("SHA-256")
struct SHA256Tests {
    private static func hex(_ text: String) -> String {
        SHA256.hexString(SHA256.digest(of: Array(text.utf8)))
    }

    @Test("FIPS 180-2 test vectors")
    func fipsVectors() {
        #expect(Self.hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(Self.hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(
            Self.hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        #expect(
            Self.hex(
                "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu"
            ) == "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1")
    }

    @Test("one million 'a'")
    func millionA() {
        let digest = SHA256.digest(of: [UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000))
        #expect(SHA256.hexString(digest) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    // Goldens from Python's hashlib.sha256(b"a" * n): lengths around the 56-byte padding boundary.
    @Test(
        "padding boundaries",
        arguments: [
            (55, "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318"),
            (56, "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a"),
            (63, "7d3e74a05d7db15bce4ad9ec0658ea98e3f06eeecf16b4c6fff2da457ddc2f34"),
            (64, "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb"),
            (65, "635361c48bb9eab14198e76ea8ab7f1a41685d6ad62aa9146d301d4f17eb0ae0"),
            (119, "31eba51c313a5c08226adf18d4a359cfdfd8d2e816b13f4af952f7ea6584dcfb"),
            (120, "2f3d335432c70b580af0e8e1b3674a7c020d683aa5f73aaaedfdc55af904c21c"),
        ])
    func paddingBoundaries(length: Int, expected: String) {
        let digest = SHA256.digest(of: [UInt8](repeating: UInt8(ascii: "a"), count: length))
        #expect(SHA256.hexString(digest) == expected)
    }

    @Test("pieces of any size give the one-shot digest")
    func streaming() {
        let message = (0..<1_000).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
        let oneShot = SHA256.digest(of: message)
        for pieceLength in [1, 3, 63, 64, 65, 200, 999] {
            var hasher = SHA256()
            var start = 0
            while start < message.count {
                let end = min(start + pieceLength, message.count)
                hasher.update(Array(message[start..<end]))
                start = end
            }
            #expect(hasher.finalize() == oneShot, "pieces of \(pieceLength) bytes")
        }
    }

    @Test("hashing a file reads it across chunk boundaries")
    func fileDigest() throws {
        let length = SHA256.fileChunkByteCount + 1_000
        let bytes = (0..<length).map { UInt8(truncatingIfNeeded: $0 % 251) }
        let path = NSTemporaryDirectory() + "nexttoken-sha-\(UUID().uuidString).bin"
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }

        let digest = try SHA256.hexDigest(ofFileAt: path)
        #expect(digest.byteCount == length)
        #expect(digest.hex == SHA256.hexString(SHA256.digest(of: bytes)))
    }

    @Test("a missing file is a typed error")
    func missingFile() {
        #expect(throws: ModelStoreError.self) {
            try SHA256.hexDigest(ofFileAt: "/nonexistent/nexttoken/file.gguf")
        }
    }
}
