import NextTokenCore

/// One entry of a GGUF file's tensor table, validated against the file it came from.
///
/// `dimensions` lists sizes innermost first, as ggml's `ne` does: `dimensions[0]` is the row
/// length, so a `[576, 49152]` matrix has 49152 rows of 576 elements.
public struct GGUFTensorInfo: Sendable, Equatable {
    /// The tensor's name, e.g. `blk.0.attn_q.weight`.
    public let name: String
    /// Sizes innermost first (`ne0`, `ne1`, …); one to four entries, each zero or more.
    public let dimensions: [Int]
    /// The element type, always one with a known block layout.
    public let type: GGMLType
    /// The product of the dimensions.
    public let elementCount: Int
    /// Bytes of data the tensor occupies.
    public let byteCount: Int
    /// Absolute byte offset of the tensor's data in the file.
    public let offset: Int
}
