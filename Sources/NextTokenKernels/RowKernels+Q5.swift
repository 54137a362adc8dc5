// Row kernels for the 5-bit block types q5_0 and q5_1 (32-element blocks), with their scalar
// references: see `RowKernels` for the conventions.

extension RowKernels {
    /// The dot product of a q5_0 row with `input`; `count` is a multiple of 32.
    public static func dotQ5_0F32(_ row: UnsafeRawPointer, _ input: UnsafePointer<Float>, count: Int) -> Float {
        precondition(count % 32 == 0, "q5_0 rows are whole blocks of 32")
        return Q5_0Format.dot(row, input, count: count)
    }

    /// Decodes a q5_0 row into `count` floats; `count` is a multiple of 32.
    public static func dequantizeQ5_0(_ row: UnsafeRawPointer, into output: UnsafeMutablePointer<Float>, count: Int) {
        precondition(count % 32 == 0, "q5_0 rows are whole blocks of 32")
        Q5_0Format.dequantize(row, into: output, count: count, halves: HalfTable.values)
    }

    /// Reference for ``dotQ5_0F32(_:_:count:)``.
    public static func dotQ5_0F32Reference(_ row: UnsafeRawPointer, _ input: UnsafePointer<Float>, count: Int) -> Float {
        precondition(count % 32 == 0, "q5_0 rows are whole blocks of 32")
        return referenceDot(input, count: count) { Q5_0Format.decodeElement(row, at: $0) }
    }

    /// Reference for ``dequantizeQ5_0(_:into:count:)``.
    public static func dequantizeQ5_0Reference(_ row: UnsafeRawPointer, into output: UnsafeMutablePointer<Float>, count: Int) {
        precondition(count % 32 == 0, "q5_0 rows are whole blocks of 32")
        for index in 0..<count { output[index] = Q5_0Format.decodeElement(row, at: index) }
    }

    /// The dot product of a q5_1 row with `input`; `count` is a multiple of 32.
    public static func dotQ5_1F32(_ row: UnsafeRawPointer, _ input: UnsafePointer<Float>, count: Int) -> Float {
        precondition(count % 32 == 0, "q5_1 rows are whole blocks of 32")
        return Q5_1Format.dot(row, input, count: count)
    }

    /// Decodes a q5_1 row into `count` floats; `count` is a multiple of 32.
    public static func dequantizeQ5_1(_ row: UnsafeRawPointer, into output: UnsafeMutablePointer<Float>, count: Int) {
        precondition(count % 32 == 0, "q5_1 rows are whole blocks of 32")
        Q5_1Format.dequantize(row, into: output, count: count, halves: HalfTable.values)
    }

    /// Reference for ``dotQ5_1F32(_:_:count:)``.
    public static func dotQ5_1F32Reference(_ row: UnsafeRawPointer, _ input: UnsafePointer<Float>, count: Int) -> Float {
        precondition(count % 32 == 0, "q5_1 rows are whole blocks of 32")
        return referenceDot(input, count: count) { Q5_1Format.decodeElement(row, at: $0) }
    }

    /// Reference for ``dequantizeQ5_1(_:into:count:)``.
    public static func dequantizeQ5_1Reference(_ row: UnsafeRawPointer, into output: UnsafeMutablePointer<Float>, count: Int) {
        precondition(count % 32 == 0, "q5_1 rows are whole blocks of 32")
        for index in 0..<count { output[index] = Q5_1Format.decodeElement(row, at: index) }
    }
}
