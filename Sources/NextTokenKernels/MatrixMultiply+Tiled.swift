#if arch(x86_64)
import NextTokenKernelsAVX512
#endif

/// The operands of one ``MatrixMultiply/multiply(_:input:inputStride:batch:output:outputStride:pool:)``
/// call, and the tiled product.
struct Problem {
    let weights: WeightMatrix
    let input: UnsafePointer<Float>
    let inputStride: Int
    let batch: Int
    let output: UnsafeMutablePointer<Float>
    let outputStride: Int

    /// Rows per tile: as many as fit the decoded-float budget (16 KiB for a single vector, so the
    /// tile is still in L1 when it is read back; 32 KiB for a batch), even, between 2 and 64.
    var tileRowCount: Int {
        let budget = batch == 1 ? 16 * 1024 : 32 * 1024
        let fitting = budget / max(weights.columnCount &* 4, 1)
        return max(2, min(64, fitting & ~1))
    }

    @inline(__always)
    func run<Format: RowFormat>(_ format: Format.Type, pool: WorkerPool) {
        let tileRows = tileRowCount
        let tileCount = (weights.rowCount + tileRows - 1) / tileRows
        let columns = weights.columnCount
        let decodes = Format.self != F32Format.self
        let scratchByteCount = decodes ? tileRows * columns * 4 : 0
        let halves = HalfTable.values
        pool.parallelFor(tileCount, scratchByteCount: scratchByteCount) { tiles, scratch in
            let decoded = scratch.bindMemory(to: Float.self, capacity: tileRows &* columns)
            for tile in tiles {
                let firstRow = tile &* tileRows
                let rowCount = min(tileRows, weights.rowCount &- firstRow)
                let encoded = weights.base + firstRow &* weights.rowByteCount
                if decodes {
                    for row in 0..<rowCount {
                        Format.dequantize(encoded + row &* weights.rowByteCount,
                                          into: decoded + row &* columns, count: columns, halves: halves)
                    }
                    dispatchTile(UnsafeRawPointer(decoded), rowStride: columns &* 4,
                                 firstRow: firstRow, rowCount: rowCount)
                } else {
                    dispatchTile(encoded, rowStride: weights.rowByteCount, firstRow: firstRow, rowCount: rowCount)
                }
            }
        }
    }

    /// `multiplyTile`, or its AVX-512 build where the CPU has AVX-512 (same bits).
    @inline(__always)
    func dispatchTile(_ tile: UnsafeRawPointer, rowStride: Int, firstRow: Int, rowCount: Int) {
        #if arch(x86_64)
        if CPUFeatures.avx512 {
            AVX512Kernels.multiplyTile(
                tile, rowStride: rowStride, rowCount: rowCount, columns: weights.columnCount, input: input,
                inputStride: inputStride, batch: batch, output: output + firstRow, outputStride: outputStride)
            return
        }
        #endif
        multiplyTile(tile, rowStride: rowStride, firstRow: firstRow, rowCount: rowCount)
    }

    /// The single-vector product of a block type: rows decoded in registers and multiplied with
    /// the vector (the same values and order as `run`, without scratch); on AVX-512 CPUs, the
    /// AVX-512 build of the same loop.
    @inline(__always)
    func runSingleVector<Format: BlockDecoder>(_ format: Format.Type, pool: WorkerPool) {
        let halves = HalfTable.values
        let rowBytes = weights.rowByteCount
        let columns = weights.columnCount
        #if arch(x86_64)
        let avx512 = CPUFeatures.avx512
        #else
        let avx512 = false
        #endif
        parallelForRows(pool) { rows in
            #if arch(x86_64)
            if avx512 {
                AVX512Kernels.multiplySingleVector(
                    Format.avx512Type, base: weights.base, rowByteCount: rowBytes, rows: rows,
                    columns: columns, input: input, halves: halves, output: output)
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

    #if arch(x86_64)
    /// Batches up to this size of a block type decode in registers on AVX-512 CPUs
    /// (``runFewVectors(_:pool:)``); larger ones go through decoded tiles.
    static let fewVectorLimit = 8

    /// Whether this product takes ``runFewVectors(_:pool:)``.
    var decodesInRegisters: Bool { CPUFeatures.avx512 && batch <= Self.fewVectorLimit }

    /// A small batch times a block type on AVX-512 CPUs: each pair of rows decoded in registers
    /// once per four vectors (the same values and order as `run`, so the same bits).
    func runFewVectors<Format: BlockDecoder>(_ format: Format.Type, pool: WorkerPool) {
        let halves = HalfTable.values
        parallelForRows(pool) { rows in
            AVX512Kernels.multiplyFewVectors(
                Format.avx512Type, base: weights.base, rowByteCount: weights.rowByteCount, rows: rows,
                columns: weights.columnCount, input: input, inputStride: inputStride, batch: batch, halves: halves,
                output: output, outputStride: outputStride)
        }
    }
    #endif

    /// Runs `body` on ranges of rows (whole groups of 16) that together cover the matrix, spread
    /// over `pool`'s threads.
    @inline(__always)
    private func parallelForRows(_ pool: WorkerPool, _ body: (Range<Int>) -> Void) {
        let groupRows = 16
        let rowCount = weights.rowCount
        pool.parallelFor((rowCount + groupRows - 1) / groupRows) { groups in
            body(groups.lowerBound &* groupRows ..< min(groups.upperBound &* groupRows, rowCount))
        }
    }

    /// Multiplies `rowCount` float rows at `tile` (`rowStride` bytes apart), which are weight rows
    /// `firstRow...`, with every input vector.
    @inline(__always)
    func multiplyTile(_ tile: UnsafeRawPointer, rowStride: Int, firstRow: Int, rowCount: Int) {
        let columns = weights.columnCount
        var vector = 0
        while vector &+ 2 <= batch {
            let x0 = input + vector &* inputStride
            let x1 = x0 + inputStride
            let y0 = output + vector &* outputStride + firstRow
            let y1 = y0 + outputStride
            var row = 0
            while row &+ 2 <= rowCount {
                let w0 = tile + row &* rowStride
                let (d00, d01, d10, d11) = dotTwoByTwo(w0, w0 + rowStride, x0, x1, count: columns)
                y0[row] = d00
                y1[row] = d01
                y0[row &+ 1] = d10
                y1[row &+ 1] = d11
                row &+= 2
            }
            if row < rowCount {
                let w = tile + row &* rowStride
                y0[row] = dotOneByOne(w, x0, count: columns)
                y1[row] = dotOneByOne(w, x1, count: columns)
            }
            vector &+= 2
        }
        if vector < batch {
            let x = input + vector &* inputStride
            let y = output + vector &* outputStride + firstRow
            var row = 0
            while row &+ 4 <= rowCount {
                (y[row], y[row &+ 1], y[row &+ 2], y[row &+ 3]) =
                    dotFourByOne(tile + row &* rowStride, rowStride: rowStride, x, count: columns)
                row &+= 4
            }
            while row &+ 2 <= rowCount {
                let w0 = tile + row &* rowStride
                (y[row], y[row &+ 1]) = dotTwoByOne(w0, w0 + rowStride, x, count: columns)
                row &+= 2
            }
            if row < rowCount {
                y[row] = dotOneByOne(tile + row &* rowStride, x, count: columns)
            }
        }
    }
}
