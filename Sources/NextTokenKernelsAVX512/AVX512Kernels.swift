#if arch(x86_64)
import _Builtin_intrinsics.intel

/// Entry points of the AVX-512 build of NextTokenKernels' hot loops. Call them only where
/// `AVX512Kernels.isSupported`; each produces exactly the bits of its NextTokenKernels
/// counterpart (named in its comment).
public enum AVX512Kernels {
    /// Multiplies `rowCount` float rows at `tile` (`rowStride` bytes apart, `columns` floats
    /// each) with `batch` vectors, writing `output[v * outputStride + r]`: NextTokenKernels'
    /// `Problem.multiplyTile`.
    public static func multiplyTile(
        _ tile: UnsafeRawPointer, rowStride: Int, rowCount: Int, columns: Int,
        input: UnsafePointer<Float>, inputStride: Int, batch: Int,
        output: UnsafeMutablePointer<Float>, outputStride: Int
    ) {
        var vector = 0
        while vector &+ 2 <= batch {
            let x0 = input + vector &* inputStride
            let x1 = x0 + inputStride
            let y0 = output + vector &* outputStride
            let y1 = y0 + outputStride
            var row = 0
            while row &+ 4 <= rowCount {
                dotFourByTwo(tile + row &* rowStride, rowStride: rowStride, x0, x1, count: columns, y0 + row, y1 + row)
                row &+= 4
            }
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
            let y = output + vector &* outputStride
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

    /// The block types whose rows decode in registers.
    public enum BlockType: Sendable {
        case q8_0, q4_0, q4_1, q5_0
    }

    /// `output[r] = row r · x` for rows `rows` of `type` blocks (`rowByteCount` bytes apart from
    /// `base`, `columns` elements, a multiple of 32), decoding each block in registers, four rows
    /// at a time (then two, then one): NextTokenKernels' `Problem.runSingleVector`. `halves` maps
    /// fp16 bits to Floats.
    public static func multiplySingleVector(
        _ type: BlockType, base: UnsafeRawPointer, rowByteCount: Int, rows: Range<Int>, columns: Int,
        input: UnsafePointer<Float>, halves: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>
    ) {
        let weights = BlockRows(base: base, rowByteCount: rowByteCount, blockCount: columns &>> 5)
        switch type {
        case .q8_0: weights.timesOneVector(Q8_0Decoder.self, rows, input, halves, output)
        case .q4_0: weights.timesOneVector(Q4_0Decoder.self, rows, input, halves, output)
        case .q4_1: weights.timesOneVector(Q4_1Decoder.self, rows, input, halves, output)
        case .q5_0: weights.timesOneVector(Q5_0Decoder.self, rows, input, halves, output)
        }
    }

    /// `output[v * outputStride + r] = row r · input[v * inputStride ...]` for rows `rows` and
    /// vectors `0..<batch`: each pair of rows is decoded once per four vectors, in registers, and
    /// every product has the bits of `multiplySingleVector` (same values, same order).
    public static func multiplyFewVectors(
        _ type: BlockType, base: UnsafeRawPointer, rowByteCount: Int, rows: Range<Int>, columns: Int,
        input: UnsafePointer<Float>, inputStride: Int, batch: Int, halves: UnsafePointer<Float>,
        output: UnsafeMutablePointer<Float>, outputStride: Int
    ) {
        let weights = BlockRows(base: base, rowByteCount: rowByteCount, blockCount: columns &>> 5)
        let vectors = VectorBatch(input: input, inputStride: inputStride, output: output, outputStride: outputStride)
        switch type {
        case .q8_0: weights.timesVectors(Q8_0Decoder.self, rows, vectors, batch, halves)
        case .q4_0: weights.timesVectors(Q4_0Decoder.self, rows, vectors, batch, halves)
        case .q4_1: weights.timesVectors(Q4_1Decoder.self, rows, vectors, batch, halves)
        case .q5_0: weights.timesVectors(Q5_0Decoder.self, rows, vectors, batch, halves)
        }
    }
}

/// One 32-element block decoded into two 16-lane groups, with the arithmetic of the
/// NextTokenKernels row formats.
protocol BlockDecoding {
    static var blockByteCount: Int { get }
    static func decode(_ block: UnsafeRawPointer, _ halves: UnsafePointer<Float>) -> (SIMD16<Float>, SIMD16<Float>)
}

@inline(__always)
private func scale(_ block: UnsafeRawPointer, _ offset: Int, _ halves: UnsafePointer<Float>) -> __m512 {
    _mm512_set1_ps(halves[Int(block.loadUnaligned(fromByteOffset: offset, as: UInt16.self))])
}

/// The 16 bytes at `offset` zero-extended to 16 lanes: lane i holds byte i, so its low nibble is
/// element i and its high nibble element 16 + i of a 4-bit block.
@inline(__always)
private func byteLanes(_ block: UnsafeRawPointer, _ offset: Int) -> __m512i {
    _mm512_cvtepu8_epi32(block.loadUnaligned(fromByteOffset: offset, as: __m128i.self))
}

/// Looks up elements 0..<16 (low nibbles) and 16..<32 (high nibbles) of a 4-bit block in
/// `table`, the 16 values a nibble can decode to (`vpermps` reads only an index's low 4 bits).
@inline(__always)
private func lookUpNibbles(_ lanes: __m512i, in table: __m512) -> (SIMD16<Float>, SIMD16<Float>) {
    (_mm512_permutexvar_ps(lanes, table), _mm512_permutexvar_ps(_mm512_srli_epi32(lanes, 4), table))
}

/// The nibble values 0…15 as floats (computed, not a global: a global's lazy initialisation
/// check would sit in the inner loop).
@inline(__always)
private var nibbleValues: SIMD16<Float> { SIMD16(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15) }

/// q8_0: value = q · d.
enum Q8_0Decoder: BlockDecoding {
    static var blockByteCount: Int { 34 }

    @inline(__always)
    static func decode(_ block: UnsafeRawPointer, _ halves: UnsafePointer<Float>) -> (SIMD16<Float>, SIMD16<Float>) {
        let d = scale(block, 0, halves)
        let lower = _mm512_cvtepi32_ps(_mm512_cvtepi8_epi32(block.loadUnaligned(fromByteOffset: 2, as: __m128i.self)))
        let upper = _mm512_cvtepi32_ps(_mm512_cvtepi8_epi32(block.loadUnaligned(fromByteOffset: 18, as: __m128i.self)))
        return (_mm512_mul_ps(lower, d), _mm512_mul_ps(upper, d))
    }
}

/// q4_0: value = (q − 8) · d, looked up in the block's 16-entry table of those products
/// (q − 8 is exact, so each entry has the bits of the direct computation).
enum Q4_0Decoder: BlockDecoding {
    static var blockByteCount: Int { 18 }

    @inline(__always)
    static func decode(_ block: UnsafeRawPointer, _ halves: UnsafePointer<Float>) -> (SIMD16<Float>, SIMD16<Float>) {
        let table = _mm512_mul_ps(nibbleValues - 8, scale(block, 0, halves))
        return lookUpNibbles(byteLanes(block, 2), in: table)
    }
}

/// q4_1: value = q · d + m with one rounding, looked up in the block's 16-entry table of those
/// values.
enum Q4_1Decoder: BlockDecoding {
    static var blockByteCount: Int { 20 }

    @inline(__always)
    static func decode(_ block: UnsafeRawPointer, _ halves: UnsafePointer<Float>) -> (SIMD16<Float>, SIMD16<Float>) {
        let table = _mm512_fmadd_ps(nibbleValues, scale(block, 0, halves), scale(block, 2, halves))
        return lookUpNibbles(byteLanes(block, 4), in: table)
    }
}
/// q5_0: value = (q − 16) · d for the 5-bit q = nibble + 16 · (bit of `qh`), looked up in two
/// 16-entry tables (q < 16 and q ≥ 16; q − 16 is exact, so each entry has the bits of the direct
/// computation): `vpermt2ps` takes the entry's low 4 index bits from the nibble and the table
/// from bit 4, which a masked OR sets where the block's `qh` bit is set.
enum Q5_0Decoder: BlockDecoding {
    static var blockByteCount: Int { 22 }

    @inline(__always)
    static func decode(_ block: UnsafeRawPointer, _ halves: UnsafePointer<Float>) -> (SIMD16<Float>, SIMD16<Float>) {
        let d = scale(block, 0, halves)
        let below = _mm512_mul_ps(nibbleValues - 16, d)
        let above = _mm512_mul_ps(nibbleValues, d)
        let high = UInt32(littleEndian: block.loadUnaligned(fromByteOffset: 2, as: UInt32.self))
        let lanes = byteLanes(block, 6)
        let sixteen = _mm512_set1_epi32(16)
        let lowNibbles = _mm512_and_si512(lanes, _mm512_set1_epi32(0x0F))
        let highNibbles = _mm512_srli_epi32(lanes, 4)
        let lower = _mm512_mask_or_epi32(lowNibbles, UInt16(truncatingIfNeeded: high), lowNibbles, sixteen)
        let upper = _mm512_mask_or_epi32(highNibbles, UInt16(truncatingIfNeeded: high >> 16), highNibbles, sixteen)
        return (_mm512_permutex2var_ps(below, lower, above), _mm512_permutex2var_ps(below, upper, above))
    }
}
#endif
