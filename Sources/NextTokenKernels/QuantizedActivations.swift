/// A batch of Float activation rows quantized to 8-bit blocks, the input of the integer matrix
/// kernels (q4_0, q4_1 and q8_0 weights), together with the Float rows themselves (for weights
/// of the other types).
///
/// Each row of `columnCount` elements is cut into blocks of 32 (`columnCount` must be a multiple
/// of 32 for the integer kernels to apply). Block `b` stores `q_i = round(x_i / d)` with
/// `d = max|x_i| / 127` (rounded to nearest, ties to even, so `q_i` lies in −127…127; a block of
/// zeros or holding an infinity gets `d = 0` and zeros; NaN elements quantize to 0), its scale `d`, the
/// integer sum `Σq_i`, and `d · Σq_i` rounded to Float. Quantizing is per row, so a row's
/// quantization never depends on the rest of the batch.
///
/// Storage follows ``PackedBlocks``: quants in the packed byte order, per-block values in lane
/// order. Buffers grow on demand and are kept, so steady-state use allocates nothing. Not
/// thread-safe: one owner quantizes, then any number of threads read.
public final class QuantizedActivations: @unchecked Sendable {
    /// Rows quantized by the last ``quantize(_:stride:rows:columns:pool:)``.
    public private(set) var rowCount = 0
    /// Elements per row.
    public private(set) var columnCount = 0
    /// The Float rows given to the last quantization (not owned).
    public private(set) var floats: UnsafePointer<Float>?
    /// Floats between the starts of consecutive Float rows.
    public private(set) var floatStride = 0

    private var quants: UnsafeMutableRawPointer
    private var scales: UnsafeMutablePointer<Float>
    private var sums: UnsafeMutablePointer<Float>
    private var integerSums: UnsafeMutablePointer<Int32>
    private var quantCapacity = 0
    private var blockCapacity = 0

    /// Whether the rows were quantized (`columnCount` is a multiple of 32).
    public private(set) var isQuantized = false

    /// An empty batch.
    public init() {
        quants = .allocate(byteCount: 64, alignment: 64)
        scales = .allocate(capacity: 8)
        sums = .allocate(capacity: 8)
        integerSums = .allocate(capacity: 8)
    }

    deinit {
        quants.deallocate()
        scales.deallocate()
        sums.deallocate()
        integerSums.deallocate()
    }

    /// Quantizes `rows` rows of `columns` floats, `stride` floats apart, spreading large batches
    /// over `pool`. The Float rows must stay valid while the batch is used.
    public func quantize(
        _ input: UnsafePointer<Float>, stride: Int, rows: Int, columns: Int, pool: WorkerPool? = nil
    ) {
        precondition(rows >= 0 && columns >= 0 && (rows <= 1 || stride >= columns), "bad activation shape")
        rowCount = rows
        columnCount = columns
        floats = input
        floatStride = stride
        isQuantized = columns > 0 && columns % 32 == 0
        guard isQuantized, rows > 0 else { return }
        let layout = PackedBlocks(columnCount: columns)
        reserve(quantBytes: rows &* layout.byteCount, blocks: rows &* layout.laneCount)
        let work = { (range: Range<Int>) in
            for row in range { self.quantizeRow(input + row &* stride, row: row, layout: layout) }
        }
        if let pool, rows >= 8 {
            pool.parallelFor(rows, work)
        } else {
            work(0 ..< rows)
        }
    }

    /// Row `row` of the last quantization as the integer kernels see it: element `i` of block `b`
    /// is `q_i · d_b` (computed in Double), for reference implementations.
    package func dequantizedRow(_ row: Int) -> [Double] {
        precondition(isQuantized && row >= 0 && row < rowCount, "no such quantized row")
        let layout = PackedBlocks(columnCount: columnCount)
        let quantized = self.row(row)
        var result = [Double](repeating: 0, count: columnCount)
        for lane in 0 ..< layout.laneCount where layout.block(atLane: lane) < layout.blockCount {
            let block = layout.block(atLane: lane)
            for element in 0 ..< 32 {
                let offset = layout.byteOffset(block: block, upperHalf: element >= 16) + element % 16
                let q = quantized.quants.load(fromByteOffset: offset, as: Int8.self)
                result[block * 32 + element] = Double(q) * Double(quantized.scales[lane])
            }
        }
        return result
    }

    /// Row `row` of the last quantization.
    func row(_ row: Int) -> QuantizedRow {
        let layout = PackedBlocks(columnCount: columnCount)
        return QuantizedRow(
            quants: UnsafeRawPointer(quants + row &* layout.byteCount),
            scales: scales + row &* layout.laneCount,
            sums: sums + row &* layout.laneCount,
            integerSums: integerSums + row &* layout.laneCount)
    }

    private func reserve(quantBytes: Int, blocks: Int) {
        if quantBytes > quantCapacity {
            quants.deallocate()
            quants = .allocate(byteCount: quantBytes, alignment: 64)
            quantCapacity = quantBytes
        }
        if blocks > blockCapacity {
            scales.deallocate()
            sums.deallocate()
            integerSums.deallocate()
            scales = .allocate(capacity: blocks)
            sums = .allocate(capacity: blocks)
            integerSums = .allocate(capacity: blocks)
            blockCapacity = blocks
        }
    }

    private func quantizeRow(_ x: UnsafePointer<Float>, row: Int, layout: PackedBlocks) {
        let bytes = quants + row &* layout.byteCount
        let base = row &* layout.laneCount
        for lane in 0 ..< layout.laneCount {
            let block = layout.block(atLane: lane)
            let lower = bytes + layout.byteOffset(block: block, upperHalf: false)
            let upper = bytes + layout.byteOffset(block: block, upperHalf: true)
            var scale: Float = 0
            var total: Int32 = 0
            if block < layout.blockCount {
                (scale, total) = BlockQuantizer.quantize(x + block &* 32, lower: lower, upper: upper)
            } else {
                // Blocks past the end of the row (to the next multiple of 8) read as zeros.
                lower.initializeMemory(as: UInt8.self, repeating: 0, count: 16)
                upper.initializeMemory(as: UInt8.self, repeating: 0, count: 16)
            }
            scales[base &+ lane] = scale
            sums[base &+ lane] = scale * Float(total)
            integerSums[base &+ lane] = total
        }
    }
}

/// One quantized activation row, as the integer kernels read it.
struct QuantizedRow {
    /// The quants in ``PackedBlocks`` byte order.
    let quants: UnsafeRawPointer
    /// `d` of each block, in lane order.
    let scales: UnsafePointer<Float>
    /// `d · Σq` of each block, in lane order.
    let sums: UnsafePointer<Float>
    /// `Σq` of each block, in lane order.
    let integerSums: UnsafePointer<Int32>
}
