/// Row kernels per storage type, named ggml-style by operation and operand types: the dot
/// product of one encoded row with a Float vector (`dotQ4_1F32`) and the row dequantizer
/// (`dequantizeQ4_1`), each with a scalar twin suffixed `Reference` (see
/// `RowKernels+Reference.swift`) that the tests compare it with.
///
/// `row` points at the first byte of an encoded row of `count` elements; for the block types
/// `count` must be a multiple of the block size (32; 256 for the k-quants). The dot products decode the row 128 elements at a time into
/// a stack buffer (plain store loops vectorize reliably; decoding straight into registers did not)
/// and sum in the order of `DotAccumulator`, the order ``MatrixMultiply`` uses, so `dotQ4_1F32`
/// of a row equals the corresponding matrix-product element bit for bit.
public enum RowKernels {
    /// The dot product of an f32 row with `input`.
    public static func dotF32F32(_ row: UnsafeRawPointer, _ input: UnsafePointer<Float>, count: Int) -> Float {
        return F32Format.dot(row, input, count: count)
    }

    /// Decodes an f32 row into `count` floats.
    public static func dequantizeF32(_ row: UnsafeRawPointer, into output: UnsafeMutablePointer<Float>, count: Int) {
        F32Format.dequantize(row, into: output, count: count, halves: HalfTable.values)
    }

    /// The dot product of an f16 row with `input`.
    public static func dotF16F32(_ row: UnsafeRawPointer, _ input: UnsafePointer<Float>, count: Int) -> Float {
        return F16Format.dot(row, input, count: count)
    }

    /// Decodes an f16 row into `count` floats.
    public static func dequantizeF16(_ row: UnsafeRawPointer, into output: UnsafeMutablePointer<Float>, count: Int) {
        F16Format.dequantize(row, into: output, count: count, halves: HalfTable.values)
    }

    /// The dot product of a bf16 row with `input`.
    public static func dotBF16F32(_ row: UnsafeRawPointer, _ input: UnsafePointer<Float>, count: Int) -> Float {
        return BF16Format.dot(row, input, count: count)
    }

    /// Decodes a bf16 row into `count` floats.
    public static func dequantizeBF16(_ row: UnsafeRawPointer, into output: UnsafeMutablePointer<Float>, count: Int) {
        BF16Format.dequantize(row, into: output, count: count, halves: HalfTable.values)
    }

    /// The dot product of a q8_0 row with `input`.
    public static func dotQ8_0F32(_ row: UnsafeRawPointer, _ input: UnsafePointer<Float>, count: Int) -> Float {
        precondition(count % 32 == 0, "q8_0 rows are whole blocks of 32")
        return Q8_0Format.dot(row, input, count: count)
    }

    /// Decodes a q8_0 row into `count` floats.
    public static func dequantizeQ8_0(_ row: UnsafeRawPointer, into output: UnsafeMutablePointer<Float>, count: Int) {
        precondition(count % 32 == 0, "q8_0 rows are whole blocks of 32")
        Q8_0Format.dequantize(row, into: output, count: count, halves: HalfTable.values)
    }

    /// The dot product of a q4_0 row with `input`.
    public static func dotQ4_0F32(_ row: UnsafeRawPointer, _ input: UnsafePointer<Float>, count: Int) -> Float {
        precondition(count % 32 == 0, "q4_0 rows are whole blocks of 32")
        return Q4_0Format.dot(row, input, count: count)
    }

    /// Decodes a q4_0 row into `count` floats.
    public static func dequantizeQ4_0(_ row: UnsafeRawPointer, into output: UnsafeMutablePointer<Float>, count: Int) {
        precondition(count % 32 == 0, "q4_0 rows are whole blocks of 32")
        Q4_0Format.dequantize(row, into: output, count: count, halves: HalfTable.values)
    }

    /// The dot product of a q4_1 row with `input`.
    public static func dotQ4_1F32(_ row: UnsafeRawPointer, _ input: UnsafePointer<Float>, count: Int) -> Float {
        precondition(count % 32 == 0, "q4_1 rows are whole blocks of 32")
        return Q4_1Format.dot(row, input, count: count)
    }

    /// Decodes a q4_1 row into `count` floats.
    public static func dequantizeQ4_1(_ row: UnsafeRawPointer, into output: UnsafeMutablePointer<Float>, count: Int) {
        precondition(count % 32 == 0, "q4_1 rows are whole blocks of 32")
        Q4_1Format.dequantize(row, into: output, count: count, halves: HalfTable.values)
    }
}
