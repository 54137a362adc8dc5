extension MatrixMultiply {
    /// Several matrices with the same column count times the same `batch` vectors (`input`,
    /// packed densely), as one parallel job when their blocks decode in registers (one barrier
    /// instead of one per matrix: the query, key and value projections, or the gate and up
    /// projections, of a decode step); otherwise one
    /// ``multiply(_:input:inputStride:batch:output:outputStride:pool:)`` after the other.
    ///
    /// Matrix `i`'s result, `batch` vectors of its `rowCount` floats packed densely, starts at
    /// `output` plus `batch` times the row counts of the matrices before it. Each result has the
    /// bits of the separate call, and the call allocates nothing.
    public static func multiply(
        _ matrices: [WeightMatrix], input: UnsafePointer<Float>, batch: Int, output: UnsafeMutablePointer<Float>,
        pool: WorkerPool
    ) {
        let group = ProductGroup(matrices: matrices, input: input, batch: batch, output: output)
        guard batch > 0, matrices.count > 1,
              matrices.indices.allSatisfy({ group.problem($0).decodesInRegisters }) else {
            for index in matrices.indices {
                let problem = group.problem(index)
                multiply(problem.weights, input: input, inputStride: problem.inputStride, batch: batch,
                         output: problem.output, outputStride: problem.outputStride, pool: pool)
            }
            return
        }
        let columns = matrices[0].columnCount
        precondition(matrices.allSatisfy { $0.columnCount == columns }, "matrices of a group differ in columns")
        pool.parallelFor(matrices.indices.reduce(0) { $0 + group.problem($1).groupCount }, group)
    }
}

/// The products of a group as parallel work over their row groups, numbered across the
/// matrices in order.
private struct ProductGroup: ParallelWork {
    let matrices: [WeightMatrix]
    let input: UnsafePointer<Float>
    let batch: Int
    let output: UnsafeMutablePointer<Float>

    /// Matrix `index`'s product, with its place in the output.
    func problem(_ index: Int) -> Problem {
        var offset = 0
        for earlier in 0..<index { offset += batch * matrices[earlier].rowCount }
        let weights = matrices[index]
        return Problem(weights: weights, input: input, inputStride: weights.columnCount, batch: batch,
                       output: output + offset, outputStride: weights.rowCount)
    }

    func run(_ groups: Range<Int>, scratch: UnsafeMutableRawPointer) {
        var first = 0
        for index in matrices.indices {
            let product = problem(index)
            let lower = max(groups.lowerBound, first)
            let upper = min(groups.upperBound, first + product.groupCount)
            if lower < upper { product.runInRegisters(groups: lower - first ..< upper - first) }
            first += product.groupCount
        }
    }
}
