import Foundation

extension SHA256 {
    /// Bytes read from a file per step while hashing it.
    package static let fileChunkByteCount = 4 << 20

    /// The hexadecimal SHA-256 of the file at `path` and its length in bytes, read in chunks.
    ///
    /// - Throws: ``ModelStoreError/fileSystem(operation:path:reason:)`` when the file cannot be read.
    package static func hexDigest(ofFileAt path: String) throws(ModelStoreError) -> (hex: String, byteCount: Int) {
        let handle: FileHandle
        do {
            handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: path))
        } catch {
            throw .fileSystem(operation: "open", path: path, reason: error.localizedDescription)
        }
        defer { try? handle.close() }

        var hasher = SHA256()
        var byteCount = 0
        while true {
            let chunk: Data?
            do {
                chunk = try handle.read(upToCount: fileChunkByteCount)
            } catch {
                throw .fileSystem(operation: "read", path: path, reason: error.localizedDescription)
            }
            guard let chunk, !chunk.isEmpty else { break }
            chunk.withUnsafeBytes { hasher.update($0) }
            byteCount += chunk.count
        }
        return (hexString(hasher.finalize()), byteCount)
    }
}
