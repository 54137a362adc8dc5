import NextTokenCore

/// A read-only, row-major weight matrix in one of the GGML storage types the kernels support
/// (`f32`, `f16`, `bf16`, `q8_0`, `q4_0`, `q4_1`, `q5_0`, `q5_1`, `q4_K`, `q5_K`, `q6_K`).
///
/// Each row holds `columnCount` elements encoded as `type` blocks; rows are contiguous,
/// `rowByteCount` bytes apart, starting at `base`. The matrix does not own its bytes (typically a
/// memory-mapped GGUF file): they must stay valid and unmodified while the matrix is in use. That
/// read-only invariant is why the type is `@unchecked Sendable`.
public struct WeightMatrix: @unchecked Sendable {
    /// The storage type of every element.
    public let type: GGMLType
    /// Number of rows (the output dimension of a matrix-vector product).
    public let rowCount: Int
    /// Number of elements per row (the input dimension).
    public let columnCount: Int
    /// Bytes occupied by one row.
    public let rowByteCount: Int
    /// Address of the first byte of row 0.
    public let base: UnsafeRawPointer
    /// The rows repacked for the integer products (``interleavingRows()``); `nil` until then, and
    /// for types without integer products.
    public private(set) var interleaved: InterleavedRows?

    /// Describes `rowCount` rows of `columnCount` elements of `type` starting at `base`.
    ///
    /// - Throws: ``KernelError/unsupportedType(_:)`` for a type without kernels,
    ///   ``KernelError/partialBlock(columns:blockSize:)`` when a row is not a whole number of
    ///   blocks, ``KernelError/invalidShape(rowCount:columnCount:)`` for negative counts or a byte
    ///   size that overflows.
    public init(type: GGMLType, rowCount: Int, columnCount: Int, base: UnsafeRawPointer) throws(KernelError) {
        guard let format = RowFormatKind(type), let layout = type.blockLayout else {
            throw .unsupportedType(type)
        }
        guard rowCount >= 0, columnCount >= 0 else {
            throw .invalidShape(rowCount: rowCount, columnCount: columnCount)
        }
        guard columnCount % layout.elementCount == 0 else {
            throw .partialBlock(columns: columnCount, blockSize: layout.elementCount)
        }
        let (rowBytes, rowOverflow) = (columnCount / layout.elementCount)
            .multipliedReportingOverflow(by: layout.byteCount)
        let (_, totalOverflow) = rowBytes.multipliedReportingOverflow(by: rowCount)
        guard !rowOverflow, !totalOverflow else {
            throw .invalidShape(rowCount: rowCount, columnCount: columnCount)
        }
        self.type = type
        self.rowCount = rowCount
        self.columnCount = columnCount
        self.rowByteCount = rowBytes
        self.base = base
        self.format = format
    }

    /// Bytes a product with every row reads: the repacked rows where there are, else the encoded ones.
    public var productByteCount: Int { interleaved?.byteCount ?? rowByteCount * rowCount }

    /// This matrix with its rows repacked for the integer products (``InterleavedRows``), where
    /// its type has them; the Float products keep reading `base`.
    public func interleavingRows() -> WeightMatrix {
        var matrix = self
        if matrix.interleaved == nil { matrix.interleaved = InterleavedRows(self) }
        return matrix
    }

    /// The storage type as the kernels switch over it.
    let format: RowFormatKind

    /// Whether the kernels support `type`.
    public static func supports(_ type: GGMLType) -> Bool { RowFormatKind(type) != nil }

    /// Address of the first byte of row `row`.
    @inlinable
    public func rowAddress(_ row: Int) -> UnsafeRawPointer {
        precondition(row >= 0 && row < rowCount, "row out of range")
        return base + row &* rowByteCount
    }

    /// Writes the `columnCount` values of row `row` to `output`.
    public func dequantizeRow(_ row: Int, into output: UnsafeMutablePointer<Float>) {
        let address = rowAddress(row)
        switch format {
        case .f32: UnsafeMutableRawPointer(output).copyMemory(from: address, byteCount: rowByteCount)
        case .f16: RowKernels.dequantizeF16(address, into: output, count: columnCount)
        case .bf16: RowKernels.dequantizeBF16(address, into: output, count: columnCount)
        case .q8_0: RowKernels.dequantizeQ8_0(address, into: output, count: columnCount)
        case .q4_0: RowKernels.dequantizeQ4_0(address, into: output, count: columnCount)
        case .q4_1: RowKernels.dequantizeQ4_1(address, into: output, count: columnCount)
        case .q5_0: RowKernels.dequantizeQ5_0(address, into: output, count: columnCount)
        case .q5_1: RowKernels.dequantizeQ5_1(address, into: output, count: columnCount)
        case .q4_K: RowKernels.dequantizeQ4_K(address, into: output, count: columnCount)
        case .q5_K: RowKernels.dequantizeQ5_K(address, into: output, count: columnCount)
        case .q6_K: RowKernels.dequantizeQ6_K(address, into: output, count: columnCount)
        }
    }
}
