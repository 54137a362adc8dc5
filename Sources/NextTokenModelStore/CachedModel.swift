/// A catalog model found in the cache, as `nexttoken models list` reports it.
public struct CachedModel: Sendable, Equatable, Codable {
    /// The catalog's short name.
    public let name: String
    /// The file's absolute path.
    public let path: String
    /// The file's length in bytes.
    public let bytes: Int
    /// Whether the file has the catalog's length and SHA-256.
    public let sha256OK: Bool

    /// A record of the cached file at `path`.
    public init(name: String, path: String, bytes: Int, sha256OK: Bool) {
        self.name = name
        self.path = path
        self.bytes = bytes
        self.sha256OK = sha256OK
    }

    enum CodingKeys: String, CodingKey {
        case name, path, bytes
        case sha256OK = "sha256_ok"
    }
}
