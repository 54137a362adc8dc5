import NextTokenCore

/// A parsed and validated GGUF file (versions 2 and 3, little-endian) and its bytes.
///
/// Opening a file parses the header, metadata and tensor table and checks every tensor against
/// the file, so afterwards ``data(of:)`` needs no checks. Tensor data is never copied: with
/// ``init(path:)`` the file is memory-mapped and pages load on first touch.
///
/// Invariant (why this is `@unchecked Sendable`): every property is immutable after `init`, and
/// the mapped or copied bytes live exactly as long as this object.
public final class GGUFFile: @unchecked Sendable {
    /// The alignment of tensor data when the file does not set `general.alignment`.
    public static let defaultAlignment = 32
    /// The metadata key that sets the alignment of tensor data.
    public static let alignmentKey = "general.alignment"
    /// How deeply metadata arrays may nest before the file is rejected.
    public static let maximumArrayDepth = 8

    /// The format version: 2 or 3.
    public let version: UInt32
    /// The key-value metadata, in file order.
    public let metadata: GGUFMetadata
    /// The tensor table, in file order.
    public let tensors: [GGUFTensorInfo]
    /// The alignment of tensor data, a power of two.
    public let alignment: Int
    /// Absolute offset of the data section (the end of the tensor table, rounded up to `alignment`).
    public let dataOffset: Int
    /// Size of the whole file in bytes.
    public let fileSize: Int

    private let storage: GGUFStorage
    private let tensorIndex: [String: Int]

    /// Maps the file at `path` read-only and parses it.
    /// - Throws: `.cannotOpen` if the file cannot be opened or mapped, `.truncated` if it is
    ///   empty, or any other ``GGUFError`` describing what is malformed.
    public convenience init(path: String) throws(GGUFError) {
        try self.init(storage: GGUFStorage(mapping: path))
    }

    /// Parses a copy of `bytes` held in memory.
    /// - Throws: a ``GGUFError`` describing what is malformed.
    public convenience init(bytes: [UInt8]) throws(GGUFError) {
        try self.init(storage: GGUFStorage(copying: bytes))
    }

    private init(storage: GGUFStorage) throws(GGUFError) {
        var parser = GGUFParser(storage.bytes)
        let contents = try parser.parse()
        self.storage = storage
        version = contents.version
        metadata = contents.metadata
        tensors = contents.tensors
        alignment = contents.alignment
        dataOffset = contents.dataOffset
        fileSize = storage.bytes.count
        tensorIndex = Dictionary(
            contents.tensors.enumerated().map { ($0.element.name, $0.offset) },
            uniquingKeysWith: { first, _ in first })
    }

    /// The tensor called `name`, or `nil` if the file has none.
    public func tensor(named name: String) -> GGUFTensorInfo? {
        tensorIndex[name].map { tensors[$0] }
    }

    /// The bytes of `tensor`, which must come from this file's ``tensors``.
    ///
    /// The buffer stays valid while this `GGUFFile` is alive; do not let it escape further.
    public func data(of tensor: GGUFTensorInfo) -> UnsafeRawBufferPointer {
        precondition(tensor.offset >= 0 && tensor.byteCount >= 0
                     && tensor.byteCount <= fileSize - tensor.offset,
                     "tensor \(tensor.name) does not belong to this GGUF file")
        return UnsafeRawBufferPointer(rebasing: storage.bytes[tensor.offset..<(tensor.offset + tensor.byteCount)])
    }
}
