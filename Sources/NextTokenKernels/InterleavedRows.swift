/// A weight matrix of an ``IntegerBlockFormat`` repacked once, at load time, for the integer
/// products: rows in groups of 8, each 32-element sub-block of a group stored as the 8 rows'
/// factors followed by their quants interleaved, so that one 32-byte vector holds 4 consecutive
/// quants of each of the 8 rows (the layout of ik_llama.cpp's `_R8` types, built here for every
/// integer type). One `vpmaddubsw` then multiplies 8 rows at once by 4 broadcast activations,
/// and a group's 8 results accumulate in the lanes of one register: no horizontal sums.
///
/// Quant vector `j` (0..<8) of a sub-block holds elements `4j ..< 4j + 4` of row `r` in bytes
/// `4r ..< 4r + 4`. With 4-bit quants, vectors `j` and `j + 4` share 32 bytes: `j` in the low
/// nibbles, `j + 4` in the high ones. Rows past the last one (to a multiple of 8) are zeros.
public final class InterleavedRows: @unchecked Sendable {
    /// Rows of the matrix.
    public let rowCount: Int
    /// Elements per row.
    public let columnCount: Int
    /// Bytes of the repacked matrix.
    public let byteCount: Int
    let layout: InterleavedLayout
    /// Bytes of one group of 8 rows.
    let groupByteCount: Int
    let bytes: UnsafeMutableRawPointer

    /// Repacks `matrix` if its type has integer products; `nil` otherwise.
    convenience init?(_ matrix: WeightMatrix) {
        switch matrix.format {
        case .q8_0: self.init(Q8_0Format.self, matrix)
        case .q4_0: self.init(Q4_0Format.self, matrix)
        case .q4_1: self.init(Q4_1Format.self, matrix)
        case .q5_0: self.init(Q5_0Format.self, matrix)
        case .q5_1: self.init(Q5_1Format.self, matrix)
        case .q4_K: self.init(Q4_KFormat.self, matrix)
        case .q5_K: self.init(Q5_KFormat.self, matrix)
        case .q6_K: self.init(Q6_KFormat.self, matrix)
        case .f32, .f16, .bf16: return nil
        }
    }

    private init<Format: IntegerBlockFormat>(_ format: Format.Type, _ matrix: WeightMatrix) {
        let layout = Format.layout
        rowCount = matrix.rowCount
        columnCount = matrix.columnCount
        self.layout = layout
        let subBlocks = matrix.columnCount / 32
        groupByteCount = subBlocks * layout.blockByteCount
        let groups = (matrix.rowCount + 7) / 8
        byteCount = groups * groupByteCount
        bytes = .allocate(byteCount: max(byteCount, 1), alignment: 64)
        bytes.initializeMemory(as: UInt8.self, repeating: 0, count: byteCount)
        for row in 0 ..< matrix.rowCount {
            let encoded = matrix.rowAddress(row)
            let lane = row % 8
            for subBlock in 0 ..< subBlocks {
                let block = encoded + (subBlock / Format.subBlockCount) * Format.blockByteCount
                let within = subBlock % Format.subBlockCount
                let packed = bytes + (row / 8) * groupByteCount + subBlock * layout.blockByteCount
                for index in 0 ..< layout.factorCount {
                    let value = Format.factor(block, within, index)
                    let offset = (index * 8 + lane) * layout.factorByteCount
                    if layout.halfFactors {
                        packed.storeBytes(of: UInt16(fp16From: value), toByteOffset: offset, as: UInt16.self)
                    } else {
                        packed.storeBytes(of: value, toByteOffset: offset, as: Float.self)
                    }
                }
                let quants = packed + 8 * layout.factorCount * layout.factorByteCount
                for element in 0 ..< 32 {
                    let quant = Format.quant(block, within, element)
                    let (vector, byte) = (element / 4, 4 * lane + element % 4)
                    if layout.nibbles {
                        let address = quants + 32 * (vector % 4) + byte
                        let shifted = vector < 4 ? quant & 0x0F : quant << 4
                        address.storeBytes(of: address.load(as: UInt8.self) | shifted, as: UInt8.self)
                    } else {
                        quants.storeBytes(of: quant, toByteOffset: 32 * vector + byte, as: UInt8.self)
                    }
                }
            }
        }
    }

    deinit { bytes.deallocate() }

    /// The first byte of sub-block `subBlock` of the group holding row `8 · group`.
    @inline(__always)
    func block(group: Int, subBlock: Int) -> UnsafeRawPointer {
        let offset: Int = group &* groupByteCount &+ subBlock &* layout.blockByteCount
        return UnsafeRawPointer(bytes + offset)
    }

    /// Factor `index` of row `lane` of a repacked sub-block.
    @inline(__always)
    func factor(_ block: UnsafeRawPointer, _ index: Int, lane: Int) -> Float {
        let offset = (index &* 8 &+ lane) &* layout.factorByteCount
        return layout.halfFactors
            ? Float(fp16Bits: block.loadUnaligned(fromByteOffset: offset, as: UInt16.self))
            : block.loadUnaligned(fromByteOffset: offset, as: Float.self)
    }

    /// The stored quant of element `element` of row `lane` of a repacked sub-block.
    @inline(__always)
    func quant(_ block: UnsafeRawPointer, _ element: Int, lane: Int) -> UInt8 {
        let quants = block + 8 &* layout.factorCount &* layout.factorByteCount
        let (vector, byte) = (element &>> 2, 4 &* lane &+ element & 3)
        guard layout.nibbles else { return quants.load(fromByteOffset: 32 &* vector &+ byte, as: UInt8.self) }
        let packed = quants.load(fromByteOffset: 32 &* (vector & 3) &+ byte, as: UInt8.self)
        return vector < 4 ? packed & 0x0F : packed &>> 4
    }

    /// Element `element` of row `row` as the integer products use it:
    /// `scale · (quant − bias) + minimum`, each step rounded to Float (for tests).
    package func value(row: Int, element: Int) -> Float {
        precondition(row >= 0 && row < rowCount && element >= 0 && element < columnCount)
        let block = self.block(group: row / 8, subBlock: element / 32)
        let lane = row % 8
        let stored = quant(block, element % 32, lane: lane)
        let integer = layout.isSigned ? Int32(Int8(bitPattern: stored)) : Int32(stored) - layout.bias
        let scale = factor(block, (element % 32) / (32 / layout.scaleGroups), lane: lane)
        let product = scale * Float(integer)
        return layout.hasMinimum ? product + factor(block, layout.scaleGroups, lane: lane) : product
    }
}
