/// Matrix products of a ``WeightMatrix`` with a batch of Float vectors.
///
/// Weights of the block types with integer kernels (q4_0, q4_1, q8_0) multiply
/// ``QuantizedActivations``: each vector is quantized to 8-bit blocks of 32 (per vector, so
/// independently of the batch), and each output element is one exact integer dot product per
/// block, scaled and summed in the fixed order of ``IntegerRowFormat``. Weights of the other
/// types are decoded in blocks of rows ("tiles") into per-thread scratch as floats, then each
/// tile is multiplied with every vector, two rows by two vectors at a time, each element summed
/// in the fixed order described by `DotAccumulator`. Either way no path splits a row's sum (no
/// split-K) and work is divided over tiles of rows only, so an element's bits do not depend on
/// the batch size or on the pool's thread count, and equal the row kernels'
/// (`RowKernels.dotQ4_1Q8`, `RowKernels.dotF16F32` and siblings).
public enum MatrixMultiply {
    /// `output[b * outputStride + r] = Σ_c W[r, c] * input[b * inputStride + c]`
    /// for `r` in `0..<weights.rowCount` and `b` in `0..<batch`; for weights with integer
    /// kernels, `input` is first quantized (into a buffer the pool keeps).
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
        multiplyFloat(weights, input: input, inputStride: inputStride, batch: batch, output: output,
                      outputStride: outputStride, pool: pool)
    }

    /// The same product with an input already quantized, so that several weight matrices can
    /// share one quantization of the same vectors. Weights without integer kernels use the
    /// Float rows the activations were quantized from.
    public static func multiply(
        _ weights: WeightMatrix, activations: QuantizedActivations, output: UnsafeMutablePointer<Float>,
        outputStride: Int, pool: WorkerPool
    ) {
        let batch = activations.rowCount
        precondition(activations.columnCount == weights.columnCount, "activations and weights disagree on columns")
        precondition(batch <= 1 || outputStride >= weights.rowCount, "output stride shorter than the vectors")
        guard batch > 0, weights.rowCount > 0 else { return }
        guard activations.isQuantized, weights.format.hasIntegerKernels else {
            guard let floats = activations.floats else { return }
            multiplyFloat(weights, input: floats, inputStride: activations.floatStride, batch: batch,
                          output: output, outputStride: outputStride, pool: pool)
            return
        }
        let problem = IntegerProblem(
            weights: weights, activations: activations, output: output, outputStride: outputStride)
        switch weights.format {
        case .q8_0: problem.run(Q8_0Format.self, pool: pool)
        case .q4_0: problem.run(Q4_0Format.self, pool: pool)
        case .q4_1: problem.run(Q4_1Format.self, pool: pool)
        case .f32, .f16, .bf16: break
        }
    }

    /// The float path: decode tiles of weight rows, multiply with Float vectors.
    static func multiplyFloat(
        _ weights: WeightMatrix, input: UnsafePointer<Float>, inputStride: Int, batch: Int,
        output: UnsafeMutablePointer<Float>, outputStride: Int, pool: WorkerPool
    ) {
        let problem = Problem(
            weights: weights, input: input, inputStride: inputStride, batch: batch,
            output: output, outputStride: outputStride)
        switch weights.format {
        case .f32: problem.run(F32Format.self, pool: pool)
        case .f16: problem.run(F16Format.self, pool: pool)
        case .bf16: problem.run(BF16Format.self, pool: pool)
        case .q8_0 where batch == 1: problem.runSingleVector(Q8_0Format.self, pool: pool)
        case .q4_0 where batch == 1: problem.runSingleVector(Q4_0Format.self, pool: pool)
        case .q4_1 where batch == 1: problem.runSingleVector(Q4_1Format.self, pool: pool)
        case .q8_0: problem.run(Q8_0Format.self, pool: pool)
        case .q4_0: problem.run(Q4_0Format.self, pool: pool)
        case .q4_1: problem.run(Q4_1Format.self, pool: pool)
        }
    }
}
