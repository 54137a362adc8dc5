#if arch(x86_64)
import NextTokenKernelsAVX512
#endif

/// Products whose weight blocks decode straight into registers (no scratch tile): one vector
/// of a block type everywhere, and on AVX-512 CPUs batches of up to ``fewVectorLimit`` vectors.
/// The values and the summation order are those of `run`, so the bits are too.
extension Problem {
    /// Batches up to this size of a block type decode in registers on AVX-512 CPUs; larger ones
    /// go through decoded tiles.
    static var fewVectorLimit: Int { 16 }

    /// Whether ``runInRegisters(pool:)`` handles this product.
    var decodesInRegisters: Bool {
        switch weights.format {
        case .q8_0, .q4_0, .q4_1, .q5_0:
            #if arch(x86_64)
            return batch == 1 || (CPUFeatures.avx512 && batch <= Self.fewVectorLimit)
            #else
            return batch == 1
            #endif
        default:
            return false
        }
    }

    /// Rows per unit of work that ``runInRegisters(pool:)`` hands to a thread.
    static var groupRows: Int { 16 }

    /// Number of ``groupRows``-row groups covering the matrix.
    var groupCount: Int { (weights.rowCount + Self.groupRows - 1) / Self.groupRows }

    /// The whole product, rows spread over `pool` in groups of ``groupRows``. Only where
    /// ``decodesInRegisters``.
    func runInRegisters(pool: WorkerPool) {
        pool.parallelFor(groupCount, RowGroups(problem: self))
    }

    /// The row groups of a product as parallel work.
    private struct RowGroups: ParallelWork {
        let problem: Problem

        func run(_ groups: Range<Int>, scratch: UnsafeMutableRawPointer) { problem.runInRegisters(groups: groups) }
    }

    /// Row groups `groups` of the product, on the calling thread.
    func runInRegisters(groups: Range<Int>) {
        runInRegisters(rows: groups.lowerBound &* Self.groupRows ..< min(groups.upperBound &* Self.groupRows, weights.rowCount))
    }

    /// Rows `rows` of the product, on the calling thread. Only where ``decodesInRegisters``.
    func runInRegisters(rows: Range<Int>) {
        switch weights.format {
        case .q8_0: runInRegisters(Q8_0Format.self, rows: rows)
        case .q4_0: runInRegisters(Q4_0Format.self, rows: rows)
        case .q4_1: runInRegisters(Q4_1Format.self, rows: rows)
        case .q5_0: runInRegisters(Q5_0Format.self, rows: rows)
        default: preconditionFailure("\(weights.format) does not decode in registers")
        }
    }

    @inline(__always)
    private func runInRegisters<Format: BlockDecoder>(_ format: Format.Type, rows: Range<Int>) {
        let halves = HalfTable.values
        let rowBytes = weights.rowByteCount
        let columns = weights.columnCount
        #if arch(x86_64)
        if CPUFeatures.avx512 {
            if batch == 1 {
                AVX512Kernels.multiplySingleVector(
                    Format.avx512Type, base: weights.base, rowByteCount: rowBytes, rows: rows,
                    columns: columns, input: input, halves: halves, output: output)
            } else {
                AVX512Kernels.multiplyFewVectors(
                    Format.avx512Type, base: weights.base, rowByteCount: rowBytes, rows: rows, columns: columns,
                    input: input, inputStride: inputStride, batch: batch, halves: halves,
                    output: output, outputStride: outputStride)
            }
            return
        }
        #endif
        var row = rows.lowerBound
        while row &+ 2 <= rows.upperBound {
            (output[row], output[row &+ 1]) = Format.dotTwoRows(
                weights.base + row &* rowBytes, rowStride: rowBytes, input, count: columns, halves: halves)
            row &+= 2
        }
        if row < rows.upperBound {
            output[row] = Format.dotOneRow(weights.base + row &* rowBytes, input, count: columns, halves: halves)
        }
    }
}
