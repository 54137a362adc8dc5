import NextTokenCore

/// Reads and validates a whole GGUF file: header, metadata, tensor table and tensor bounds.
///
/// The parser only reads through a ``GGUFByteReader``, so every field is bounds-checked, and it
/// checks each count against the bytes left before allocating for it.
struct GGUFParser {
    /// What a valid file contains, ready to become a ``GGUFFile``.
    struct Contents {
        var version: UInt32
        var metadata: GGUFMetadata
        var tensors: [GGUFTensorInfo]
        var alignment: Int
        var dataOffset: Int
    }

    /// `"GGUF"` read as a little-endian `UInt32`.
    static let magic: UInt32 = 0x4655_4747
    /// The smallest metadata pair: an empty key, a type code and a one-byte value.
    static let minimumKeyValueByteCount = 8 + 4 + 1
    /// The smallest tensor info: an empty name, one dimension, a type code and an offset.
    static let minimumTensorInfoByteCount = 8 + 4 + 8 + 4 + 8

    var reader: GGUFByteReader

    init(_ bytes: UnsafeRawBufferPointer) {
        reader = GGUFByteReader(bytes)
    }

    /// Parses the file.
    /// - Throws: the first ``GGUFError`` found, in file order.
    mutating func parse() throws(GGUFError) -> Contents {
        guard try reader.readUInt32() == Self.magic else { throw .badMagic }
        let version = try reader.readUInt32()
        guard version == 2 || version == 3 else { throw .unsupportedVersion(version) }
        // Read the whole header before judging its counts, so a cut header reads as truncated.
        let rawTensorCount = try reader.readUInt64()
        let rawKeyValueCount = try reader.readUInt64()
        let tensorCount = try reader.checkCount(rawTensorCount, field: "tensor_count",
                                                minimumItemSize: Self.minimumTensorInfoByteCount)
        let keyValueCount = try reader.checkCount(rawKeyValueCount, field: "metadata_kv_count",
                                                  minimumItemSize: Self.minimumKeyValueByteCount)

        let metadata = try readMetadata(count: keyValueCount)
        let alignment = try Self.alignment(from: metadata[GGUFFile.alignmentKey])
        let entries = try readTensorTable(count: tensorCount)
        let dataOffset = try Self.roundUp(reader.offset, to: alignment)
        let tensors = try Self.locate(entries, dataOffset: dataOffset, alignment: alignment,
                                      fileSize: reader.count)
        return Contents(version: version, metadata: metadata, tensors: tensors,
                        alignment: alignment, dataOffset: dataOffset)
    }

    /// The alignment named by `general.alignment`, or the default of 32.
    static func alignment(from value: GGUFValue?) throws(GGUFError) -> Int {
        guard let value else { return GGUFFile.defaultAlignment }
        guard let alignment = value.int else {
            if case .uint64(let tooLarge) = value { throw .badAlignment(tooLarge) }
            throw .wrongType(key: GGUFFile.alignmentKey, expected: "an unsigned integer")
        }
        guard alignment > 0, alignment & (alignment &- 1) == 0 else {
            throw .badAlignment(UInt64(bitPattern: Int64(alignment)))
        }
        return alignment
    }

    /// `offset` rounded up to a multiple of `alignment` (a power of two).
    static func roundUp(_ offset: Int, to alignment: Int) throws(GGUFError) -> Int {
        let (sum, overflow) = offset.addingReportingOverflow(alignment &- 1)
        guard !overflow else { throw .badAlignment(UInt64(alignment)) }
        return sum & ~(alignment &- 1)
    }
}
