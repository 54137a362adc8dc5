/// A block storage type whose dot products with ``QuantizedActivations`` run on integers: each
/// block's weight quants times the activation quants, summed exactly in Int32, then scaled.
///
/// With weight block scale `d`, minimum `m` (0 unless ``hasMinimum``), quants `w_i` and activation
/// block scale `d'`, quants `q_i`, the block's contribution is
/// `d·d'·Σ(w_i − quantOffset)·q_i + m·(d'·Σq_i)`.
protocol IntegerRowFormat: RowFormat {
    /// Bytes per 32-element block.
    static var blockByteCount: Int { get }
    /// Whether the stored quants are signed bytes (else 0…15).
    static var signedQuants: Bool { get }
    /// Subtracted from every stored quant (8 for q4_0).
    static var quantOffset: Int32 { get }
    /// Whether blocks carry a minimum (q4_1).
    static var hasMinimum: Bool { get }
    /// The stored quants of the block at `block`, elements 0..<16 and 16..<32, and its scale
    /// and minimum (0 without one), scales looked up in `halves` (``HalfTable/values``).
    static func unpack(_ block: UnsafeRawPointer, halves: UnsafePointer<Float>)
        -> (lower: SIMD16<UInt8>, upper: SIMD16<UInt8>, scale: Float, minimum: Float)
    /// The stored quant of element `index` (0..<32) of the block at `block`, one at a time (for
    /// the reference).
    static func quant(_ block: UnsafeRawPointer, at index: Int) -> Int32
    /// The minimum of the block at `block` (0 without one), for the reference.
    static func minimum(_ block: UnsafeRawPointer) -> Float
}

extension IntegerRowFormat {
    /// Writes `columns / 32` blocks of `row` in ``PackedBlocks`` order to `packed`, and their
    /// scales and minimums in lane order to `scales` and `minimums` (zeros for padding blocks).
    @inline(__always)
    static func pack(
        _ row: UnsafeRawPointer, layout: PackedBlocks, into packed: UnsafeMutableRawPointer,
        scales: UnsafeMutablePointer<Float>, minimums: UnsafeMutablePointer<Float>, halves: UnsafePointer<Float>
    ) {
        for lane in 0 ..< layout.laneCount {
            let block = layout.block(atLane: lane)
            if block < layout.blockCount {
                let (lower, upper, scale, minimum) = unpack(row + block &* blockByteCount, halves: halves)
                packed.storeBytes(of: lower, toByteOffset: layout.byteOffset(block: block, upperHalf: false),
                                  as: SIMD16<UInt8>.self)
                packed.storeBytes(of: upper, toByteOffset: layout.byteOffset(block: block, upperHalf: true),
                                  as: SIMD16<UInt8>.self)
                scales[lane] = scale
                minimums[lane] = minimum
            } else {
                packed.storeBytes(of: SIMD16<UInt8>(), toByteOffset: layout.byteOffset(block: block, upperHalf: false),
                                  as: SIMD16<UInt8>.self)
                packed.storeBytes(of: SIMD16<UInt8>(), toByteOffset: layout.byteOffset(block: block, upperHalf: true),
                                  as: SIMD16<UInt8>.self)
                scales[lane] = 0
                minimums[lane] = 0
            }
        }
    }

    /// The dot product of a packed weight row with a quantized activation row, in the order
    /// every integer kernel uses: 8 Float lanes, lane `l` accumulating (with fused multiply-adds)
    /// the blocks stored in lane `l` of each group in increasing group order, first
    /// `Float(Σ(w−offset)·q) × (d·d')`, then (with a minimum) `m × d'Σq`; the lanes are then folded
    /// in halves (`l + 4`, then `l + 2`, then `l + 1`).
    @inline(__always)
    static func dot(
        packed: UnsafeRawPointer, scales: UnsafePointer<Float>, minimums: UnsafePointer<Float>,
        _ input: QuantizedRow, groupCount: Int
    ) -> Float {
        var lanes = SIMD8<Float>()
        for group in 0 ..< groupCount {
            let bytes = group &<< 8
            var sums = signedQuants
                ? GroupSums.signed(packed + bytes, input.quants + bytes)
                : GroupSums.unsigned(packed + bytes, input.quants + bytes)
            let lane = group &<< 3
            if quantOffset != 0 { sums &-= loadLanes(input.integerSums + lane) &* quantOffset }
            let scale = loadLanes(scales + lane) * loadLanes(input.scales + lane)
            lanes = lanes.addingProduct(IntegerConversion.floats(sums), scale)
            if hasMinimum { lanes = lanes.addingProduct(loadLanes(minimums + lane), loadLanes(input.sums + lane)) }
        }
        let four = lanes.lowHalf + lanes.highHalf
        let two = four.lowHalf + four.highHalf
        return two[0] + two[1]
    }
}

