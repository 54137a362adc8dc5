extension MatrixMultiply {
    /// One matrix of a group product and where its result goes.
    public struct Product {
        /// The matrix; every matrix of a group has the same column count.
        public let weights: WeightMatrix
        /// Room for `batch` vectors of `weights.rowCount` floats, packed densely.
        public let output: UnsafeMutablePointer<Float>

        /// `weights` times the group's input, into `output`.
        public init(_ weights: WeightMatrix, output: UnsafeMutablePointer<Float>) {
            self.weights = weights
            self.output = output
        }
    }

    /// Several matrices times the same `batch` vectors (`input`, packed densely), as one parallel
    /// job when their blocks decode in registers (one barrier instead of one per matrix: the
    /// query, key and value projections, or the gate and up projections, of a decode step);
    /// otherwise one ``multiply(_:input:inputStride:batch:output:outputStride:pool:)`` after the
    /// other. Each output has the bits of the separate call.
    public static func multiply(
        _ products: [Product], input: UnsafePointer<Float>, batch: Int, pool: WorkerPool
    ) {
        let problems = products.map { product in
            Problem(weights: product.weights, input: input, inputStride: product.weights.columnCount, batch: batch,
                    output: product.output, outputStride: product.weights.rowCount)
        }
        guard batch > 0, problems.count > 1, problems.allSatisfy(\.decodesInRegisters) else {
            for problem in problems {
                multiply(problem.weights, input: input, inputStride: problem.inputStride, batch: batch,
                         output: problem.output, outputStride: problem.outputStride, pool: pool)
            }
            return
        }
        let columns = problems[0].weights.columnCount
        precondition(problems.allSatisfy { $0.weights.columnCount == columns }, "matrices of a group differ in columns")
        // Groups of 16 rows, numbered across the matrices in order.
        let groupRows = 16
        var firstGroups = [0]
        for problem in problems {
            firstGroups.append(firstGroups.last! + (problem.weights.rowCount + groupRows - 1) / groupRows)
        }
        pool.parallelFor(firstGroups.last!) { groups in
            for (index, problem) in problems.enumerated() {
                let lower = max(groups.lowerBound, firstGroups[index])
                let upper = min(groups.upperBound, firstGroups[index + 1])
                guard lower < upper else { continue }
                let firstRow = (lower - firstGroups[index]) * groupRows
                let lastRow = min((upper - firstGroups[index]) * groupRows, problem.weights.rowCount)
                problem.runInRegisters(rows: firstRow ..< lastRow)
            }
        }
    }
}
