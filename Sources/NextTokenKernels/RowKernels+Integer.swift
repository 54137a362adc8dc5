import NextTokenCore

// Hooks for the tests of the integer products: one row of an interleaved matrix times one
// activation row through each kernel shape and the scalar twin, and the activation quantizer.

extension RowKernels {
    /// The kernel shapes of ``integerDot(_:row:_:vector:shape:)``.
    package enum IntegerShape: CaseIterable, Sendable {
        /// A group of 8 rows times one activation row.
        case oneVector
        /// A group of 8 rows times four activation rows (the row repeated), the first result.
        case fourVectors
        /// The scalar twin.
        case reference
    }

    /// Row `row` of `matrix` (interleaved) times row `vector` of `activations`, computed by
    /// `shape`; `nil` when the matrix is not interleaved or the activations are not quantized.
    package static func integerDot(
        _ matrix: WeightMatrix, row: Int, _ activations: QuantizedActivations, vector: Int, shape: IntegerShape
    ) -> Float? {
        guard let rows = matrix.interleaved, activations.isQuantized, row >= 0, row < matrix.rowCount,
              vector >= 0, vector < activations.rowCount else { return nil }
        return activations.blockLength == 32
            ? integerDot(WholeBlocks.self, matrix, rows, row, activations.row(vector), shape)
            : integerDot(HalfBlocks.self, matrix, rows, row, activations.row(vector), shape)
    }

    private static func integerDot<Blocks: ActivationBlocks>(
        _ blocks: Blocks.Type, _ matrix: WeightMatrix, _ rows: InterleavedRows, _ row: Int, _ x: QuantizedRow,
        _ shape: IntegerShape
    ) -> Float? {
        switch matrix.format {
        case .q8_0: return integerDot(Q8_0Format.self, blocks, rows, row, x, shape)
        case .q4_0: return integerDot(Q4_0Format.self, blocks, rows, row, x, shape)
        case .q4_1: return integerDot(Q4_1Format.self, blocks, rows, row, x, shape)
        case .q5_0: return integerDot(Q5_0Format.self, blocks, rows, row, x, shape)
        case .q5_1: return integerDot(Q5_1Format.self, blocks, rows, row, x, shape)
        case .q4_K: return integerDot(Q4_KFormat.self, blocks, rows, row, x, shape)
        case .q5_K: return integerDot(Q5_KFormat.self, blocks, rows, row, x, shape)
        case .q6_K: return integerDot(Q6_KFormat.self, blocks, rows, row, x, shape)
        case .f32, .f16, .bf16: return nil
        }
    }

    private static func integerDot<Format: IntegerBlockFormat, Blocks: ActivationBlocks>(
        _ format: Format.Type, _ blocks: Blocks.Type, _ rows: InterleavedRows, _ row: Int, _ x: QuantizedRow,
        _ shape: IntegerShape
    ) -> Float {
        let (group, lane) = (row / 8, row % 8)
        switch shape {
        case .oneVector: return InterleavedDot.oneVector(format, blocks, rows, group: group, x)[lane]
        case .fourVectors: return InterleavedDot.fourVectors(format, blocks, rows, group: group, x, x, x, x).0[lane]
        case .reference: return InterleavedDot.reference(format, blocks, rows, group: group, lane: lane, x)
        }
    }

    /// Quantizes one block of 32 floats with the fast path (`reference` false) or its scalar twin;
    /// returns the quants, `d` and `Σq`.
    package static func quantizeActivationBlock(_ x: UnsafePointer<Float>, reference: Bool) -> ([Int8], Float, Int32) {
        var quants = [Int8](repeating: 0, count: 32)
        let (scale, sum) = quants.withUnsafeMutableBufferPointer { buffer in
            reference ? ActivationQuantizer.quantizeReference(x, into: buffer.baseAddress!)
                : ActivationQuantizer.quantize(x, into: buffer.baseAddress!)
        }
        return (quants, scale, sum)
    }
}
