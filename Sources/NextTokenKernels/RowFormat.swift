import NextTokenCore

/// The storage types with kernels, as an exhaustive switch target.
enum RowFormatKind: Sendable {
    case f32, f16, bf16, q8_0, q4_0, q4_1

    init?(_ type: GGMLType) {
        switch type {
        case .f32: self = .f32
        case .f16: self = .f16
        case .bf16: self = .bf16
        case .q8_0: self = .q8_0
        case .q4_0: self = .q4_0
        case .q4_1: self = .q4_1
        default: return nil
        }
    }
}

/// How a storage type encodes a row: a fast decoder for runs of elements and a scalar decoder
/// for single elements (the reference), which produce identical values.
///
/// Block types (q8_0, q4_0, q4_1) decode whole 32-element blocks only: their counts and element
/// indices passed to ``dequantize(_:into:count:halves:)`` and ``byteOffset(ofElement:)`` are multiples
/// of 32.
protocol RowFormat {
    /// Where the block (or element) holding element `index` starts, from the start of the row.
    static func byteOffset(ofElement index: Int) -> Int
    /// Writes the values of the first `count` elements at `row` to `output`; `halves` is
    /// ``HalfTable/values``, for block scales.
    static func dequantize(
        _ row: UnsafeRawPointer, into output: UnsafeMutablePointer<Float>, count: Int, halves: UnsafePointer<Float>)
    /// Element `index` of the row that starts at `row`.
    static func decodeElement(_ row: UnsafeRawPointer, at index: Int) -> Float
}

extension RowFormat {
    /// Elements decoded per step by ``dot(_:_:count:)``: 512 bytes of floats on the stack.
    static var dotPieceCount: Int { 128 }

    /// The dot product of an encoded row of `count` elements with `input`, in the order of
    /// ``DotAccumulator``: the row is decoded piecewise into a stack buffer, so the products and
    /// sums are exactly those of the matrix kernels, which decode whole rows first.
    @inline(__always)
    static func dot(_ row: UnsafeRawPointer, _ input: UnsafePointer<Float>, count: Int) -> Float {
        if Self.self == F32Format.self { return dotOneByOne(row, input, count: count) }
        let halves = HalfTable.values
        return withUnsafeTemporaryAllocation(of: Float.self, capacity: dotPieceCount) { buffer in
            let decoded = buffer.baseAddress!
            var accumulator = DotAccumulator()
            var start = 0
            while start < count {
                let pieceCount = min(dotPieceCount, count &- start)
                dequantize(row + byteOffset(ofElement: start), into: decoded, count: pieceCount, halves: halves)
                accumulator.accumulate(UnsafeRawPointer(decoded), input + start, count: pieceCount)
                start &+= pieceCount
            }
            return accumulator.total
        }
    }
}
