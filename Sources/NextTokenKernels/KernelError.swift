import NextTokenCore

/// Why a weight matrix cannot be used by the kernels.
public enum KernelError: Error, Equatable {
    /// The kernels have no implementation for this element type.
    case unsupportedType(GGMLType)
    /// A row of `columns` elements is not a whole number of `blockSize`-element blocks.
    case partialBlock(columns: Int, blockSize: Int)
    /// A negative row or column count, or a matrix whose byte size overflows `Int`.
    case invalidShape(rowCount: Int, columnCount: Int)
}
