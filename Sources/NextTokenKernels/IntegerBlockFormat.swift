/// A block storage type whose products with ``QuantizedActivations`` run on 8-bit integers, as
/// ``InterleavedRows`` repacks it.
///
/// A block holds ``subBlockCount`` sub-blocks of 32 elements. Each sub-block's element `e` has a
/// stored quant `u_e` (a byte: unsigned, or for ``InterleavedLayout/isSigned`` types a signed
/// byte) and the sub-block has factors: one scale per group of `32 / scaleGroups` elements and,
/// for types with a minimum, a minimum, so that element `e` is worth
/// `scale · (u_e − bias) + minimum` (the `bias` of ``InterleavedLayout``; 0 unless noted).
/// These values are exactly the ones the type's `RowFormat` decodes (the tests check it).
protocol IntegerBlockFormat: RowFormat {
    /// Bytes per block.
    static var blockByteCount: Int { get }
    /// 32-element sub-blocks per block.
    static var subBlockCount: Int { get }
    /// How ``InterleavedRows`` stores the type.
    static var layout: InterleavedLayout { get }
    /// The stored quant of element `element` (0..<32) of sub-block `subBlock` of the block at `block`.
    static func quant(_ block: UnsafeRawPointer, _ subBlock: Int, _ element: Int) -> UInt8
    /// Factor `index` of sub-block `subBlock`: the scales of its groups in order, then the minimum.
    static func factor(_ block: UnsafeRawPointer, _ subBlock: Int, _ index: Int) -> Float
}

/// How ``InterleavedRows`` stores an ``IntegerBlockFormat``.
struct InterleavedLayout: Sendable {
    /// Quants of 4 bits (two to a byte) rather than 8.
    var nibbles: Bool
    /// Whether the stored quants are signed bytes (multiplied as `|u| · ±q`, `vpmaddubsw` taking an
    /// unsigned operand).
    var isSigned: Bool
    /// Subtracted from every stored quant: the integer sum is corrected by `bias · Σq`.
    var bias: Int32 = 0
    /// Whether the factors are fp16 values (stored as such, converted exactly); else Float.
    var halfFactors: Bool
    /// Whether sub-blocks have a minimum.
    var hasMinimum: Bool
    /// Scales per 32 elements (1, or 2 for q6_K's 16-element scales).
    var scaleGroups = 1

    /// How many `vpmaddubsw` results (pairs of products, within ±2 · 127 · the largest weight
    /// magnitude) can be added in Int16 before one could leave it: 8 for 4-bit quants, 4 for 5-
    /// and 6-bit ones, 1 for 8-bit ones.
    var pairSumsPerInt16: Int {
        let largest = nibbles ? 15 : (isSigned ? (scaleGroups == 2 ? 32 : 128) : 31)
        return min(8, Int(Int16.max) / (2 * 127 * largest))
    }

    /// Factors per sub-block and row.
    var factorCount: Int { scaleGroups + (hasMinimum ? 1 : 0) }
    /// Bytes of one factor.
    var factorByteCount: Int { halfFactors ? 2 : 4 }
    /// Bytes of the quants of 8 rows of one sub-block.
    var quantByteCount: Int { nibbles ? 128 : 256 }
    /// Bytes of 8 rows of one sub-block: the factors (each for the 8 rows), then the quants.
    var blockByteCount: Int { 8 * factorCount * factorByteCount + quantByteCount }
}

/// The nibble of element `element` of 16 bytes packed as in q4_0 (low nibbles first).
@inline(__always)
func packedNibble(_ bytes: UnsafeRawPointer, _ element: Int) -> UInt8 {
    let byte = bytes.load(fromByteOffset: element & 15, as: UInt8.self)
    return element < 16 ? byte & 0x0F : byte >> 4
}

/// The fifth bit of element `element` of a 5-bit block whose `qh` word is at `byteOffset`, as 16.
@inline(__always)
func fifthBit(_ block: UnsafeRawPointer, _ byteOffset: Int, _ element: Int) -> UInt8 {
    let bits = UInt32(littleEndian: block.loadUnaligned(fromByteOffset: byteOffset, as: UInt32.self))
    return UInt8(truncatingIfNeeded: (bits >> UInt32(element)) & 1) << 4
}

extension Q8_0Format: IntegerBlockFormat {
    static var subBlockCount: Int { 1 }
    static var layout: InterleavedLayout { InterleavedLayout(nibbles: false, isSigned: true, halfFactors: true, hasMinimum: false) }

    static func quant(_ block: UnsafeRawPointer, _ subBlock: Int, _ element: Int) -> UInt8 {
        block.load(fromByteOffset: 2 + element, as: UInt8.self)
    }

    static func factor(_ block: UnsafeRawPointer, _ subBlock: Int, _ index: Int) -> Float { loadScale(block, 0) }
}

extension Q4_0Format: IntegerBlockFormat {
    static var subBlockCount: Int { 1 }
    static var layout: InterleavedLayout {
        InterleavedLayout(nibbles: true, isSigned: false, bias: 8, halfFactors: true, hasMinimum: false)
    }

    static func quant(_ block: UnsafeRawPointer, _ subBlock: Int, _ element: Int) -> UInt8 {
        packedNibble(block + 2, element)
    }

    static func factor(_ block: UnsafeRawPointer, _ subBlock: Int, _ index: Int) -> Float { loadScale(block, 0) }
}

extension Q4_1Format: IntegerBlockFormat {
    static var subBlockCount: Int { 1 }
    static var layout: InterleavedLayout { InterleavedLayout(nibbles: true, isSigned: false, halfFactors: true, hasMinimum: true) }

    static func quant(_ block: UnsafeRawPointer, _ subBlock: Int, _ element: Int) -> UInt8 {
        packedNibble(block + 4, element)
    }

    static func factor(_ block: UnsafeRawPointer, _ subBlock: Int, _ index: Int) -> Float { loadScale(block, 2 * index) }
}

extension Q5_0Format: IntegerBlockFormat {
    static var subBlockCount: Int { 1 }
    static var layout: InterleavedLayout {
        InterleavedLayout(nibbles: false, isSigned: false, bias: 16, halfFactors: true, hasMinimum: false)
    }

    static func quant(_ block: UnsafeRawPointer, _ subBlock: Int, _ element: Int) -> UInt8 {
        packedNibble(block + 6, element) | fifthBit(block, 2, element)
    }

    static func factor(_ block: UnsafeRawPointer, _ subBlock: Int, _ index: Int) -> Float { loadScale(block, 0) }
}

extension Q5_1Format: IntegerBlockFormat {
    static var blockByteCount: Int { 24 }
    static var subBlockCount: Int { 1 }
    static var layout: InterleavedLayout { InterleavedLayout(nibbles: false, isSigned: false, halfFactors: true, hasMinimum: true) }

    static func quant(_ block: UnsafeRawPointer, _ subBlock: Int, _ element: Int) -> UInt8 {
        packedNibble(block + 8, element) | fifthBit(block, 4, element)
    }

    static func factor(_ block: UnsafeRawPointer, _ subBlock: Int, _ index: Int) -> Float { loadScale(block, 2 * index) }
}
