// Row kernels for the k-quants q4_K, q5_K and q6_K (256-element super-blocks), with their scalar
// references: see `RowKernels` for the conventions. The dot products decode 256 elements per step.

extension RowKernels {
    /// The dot product of a q4_K row with `input`; `count` is a multiple of 256.
    public static func dotQ4_KF32(_ row: UnsafeRawPointer, _ input: UnsafePointer<Float>, count: Int) -> Float {
        precondition(count % 256 == 0, "q4_K rows are whole blocks of 256")
        return Q4_KFormat.dot(row, input, count: count)
    }

    /// Decodes a q4_K row into `count` floats; `count` is a multiple of 256.
    public static func dequantizeQ4_K(_ row: UnsafeRawPointer, into output: UnsafeMutablePointer<Float>, count: Int) {
        precondition(count % 256 == 0, "q4_K rows are whole blocks of 256")
        Q4_KFormat.dequantize(row, into: output, count: count, halves: HalfTable.values)
    }

    /// Reference for ``dotQ4_KF32(_:_:count:)``.
    public static func dotQ4_KF32Reference(_ row: UnsafeRawPointer, _ input: UnsafePointer<Float>, count: Int) -> Float {
        precondition(count % 256 == 0, "q4_K rows are whole blocks of 256")
        return referenceDot(input, count: count) { Q4_KFormat.decodeElement(row, at: $0) }
    }

    /// Reference for ``dequantizeQ4_K(_:into:count:)``.
    public static func dequantizeQ4_KReference(_ row: UnsafeRawPointer, into output: UnsafeMutablePointer<Float>, count: Int) {
        precondition(count % 256 == 0, "q4_K rows are whole blocks of 256")
        for index in 0..<count { output[index] = Q4_KFormat.decodeElement(row, at: index) }
    }

    /// The dot product of a q5_K row with `input`; `count` is a multiple of 256.
    public static func dotQ5_KF32(_ row: UnsafeRawPointer, _ input: UnsafePointer<Float>, count: Int) -> Float {
        precondition(count % 256 == 0, "q5_K rows are whole blocks of 256")
        return Q5_KFormat.dot(row, input, count: count)
    }

    /// Decodes a q5_K row into `count` floats; `count` is a multiple of 256.
    public static func dequantizeQ5_K(_ row: UnsafeRawPointer, into output: UnsafeMutablePointer<Float>, count: Int) {
        precondition(count % 256 == 0, "q5_K rows are whole blocks of 256")
        Q5_KFormat.dequantize(row, into: output, count: count, halves: HalfTable.values)
    }

    /// Reference for ``dotQ5_KF32(_:_:count:)``.
    public static func dotQ5_KF32Reference(_ row: UnsafeRawPointer, _ input: UnsafePointer<Float>, count: Int) -> Float {
        precondition(count % 256 == 0, "q5_K rows are whole blocks of 256")
        return referenceDot(input, count: count) { Q5_KFormat.decodeElement(row, at: $0) }
    }

    /// Reference for ``dequantizeQ5_K(_:into:count:)``.
    public static func dequantizeQ5_KReference(_ row: UnsafeRawPointer, into output: UnsafeMutablePointer<Float>, count: Int) {
        precondition(count % 256 == 0, "q5_K rows are whole blocks of 256")
        for index in 0..<count { output[index] = Q5_KFormat.decodeElement(row, at: index) }
    }

    /// The dot product of a q6_K row with `input`; `count` is a multiple of 256.
    public static func dotQ6_KF32(_ row: UnsafeRawPointer, _ input: UnsafePointer<Float>, count: Int) -> Float {
        precondition(count % 256 == 0, "q6_K rows are whole blocks of 256")
        return Q6_KFormat.dot(row, input, count: count)
    }

    /// Decodes a q6_K row into `count` floats; `count` is a multiple of 256.
    public static func dequantizeQ6_K(_ row: UnsafeRawPointer, into output: UnsafeMutablePointer<Float>, count: Int) {
        precondition(count % 256 == 0, "q6_K rows are whole blocks of 256")
        Q6_KFormat.dequantize(row, into: output, count: count, halves: HalfTable.values)
    }

    /// Reference for ``dotQ6_KF32(_:_:count:)``.
    public static func dotQ6_KF32Reference(_ row: UnsafeRawPointer, _ input: UnsafePointer<Float>, count: Int) -> Float {
        precondition(count % 256 == 0, "q6_K rows are whole blocks of 256")
        return referenceDot(input, count: count) { Q6_KFormat.decodeElement(row, at: $0) }
    }

    /// Reference for ``dequantizeQ6_K(_:into:count:)``.
    public static func dequantizeQ6_KReference(_ row: UnsafeRawPointer, into output: UnsafeMutablePointer<Float>, count: Int) {
        precondition(count % 256 == 0, "q6_K rows are whole blocks of 256")
        for index in 0..<count { output[index] = Q6_KFormat.decodeElement(row, at: index) }
    }
}
