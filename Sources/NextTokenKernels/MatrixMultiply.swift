/// Matrix products of a ``WeightMatrix`` with a batch of Float vectors.
///
/// Rows are decoded in blocks ("tiles") into per-thread scratch memory as floats, then each tile
/// is multiplied with every vector of the batch, two rows by two vectors at a time (a single
/// vector: four rows at a time; block types decode straight into registers instead, with the
/// same values). Every output
/// element is the dot product of one decoded row with one vector, summed in the fixed order
/// described by `DotAccumulator`; no path splits a row's sum (no split-K). So an element's bits do
/// not depend on the batch size or on the pool's thread count, and equal the row kernels'
/// (`RowKernels.dotQ4_1F32` and siblings). Work is divided over tiles of rows only.
public enum MatrixMultiply {
    /// `output[b * outputStride + r] = Σ_c W[r, c] * input[b * inputStride + c]`
    /// for `r` in `0..<weights.rowCount` and `b` in `0..<batch`.
    ///
    /// - Parameters:
    ///   - input: `batch` vectors of `weights.columnCount` floats, `inputStride` floats apart.
    ///   - output: room for `batch` vectors of `weights.rowCount` floats, `outputStride` apart;
    ///     must not overlap `input`.
    ///   - pool: the threads to use; tiles of rows are divided among them.
    public static func multiply(
        _ weights: WeightMatrix, input: UnsafePointer<Float>, inputStride: Int, batch: Int,
        output: UnsafeMutablePointer<Float>, outputStride: Int, pool: WorkerPool
    ) {
        precondition(batch >= 0, "negative batch")
        precondition(batch <= 1 || (inputStride >= weights.columnCount && outputStride >= weights.rowCount),
                     "vector strides shorter than the vectors")
        guard batch > 0, weights.rowCount > 0 else { return }
        let problem = Problem(
            weights: weights, input: input, inputStride: inputStride, batch: batch,
            output: output, outputStride: outputStride)
        if problem.decodesInRegisters {
            problem.runInRegisters(pool: pool)
            return
        }
        switch weights.format {
        case .f32: problem.run(F32Format.self, pool: pool)
        case .f16: problem.run(F16Format.self, pool: pool)
        case .bf16: problem.run(BF16Format.self, pool: pool)
        case .q8_0: problem.run(Q8_0Format.self, pool: pool)
        case .q4_0: problem.run(Q4_0Format.self, pool: pool)
        case .q4_1: problem.run(Q4_1Format.self, pool: pool)
        case .q5_0: problem.run(Q5_0Format.self, pool: pool)
        case .q5_1: problem.run(Q5_1Format.self, pool: pool)
        case .q4_K: problem.run(Q4_KFormat.self, pool: pool)
        case .q5_K: problem.run(Q5_KFormat.self, pool: pool)
        case .q6_K: problem.run(Q6_KFormat.self, pool: pool)
        }
    }
}
