/// Products of block-quantized weights with 8-bit activations (the int8 precision), on the rows
/// repacked by ``WeightMatrix/interleavingRows()``: each output element is one
/// ``InterleavedDot`` result, so its bits do not depend on the batch size, on the row's place in
/// the batch or on the thread count.
extension MatrixMultiply {
    /// `output[b * outputStride + r] = Σ_c W[r, c] * x_b[c]` for every row `b` of `activations`:
    /// on integers where `weights` are interleaved and the activations quantized, on the Float
    /// rows otherwise.
    public static func multiply(
        _ weights: WeightMatrix, activations: QuantizedActivations, output: UnsafeMutablePointer<Float>,
        outputStride: Int, pool: WorkerPool
    ) {
        let batch = activations.rowCount
        precondition(activations.columnCount == weights.columnCount, "activations and weights differ in columns")
        precondition(batch <= 1 || outputStride >= weights.rowCount, "output stride shorter than a row")
        guard batch > 0, weights.rowCount > 0 else { return }
        guard let problem = IntegerProblem(weights: weights, activations: activations, output: output,
                                           outputStride: outputStride) else {
            multiply(weights, input: activations.floats, inputStride: activations.floatStride, batch: batch,
                     output: output, outputStride: outputStride, pool: pool)
            return
        }
        pool.parallelFor(problem.unitCount, problem)
    }

    /// Several matrices with the same column count times the same activations, as one parallel
    /// job when all multiply on integers (otherwise one product after the other). Matrix `i`'s
    /// result, its rows for every activation row packed densely, follows those of the matrices
    /// before it, as in ``multiply(_:input:batch:output:pool:)``; each has the bits of the separate
    /// call, and the call allocates nothing.
    public static func multiply(
        _ matrices: [WeightMatrix], activations: QuantizedActivations, output: UnsafeMutablePointer<Float>,
        pool: WorkerPool
    ) {
        let group = IntegerProductGroup(matrices: matrices, activations: activations, output: output)
        guard activations.rowCount > 0, matrices.count > 1, matrices.indices.allSatisfy({ group.problem($0) != nil })
        else {
            for (index, matrix) in matrices.enumerated() {
                multiply(matrix, activations: activations, output: output + group.offset(index),
                         outputStride: matrix.rowCount, pool: pool)
            }
            return
        }
        pool.parallelFor(matrices.indices.reduce(0) { $0 + (group.problem($1)?.unitCount ?? 0) }, group)
    }
}

/// One integer product as parallel work over units of ``groupsPerUnit`` groups of 8 weight rows.
struct IntegerProblem: ParallelWork {
    let rows: InterleavedRows
    let format: RowFormatKind
    let activations: QuantizedActivations
    let output: UnsafeMutablePointer<Float>
    let outputStride: Int

    /// Groups of 8 rows per unit of work.
    static var groupsPerUnit: Int { 2 }

    /// The product on integers, or `nil` where the weights are not interleaved or the
    /// activations not quantized.
    init?(weights: WeightMatrix, activations: QuantizedActivations, output: UnsafeMutablePointer<Float>,
          outputStride: Int) {
        guard let rows = weights.interleaved, activations.isQuantized else { return nil }
        self.rows = rows
        format = weights.format
        self.activations = activations
        self.output = output
        self.outputStride = outputStride
    }

    var groupCount: Int { (rows.rowCount + 7) / 8 }
    var unitCount: Int { (groupCount + Self.groupsPerUnit - 1) / Self.groupsPerUnit }

    func run(_ units: Range<Int>, scratch: UnsafeMutableRawPointer) {
        let groups = units.lowerBound &* Self.groupsPerUnit ..< min(units.upperBound &* Self.groupsPerUnit, groupCount)
        if activations.blockLength == 32 {
            run(WholeBlocks.self, groups: groups)
        } else {
            run(HalfBlocks.self, groups: groups)
        }
    }

    @inline(__always)
    private func run<Blocks: ActivationBlocks>(_ blocks: Blocks.Type, groups: Range<Int>) {
        switch format {
        case .q8_0: run(Q8_0Format.self, blocks, groups: groups)
        case .q4_0: run(Q4_0Format.self, blocks, groups: groups)
        case .q4_1: run(Q4_1Format.self, blocks, groups: groups)
        case .q5_0: run(Q5_0Format.self, blocks, groups: groups)
        case .q5_1: run(Q5_1Format.self, blocks, groups: groups)
        case .q4_K: run(Q4_KFormat.self, blocks, groups: groups)
        case .q5_K: run(Q5_KFormat.self, blocks, groups: groups)
        case .q6_K: run(Q6_KFormat.self, blocks, groups: groups)
        case .f32, .f16, .bf16: preconditionFailure("\(format) has no integer products")
        }
    }

    /// Groups `groups` times every activation row, four activation rows at a time.
    @inline(__always)
    private func run<Format: IntegerBlockFormat, Blocks: ActivationBlocks>(
        _ format: Format.Type, _ blocks: Blocks.Type, groups: Range<Int>
    ) {
        let batch = activations.rowCount
        for group in groups {
            var vector = 0
            while vector &+ 4 <= batch {
                let (y0, y1, y2, y3) = InterleavedDot.fourVectors(
                    Format.self, blocks, rows, group: group, activations.row(vector), activations.row(vector &+ 1),
                    activations.row(vector &+ 2), activations.row(vector &+ 3))
                store(y0, group: group, vector: vector)
                store(y1, group: group, vector: vector &+ 1)
                store(y2, group: group, vector: vector &+ 2)
                store(y3, group: group, vector: vector &+ 3)
                vector &+= 4
            }
            while vector < batch {
                store(InterleavedDot.oneVector(Format.self, blocks, rows, group: group, activations.row(vector)),
                      group: group, vector: vector)
                vector &+= 1
            }
        }
    }

    /// Writes the lanes of `results` that are rows of the matrix.
    @inline(__always)
    private func store(_ results: SIMD8<Float>, group: Int, vector: Int) {
        let first = group &* 8
        let offset: Int = vector &* outputStride &+ first
        let destination = output + offset
        if first &+ 8 <= rows.rowCount {
            UnsafeMutableRawPointer(destination).storeBytes(of: results, as: SIMD8<Float>.self)
        } else {
            for lane in 0 ..< rows.rowCount &- first { destination[lane] = results[lane] }
        }
    }
}

/// The integer products of a group as parallel work over their units, numbered across the
/// matrices in order.
private struct IntegerProductGroup: ParallelWork {
    let matrices: [WeightMatrix]
    let activations: QuantizedActivations
    let output: UnsafeMutablePointer<Float>

    /// Where matrix `index`'s results start.
    func offset(_ index: Int) -> Int {
        var offset = 0
        for earlier in 0 ..< index { offset += activations.rowCount * matrices[earlier].rowCount }
        return offset
    }

    /// Matrix `index`'s product, with its place in the output.
    func problem(_ index: Int) -> IntegerProblem? {
        IntegerProblem(weights: matrices[index], activations: activations, output: output + offset(index),
                       outputStride: matrices[index].rowCount)
    }

    func run(_ units: Range<Int>, scratch: UnsafeMutableRawPointer) {
        var first = 0
        for index in matrices.indices {
            guard let product = problem(index) else { continue }
            let lower = max(units.lowerBound, first)
            let upper = min(units.upperBound, first + product.unitCount)
            if lower < upper { product.run(lower - first ..< upper - first, scratch: scratch) }
            first += product.unitCount
        }
    }
}
