/// The byte and lane layout the integer kernels read: one row of 32-element blocks, in groups
/// of 8 blocks.
///
/// Group `g` holds blocks `8g ..< 8g + 8` (blocks past the end of the row are zeros) in 256 bytes:
/// for each pair `k` in 0..<4 of blocks `a = 8g + 2k` and `b = a + 1`, 64 bytes: elements 0..<16
/// of `a`, elements 0..<16 of `b`, elements 16..<32 of `a`, elements 16..<32 of `b`. So a 32-byte
/// vector holds one half of two blocks, one per 16-byte lane, and reducing four such pair sums
/// with pairwise horizontal adds (`GroupSums`) leaves block `8g + laneBlocks[l]` in lane `l`.
/// Per-block values (scales, sums) are stored in that lane order, 8 per group.
struct PackedBlocks {
    /// The block whose sum lands in each lane of a group.
    static let laneBlocks: SIMD8<Int32> = [0, 2, 4, 6, 1, 3, 5, 7]

    /// 32-element blocks per row.
    let blockCount: Int
    /// Groups of 8 blocks per row (the last one padded).
    let groupCount: Int

    init(columnCount: Int) {
        blockCount = columnCount &>> 5
        groupCount = (blockCount &+ 7) &>> 3
    }

    /// Packed bytes per row.
    var byteCount: Int { groupCount &<< 8 }
    /// Per-block values per row: 8 per group.
    var laneCount: Int { groupCount &<< 3 }

    /// The block stored in lane `lane` (counting over the whole row).
    @inline(__always)
    func block(atLane lane: Int) -> Int {
        (lane & ~7) | Int(Self.laneBlocks[lane & 7])
    }

    /// Where the 16 elements of `block`'s lower (elements 0..<16) or upper half start.
    @inline(__always)
    func byteOffset(block: Int, upperHalf: Bool) -> Int {
        let pair = block &>> 1
        return (pair &<< 6) | ((block & 1) &<< 4) | (upperHalf ? 32 : 0)
    }
}
