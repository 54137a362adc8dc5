// Row kernels for block-quantized weights times quantized activations (`dotQ4_1Q8` and
// siblings), with scalar references. Both equal the corresponding ``MatrixMultiply`` element
// bit for bit: integer block sums are exact, and the Float steps are the same operations in the
// same order (`IntegerRowFormat.dot`).

extension RowKernels {
    /// The dot product of a q8_0 row with row `index` of `activations`.
    public static func dotQ8_0Q8(_ row: UnsafeRawPointer, _ activations: QuantizedActivations, row index: Int) -> Float {
        integerDot(Q8_0Format.self, row, activations, index)
    }

    /// The dot product of a q4_0 row with row `index` of `activations`.
    public static func dotQ4_0Q8(_ row: UnsafeRawPointer, _ activations: QuantizedActivations, row index: Int) -> Float {
        integerDot(Q4_0Format.self, row, activations, index)
    }

    /// The dot product of a q4_1 row with row `index` of `activations`.
    public static func dotQ4_1Q8(_ row: UnsafeRawPointer, _ activations: QuantizedActivations, row index: Int) -> Float {
        integerDot(Q4_1Format.self, row, activations, index)
    }

    /// Reference for ``dotQ8_0Q8(_:_:row:)``.
    public static func dotQ8_0Q8Reference(
        _ row: UnsafeRawPointer, _ activations: QuantizedActivations, row index: Int
    ) -> Float {
        integerDotReference(Q8_0Format.self, row, activations, index)
    }

    /// Reference for ``dotQ4_0Q8(_:_:row:)``.
    public static func dotQ4_0Q8Reference(
        _ row: UnsafeRawPointer, _ activations: QuantizedActivations, row index: Int
    ) -> Float {
        integerDotReference(Q4_0Format.self, row, activations, index)
    }

    /// Reference for ``dotQ4_1Q8(_:_:row:)``.
    public static func dotQ4_1Q8Reference(
        _ row: UnsafeRawPointer, _ activations: QuantizedActivations, row index: Int
    ) -> Float {
        integerDotReference(Q4_1Format.self, row, activations, index)
    }

    /// Packs the row into a temporary buffer and runs the matrix kernel's dot product.
    private static func integerDot<Format: IntegerRowFormat>(
        _ format: Format.Type, _ row: UnsafeRawPointer, _ activations: QuantizedActivations, _ index: Int
    ) -> Float {
        precondition(activations.isQuantized && index >= 0 && index < activations.rowCount, "no such quantized row")
        let layout = PackedBlocks(columnCount: activations.columnCount)
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: layout.byteCount + 8 * layout.laneCount, alignment: 64)
        defer { buffer.deallocate() }
        let scales = (buffer + layout.byteCount).bindMemory(to: Float.self, capacity: 2 * layout.laneCount)
        Format.pack(row, layout: layout, into: buffer, scales: scales, minimums: scales + layout.laneCount,
                    halves: HalfTable.values)
        return Format.dot(packed: UnsafeRawPointer(buffer), scales: scales, minimums: scales + layout.laneCount,
                          activations.row(index), groupCount: layout.groupCount)
    }

    /// One element at a time: each block's sum `Σ(w − offset)·q` in Int32, then the Float steps of
    /// `IntegerRowFormat.dot` lane by lane with scalar fused multiply-adds.
    private static func integerDotReference<Format: IntegerRowFormat>(
        _ format: Format.Type, _ row: UnsafeRawPointer, _ activations: QuantizedActivations, _ index: Int
    ) -> Float {
        precondition(activations.isQuantized && index >= 0 && index < activations.rowCount, "no such quantized row")
        let layout = PackedBlocks(columnCount: activations.columnCount)
        let input = activations.row(index)
        var lanes = [Float](repeating: 0, count: 8)
        for lane in 0 ..< layout.laneCount {
            let block = layout.block(atLane: lane)
            guard block < layout.blockCount else { continue }
            let encoded = row + block * Format.blockByteCount
            var sum: Int32 = 0
            for element in 0 ..< 32 {
                let offset = layout.byteOffset(block: block, upperHalf: element >= 16) + element % 16
                let q = Int32(input.quants.load(fromByteOffset: offset, as: Int8.self))
                sum += (Format.quant(encoded, at: element) - Format.quantOffset) * q
            }
            let scale = loadScale(encoded, 0) * input.scales[lane]
            lanes[lane % 8] = lanes[lane % 8].addingProduct(Float(sum), scale)
            if Format.hasMinimum {
                lanes[lane % 8] = lanes[lane % 8].addingProduct(Format.minimum(encoded), input.sums[lane])
            }
        }
        let four = (0 ..< 4).map { lanes[$0] + lanes[$0 + 4] }
        return (four[0] + four[2]) + (four[1] + four[3])
    }
}
