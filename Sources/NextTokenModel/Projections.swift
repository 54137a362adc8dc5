import NextTokenKernels

/// The matrix products of one forward pass at its ``Precision``: the input of a group of
/// products is prepared once (quantized to 8 bits for int8, used as it is for f32), then each
/// product reads it.
struct Projections {
    let precision: Precision
    let pool: WorkerPool
    let activations: QuantizedActivations

    /// Prepares `rows` packed rows of `columns` floats at `input` for the next products.
    func prepare(_ input: UnsafePointer<Float>, rows: Int, columns: Int) {
        activations.quantize(input, stride: columns, rows: rows, columns: columns, quantizing: precision == .int8)
    }

    /// `weights` times each prepared row; results `outputStride` floats apart (packed by default).
    func multiply(_ weights: WeightMatrix, output: UnsafeMutablePointer<Float>, outputStride: Int? = nil) {
        MatrixMultiply.multiply(weights, activations: activations, output: output,
                                outputStride: outputStride ?? weights.rowCount, pool: pool)
    }

    /// Each of `matrices` times each prepared row, results one matrix after another (see
    /// ``MatrixMultiply/multiply(_:activations:output:pool:)``).
    func multiply(_ matrices: [WeightMatrix], output: UnsafeMutablePointer<Float>) {
        if activations.isQuantized {
            MatrixMultiply.multiply(matrices, activations: activations, output: output, pool: pool)
        } else {
            MatrixMultiply.multiply(matrices, input: activations.floats, batch: activations.rowCount, output: output,
                                    pool: pool)
        }
    }

    /// The output head times `rows` rows of `columns` floats, `outputStride` floats apart. At int8
    /// the head's input is quantized in blocks of 16: with blocks of 32 SmolLM2's log-probabilities
    /// strayed further from float64 than llama.cpp's (median 0.0675 against 0.0656 over the
    /// reference sequences, `PrecisionAccuracyTests`); a Float head costs 30% of generation speed.
    func multiplyOutputHead(
        _ head: WeightMatrix, input: UnsafePointer<Float>, rows: Int, output: UnsafeMutablePointer<Float>,
        outputStride: Int
    ) {
        activations.quantize(input, stride: head.columnCount, rows: rows, columns: head.columnCount,
                             quantizing: precision == .int8, blockLength: 16)
        multiply(head, output: output, outputStride: outputStride)
    }

    /// Prepares `rows` packed rows of `weights.columnCount` floats and multiplies them.
    func project(_ weights: WeightMatrix, input: UnsafePointer<Float>, rows: Int, output: UnsafeMutablePointer<Float>) {
        prepare(input, rows: rows, columns: weights.columnCount)
        multiply(weights, output: output)
    }
}
