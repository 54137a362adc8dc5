/// The operands of an integer matrix product: block-quantized weights times
/// ``QuantizedActivations``.
struct IntegerProblem {
    let weights: WeightMatrix
    let activations: QuantizedActivations
    let output: UnsafeMutablePointer<Float>
    let outputStride: Int

    /// Bytes of one packed weight row: quants, then scales and minimums in lane order.
    var packedRowByteCount: Int {
        let layout = PackedBlocks(columnCount: weights.columnCount)
        return layout.byteCount &+ 8 &* layout.laneCount
    }

    /// Rows per tile: as many packed rows as fit in 32 KiB (L1), between 1 and 64.
    var tileRowCount: Int { max(1, min(64, 32 * 1024 / packedRowByteCount)) }

    /// Packs each tile of weight rows into per-thread scratch once, then takes the dot product of
    /// every packed row with every activation row. Each output element is one
    /// ``IntegerRowFormat/dot(packed:scales:minimums:_:groupCount:)``, whatever the batch or threads.
    @inline(__always)
    func run<Format: IntegerRowFormat>(_ format: Format.Type, pool: WorkerPool) {
        let layout = PackedBlocks(columnCount: weights.columnCount)
        let rowBytes = packedRowByteCount
        let tileRows = tileRowCount
        let tileCount = (weights.rowCount + tileRows - 1) / tileRows
        let batch = activations.rowCount
        let halves = HalfTable.values
        pool.parallelFor(tileCount, scratchByteCount: tileRows * rowBytes) { tiles, scratch in
            for tile in tiles {
                let firstRow = tile &* tileRows
                let rowCount = min(tileRows, weights.rowCount &- firstRow)
                for row in 0 ..< rowCount {
                    let packed = scratch + row &* rowBytes
                    let scales = (packed + layout.byteCount).assumingMemoryBound(to: Float.self)
                    Format.pack(weights.base + (firstRow &+ row) &* weights.rowByteCount, layout: layout,
                                into: packed, scales: scales, minimums: scales + layout.laneCount, halves: halves)
                }
                for vector in 0 ..< batch {
                    let input = activations.row(vector)
                    let y = output + vector &* outputStride + firstRow
                    for row in 0 ..< rowCount {
                        let packed = UnsafeRawPointer(scratch + row &* rowBytes)
                        let scales = (packed + layout.byteCount).assumingMemoryBound(to: Float.self)
                        y[row] = Format.dot(packed: packed, scales: scales, minimums: scales + layout.laneCount,
                                            input, groupCount: layout.groupCount)
                    }
                }
            }
        }
    }
}