@inline(__always)
func loadLanes<T: SIMDScalar>(_ pointer: UnsafePointer<T>) -> SIMD8<T> {
    UnsafeRawPointer(pointer).loadUnaligned(as: SIMD8<T>.self)
}

extension Q8_0Format: IntegerRowFormat {
    static var blockByteCount: Int { 34 }
    static var signedQuants: Bool { true }
    static var quantOffset: Int32 { 0 }
    static var hasMinimum: Bool { false }

    @inline(__always)
    static func unpack(_ block: UnsafeRawPointer, halves: UnsafePointer<Float>)
        -> (lower: SIMD16<UInt8>, upper: SIMD16<UInt8>, scale: Float, minimum: Float) {
        (block.loadUnaligned(fromByteOffset: 2, as: SIMD16<UInt8>.self),
         block.loadUnaligned(fromByteOffset: 18, as: SIMD16<UInt8>.self), loadScale(block, 0, halves), 0)
    }

    static func quant(_ block: UnsafeRawPointer, at index: Int) -> Int32 {
        Int32(block.load(fromByteOffset: 2 + index, as: Int8.self))
    }

    static func minimum(_ block: UnsafeRawPointer) -> Float { 0 }
}

extension Q4_0Format: IntegerRowFormat {
    static var blockByteCount: Int { 18 }
    static var signedQuants: Bool { false }
    static var quantOffset: Int32 { 8 }
    static var hasMinimum: Bool { false }

    @inline(__always)
    static func unpack(_ block: UnsafeRawPointer, halves: UnsafePointer<Float>)
        -> (lower: SIMD16<UInt8>, upper: SIMD16<UInt8>, scale: Float, minimum: Float) {
        let nibbles = block.loadUnaligned(fromByteOffset: 2, as: SIMD16<UInt8>.self)
        return (nibbles & 0x0F, nibbles &>> 4, loadScale(block, 0, halves), 0)
    }

    static func quant(_ block: UnsafeRawPointer, at index: Int) -> Int32 {
        let byte = block.load(fromByteOffset: 2 + index % 16, as: UInt8.self)
        return Int32(index < 16 ? byte & 0x0F : byte >> 4)
    }

    static func minimum(_ block: UnsafeRawPointer) -> Float { 0 }
}

extension Q4_1Format: IntegerRowFormat {
    static var blockByteCount: Int { 20 }
    static var signedQuants: Bool { false }
    static var quantOffset: Int32 { 0 }
    static var hasMinimum: Bool { true }

    @inline(__always)
    static func unpack(_ block: UnsafeRawPointer, halves: UnsafePointer<Float>)
        -> (lower: SIMD16<UInt8>, upper: SIMD16<UInt8>, scale: Float, minimum: Float) {
        let nibbles = block.loadUnaligned(fromByteOffset: 4, as: SIMD16<UInt8>.self)
        return (nibbles & 0x0F, nibbles &>> 4, loadScale(block, 0, halves), loadScale(block, 2, halves))
    }

    static func quant(_ block: UnsafeRawPointer, at index: Int) -> Int32 {
        let byte = block.load(fromByteOffset: 4 + index % 16, as: UInt8.self)
        return Int32(index < 16 ? byte & 0x0F : byte >> 4)
    }

    static func minimum(_ block: UnsafeRawPointer) -> Float { loadScale(block, 2) }
}
