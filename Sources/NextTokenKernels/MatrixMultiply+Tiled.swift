#if arch(x86_64)
import NextTokenKernelsAVX512
#endif

/// The tiles of a product (`tileRows` weight rows each) as parallel work: each thread decodes its
/// tiles into its scratch and multiplies them with every vector.
struct TiledProduct<Format: RowFormat>: ParallelWork {
    let problem: Problem
    let tileRows: Int

    var tileCount: Int { (problem.weights.rowCount + tileRows - 1) / tileRows }
    /// Room for one decoded tile; floats need no decoding.
    var scratchByteCount: Int { Format.self == F32Format.self ? 0 : tileRows * problem.weights.columnCount * 4 }

    func run(_ tiles: Range<Int>, scratch: UnsafeMutableRawPointer) {
        let weights = problem.weights
        let columns = weights.columnCount
        let halves = HalfTable.values
        let decoded = scratch.bindMemory(to: Float.self, capacity: tileRows &* columns)
        for tile in tiles {
            let firstRow = tile &* tileRows
            let rowCount = min(tileRows, weights.rowCount &- firstRow)
            let encoded = weights.base + firstRow &* weights.rowByteCount
            if Format.self != F32Format.self {
                for row in 0..<rowCount {
                    Format.dequantize(encoded + row &* weights.rowByteCount,
                                      into: decoded + row &* columns, count: columns, halves: halves)
                }
                problem.dispatchTile(UnsafeRawPointer(decoded), rowStride: columns &* 4,
                                     firstRow: firstRow, rowCount: rowCount)
            } else {
                problem.dispatchTile(encoded, rowStride: weights.rowByteCount, firstRow: firstRow, rowCount: rowCount)
            }
        }
    }
}

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
        let work = TiledProduct<Format>(problem: self, tileRows: tileRowCount)
        pool.parallelFor(work.tileCount, scratchByteCount: work.scratchByteCount, work)
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
