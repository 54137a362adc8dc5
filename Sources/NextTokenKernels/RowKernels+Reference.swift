// Scalar twins of the row kernels: one element at a time, through the formats' scalar element
// decoders, with the dot product summed in Double in plain index order.

/// The dot product of `count` elements given by `element` with `input`, summed in Double and
/// rounded once to Float.
func referenceDot(
    _ input: UnsafePointer<Float>, count: Int, _ element: (Int) -> Float
) -> Float {
    var sum = 0.0
    for index in 0..<count { sum += Double(element(index)) * Double(input[index]) }
    return Float(sum)
}

extension RowKernels {
    /// Reference for ``dotF32F32(_:_:count:)``.
    public static func dotF32F32Reference(_ row: UnsafeRawPointer, _ input: UnsafePointer<Float>, count: Int) -> Float {
        referenceDot(input, count: count) { F32Format.decodeElement(row, at: $0) }
    }

    /// Reference for ``dequantizeF32(_:into:count:)``.
    public static func dequantizeF32Reference(_ row: UnsafeRawPointer, into output: UnsafeMutablePointer<Float>, count: Int) {
        for index in 0..<count { output[index] = F32Format.decodeElement(row, at: index) }
    }

    /// Reference for ``dotF16F32(_:_:count:)``.
    public static func dotF16F32Reference(_ row: UnsafeRawPointer, _ input: UnsafePointer<Float>, count: Int) -> Float {
        referenceDot(input, count: count) { F16Format.decodeElement(row, at: $0) }
    }

    /// Reference for ``dequantizeF16(_:into:count:)``.
    public static func dequantizeF16Reference(_ row: UnsafeRawPointer, into output: UnsafeMutablePointer<Float>, count: Int) {
        for index in 0..<count { output[index] = F16Format.decodeElement(row, at: index) }
    }

    /// Reference for ``dotBF16F32(_:_:count:)``.
    public static func dotBF16F32Reference(_ row: UnsafeRawPointer, _ input: UnsafePointer<Float>, count: Int) -> Float {
        referenceDot(input, count: count) { BF16Format.decodeElement(row, at: $0) }
    }

    /// Reference for ``dequantizeBF16(_:into:count:)``.
    public static func dequantizeBF16Reference(_ row: UnsafeRawPointer, into output: UnsafeMutablePointer<Float>, count: Int) {
        for index in 0..<count { output[index] = BF16Format.decodeElement(row, at: index) }
    }

    /// Reference for ``dotQ8_0F32(_:_:count:)``.
    public static func dotQ8_0F32Reference(_ row: UnsafeRawPointer, _ input: UnsafePointer<Float>, count: Int) -> Float {
        precondition(count % 32 == 0, "q8_0 rows are whole blocks of 32")
        return referenceDot(input, count: count) { Q8_0Format.decodeElement(row, at: $0) }
    }

    /// Reference for ``dequantizeQ8_0(_:into:count:)``.
    public static func dequantizeQ8_0Reference(_ row: UnsafeRawPointer, into output: UnsafeMutablePointer<Float>, count: Int) {
        precondition(count % 32 == 0, "q8_0 rows are whole blocks of 32")
        for index in 0..<count { output[index] = Q8_0Format.decodeElement(row, at: index) }
    }

    /// Reference for ``dotQ4_0F32(_:_:count:)``.
    public static func dotQ4_0F32Reference(_ row: UnsafeRawPointer, _ input: UnsafePointer<Float>, count: Int) -> Float {
        precondition(count % 32 == 0, "q4_0 rows are whole blocks of 32")
        return referenceDot(input, count: count) { Q4_0Format.decodeElement(row, at: $0) }
    }

    /// Reference for ``dequantizeQ4_0(_:into:count:)``.
    public static func dequantizeQ4_0Reference(_ row: UnsafeRawPointer, into output: UnsafeMutablePointer<Float>, count: Int) {
        precondition(count % 32 == 0, "q4_0 rows are whole blocks of 32")
        for index in 0..<count { output[index] = Q4_0Format.decodeElement(row, at: index) }
    }

    /// Reference for ``dotQ4_1F32(_:_:count:)``.
    public static func dotQ4_1F32Reference(_ row: UnsafeRawPointer, _ input: UnsafePointer<Float>, count: Int) -> Float {
        precondition(count % 32 == 0, "q4_1 rows are whole blocks of 32")
        return referenceDot(input, count: count) { Q4_1Format.decodeElement(row, at: $0) }
    }

    /// Reference for ``dequantizeQ4_1(_:into:count:)``.
    public static func dequantizeQ4_1Reference(_ row: UnsafeRawPointer, into output: UnsafeMutablePointer<Float>, count: Int) {
        precondition(count % 32 == 0, "q4_1 rows are whole blocks of 32")
        for index in 0..<count { output[index] = Q4_1Format.decodeElement(row, at: index) }
    }
}
