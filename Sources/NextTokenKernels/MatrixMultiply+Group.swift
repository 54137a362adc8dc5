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
        @inline(__always)
        func problem(_ product: Product) -> Problem {
            Problem(weights: product.weights, input: input, inputStride: product.weights.columnCount, batch: batch,
                    output: product.output, outputStride: product.weights.rowCount)
        }
        guard batch > 0, products.count > 1, products.allSatisfy({ problem($0).decodesInRegisters }) else {
            for product in products {
                multiply(product.weights, input: input, inputStride: product.weights.columnCount, batch: batch,
                         output: product.output, outputStride: product.weights.rowCount, pool: pool)
            }
            return
        }
        let columns = products[0].weights.columnCount
        precondition(products.allSatisfy { $0.weights.columnCount == columns }, "matrices of a group differ in columns")
        // Row groups numbered across the matrices in order.
        let groupCount = products.reduce(0) { $0 + problem($1).groupCount }
        pool.parallelFor(groupCount) { groups in
            var first = 0
            for product in products {
                let product = problem(product)
                let lower = max(groups.lowerBound, first)
                let upper = min(groups.upperBound, first + product.groupCount)
                if lower < upper { product.runInRegisters(groups: lower - first ..< upper - first) }
                first += product.groupCount
            }
        }
    }
}
