/// Matrix products of a ``WeightMatrix`` with a batch of Float vectors.
///
/// Every output element is the dot product of one weight row with one input vector, summed in
/// the fixed order described by `DotAccumulator` (16-lane partial sums over the row, folded at
/// the end). No path splits a row's sum (no split-K), so an element's bits do not depend on the
/// batch size, on which path computed it, or on the pool's thread count. Work is divided over
/// rows only.
public enum MatrixMultiply {
    /// Below this batch size each input vector is multiplied on its own, decoding weights in
    /// registers; from it on, blocks of rows are decoded once into scratch memory and reused for
    /// every vector of the batch.
    static let tiledBatchThreshold = 2

    /// Rows handled together by one chunk of the batch-1 path.
    static let rowGroupSize = 16

    /// `output[b * outputStride + r] = Σ_c W[r, c] * input[b * inputStride + c]`
    /// for `r` in `0..<weights.rowCount` and `b` in `0..<batch`.
    ///
    /// - Parameters:
    ///   - input: `batch` vectors of `weights.columnCount` floats, `inputStride` floats apart.
    ///   - output: room for `batch` vectors of `weights.rowCount` floats, `outputStride` apart;
    ///     must not overlap `input`.
    ///   - pool: the threads to use; rows are divided among them.
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
        switch weights.format {
        case .f32: problem.run(F32Format.self, pool: pool)
        case .f16: problem.run(F16Format.self, pool: pool)
        case .bf16: problem.run(BF16Format.self, pool: pool)
        case .q8_0: problem.run(Q8_0Format.self, pool: pool)
        case .q4_0: problem.run(Q4_0Format.self, pool: pool)
        case .q4_1: problem.run(Q4_1Format.self, pool: pool)
        }
    }
}

/// The operands of one ``MatrixMultiply/multiply(_:input:inputStride:batch:output:outputStride:pool:)``
/// call.
struct Problem {
    let weights: WeightMatrix
    let input: UnsafePointer<Float>
    let inputStride: Int
    let batch: Int
    let output: UnsafeMutablePointer<Float>
    let outputStride: Int

    /// Picks the path by batch size; both give identical bits.
    @inline(__always)
    func run<Format: RowFormat>(_ format: Format.Type, pool: WorkerPool) {
        if batch < MatrixMultiply.tiledBatchThreshold {
            runByVector(format, pool: pool)
        } else {
            runTiled(format, pool: pool)
        }
    }

    /// One input vector at a time; rows decoded in registers, two rows interleaved.
    @inline(__always)
    func runByVector<Format: RowFormat>(_ format: Format.Type, pool: WorkerPool) {
        let groupSize = MatrixMultiply.rowGroupSize
        let groupCount = (weights.rowCount + groupSize - 1) / groupSize
        pool.parallelFor(groupCount) { groups in
            let rows = groups.lowerBound &* groupSize ..< min(groups.upperBound &* groupSize, weights.rowCount)
            for vector in 0..<batch {
                multiplyRows(format, rows, vector: vector)
            }
        }
    }

    /// Rows `rows` times input vector `vector`.
    @inline(__always)
    func multiplyRows<Format: RowFormat>(_ format: Format.Type, _ rows: Range<Int>, vector: Int) {
        let x = input + vector &* inputStride
        let y = output + vector &* outputStride
        let columns = weights.columnCount
        let stride = weights.rowByteCount
        var row = rows.lowerBound
        var address = weights.base + row &* stride
        while row &+ 2 <= rows.upperBound {
            let (first, second) = Format.dot(address, address + stride, x, count: columns)
            y[row] = first
            y[row &+ 1] = second
            row &+= 2
            address += 2 &* stride
        }
        if row < rows.upperBound {
            y[row] = Format.dot(address, x, count: columns)
        }
    }
}
