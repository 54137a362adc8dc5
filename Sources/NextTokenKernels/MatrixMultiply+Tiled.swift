// The batched path: blocks of rows ("tiles") are decoded once into per-thread scratch as floats
// and multiplied with every vector of the batch, two rows by two vectors at a time.

extension Problem {
    /// Rows per tile: as many as fit about 32 KiB of decoded floats, even, between 2 and 32.
    var tileRowCount: Int {
        let fitting = 32 * 1024 / max(weights.columnCount &* 4, 1)
        return max(2, min(32, fitting & ~1))
    }

    @inline(__always)
    func runTiled<Format: RowFormat>(_ format: Format.Type, pool: WorkerPool) {
        let tileRows = tileRowCount
        let tileCount = (weights.rowCount + tileRows - 1) / tileRows
        let columns = weights.columnCount
        let decodes = Format.self != F32Format.self
        let scratchByteCount = decodes ? tileRows * columns * 4 : 0
        pool.parallelFor(tileCount, scratchByteCount: scratchByteCount) { tiles, scratch in
            let decoded = scratch.bindMemory(to: Float.self, capacity: tileRows &* columns)
            for tile in tiles {
                let firstRow = tile &* tileRows
                let rowCount = min(tileRows, weights.rowCount &- firstRow)
                let encoded = weights.base + firstRow &* weights.rowByteCount
                if decodes {
                    for row in 0..<rowCount {
                        Format.dequantize(encoded + row &* weights.rowByteCount,
                                          into: decoded + row &* columns, count: columns)
                    }
                    multiplyTile(UnsafeRawPointer(decoded), rowStride: columns &* 4,
                                 firstRow: firstRow, rowCount: rowCount)
                } else {
                    multiplyTile(encoded, rowStride: weights.rowByteCount, firstRow: firstRow, rowCount: rowCount)
                }
            }
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
                y0[row] = F32Format.dot(w, x0, count: columns)
                y1[row] = F32Format.dot(w, x1, count: columns)
            }
            vector &+= 2
        }
        if vector < batch {
            let x = input + vector &* inputStride
            let y = output + vector &* outputStride + firstRow
            var row = 0
            while row &+ 2 <= rowCount {
                let w0 = tile + row &* rowStride
                (y[row], y[row &+ 1]) = F32Format.dot(w0, w0 + rowStride, x, count: columns)
                row &+= 2
            }
            if row < rowCount {
                y[row] = F32Format.dot(tile + row &* rowStride, x, count: columns)
            }
        }
    }
}

/// Dot products of float rows `w0`, `w1` with vectors `x0`, `x1`: (w0·x0, w0·x1, w1·x0, w1·x1),
/// each bit-identical to `F32Format.dot`.
@inline(__always)
func dotTwoByTwo(
    _ w0: UnsafeRawPointer, _ w1: UnsafeRawPointer,
    _ x0: UnsafePointer<Float>, _ x1: UnsafePointer<Float>, count: Int
) -> (Float, Float, Float, Float) {
    var a00 = DotAccumulator()
    var a01 = DotAccumulator()
    var a10 = DotAccumulator()
    var a11 = DotAccumulator()
    let input0 = UnsafeRawPointer(x0)
    let input1 = UnsafeRawPointer(x1)
    let groupCount = count &>> 4
    for group in 0..<groupCount {
        let offset = group &* 64
        let weights0 = loadGroup(w0, offset)
        let weights1 = loadGroup(w1, offset)
        let vector0 = loadGroup(input0, offset)
        let vector1 = loadGroup(input1, offset)
        a00.add(weights0, vector0)
        a01.add(weights0, vector1)
        a10.add(weights1, vector0)
        a11.add(weights1, vector1)
    }
    for index in (groupCount &<< 4)..<count {
        let weight0 = w0.loadUnaligned(fromByteOffset: index &* 4, as: Float.self)
        let weight1 = w1.loadUnaligned(fromByteOffset: index &* 4, as: Float.self)
        a00.add(weight0, x0[index])
        a01.add(weight0, x1[index])
        a10.add(weight1, x0[index])
        a11.add(weight1, x1[index])
    }
    return (a00.total, a01.total, a10.total, a11.total)
}
