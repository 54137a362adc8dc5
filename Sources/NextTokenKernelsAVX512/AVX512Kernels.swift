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
        case q8_0, q4_0, q4_1
    }

    /// `output[r] = row r · x` for rows `rows` of `type` blocks (`rowByteCount` bytes apart from
    /// `base`, `columns` elements, a multiple of 32), decoding each block in registers, pairs of
    /// rows at a time (four, then two, then one): NextTokenKernels' `Problem.runSingleVector`. `halves` maps fp16 bits to
    /// Floats.
    public static func multiplySingleVector(
        _ type: BlockType, base: UnsafeRawPointer, rowByteCount: Int, rows: Range<Int>, columns: Int,
        input: UnsafePointer<Float>, halves: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>
    ) {
        switch type {
        case .q8_0: singleVector(Q8_0Decoder.self, base, rowByteCount, rows, columns, input, halves, output)
        case .q4_0: singleVector(Q4_0Decoder.self, base, rowByteCount, rows, columns, input, halves, output)
        case .q4_1: singleVector(Q4_1Decoder.self, base, rowByteCount, rows, columns, input, halves, output)
        }
    }

    @inline(__always)
    private static func singleVector<Decoder: BlockDecoding>(
        _ decoder: Decoder.Type, _ base: UnsafeRawPointer, _ rowBytes: Int, _ rows: Range<Int>, _ columns: Int,
        _ x: UnsafePointer<Float>, _ halves: UnsafePointer<Float>, _ output: UnsafeMutablePointer<Float>
    ) {
        let input = UnsafeRawPointer(x)
        let blockCount = columns &>> 5
        var row = rows.lowerBound
        while row &+ 4 <= rows.upperBound {
            let w0 = base + row &* rowBytes
            var a0 = Accumulator(), a1 = Accumulator(), a2 = Accumulator(), a3 = Accumulator()
            for block in 0 ..< blockCount {
                let offset = block &* 128
                let lower = group(input, offset)
                let upper = group(input, offset &+ 64)
                let blockOffset = block &* Decoder.blockByteCount
                let (r0Lower, r0Upper) = Decoder.decode(w0 + blockOffset, halves)
                let (r1Lower, r1Upper) = Decoder.decode(w0 + rowBytes + blockOffset, halves)
                let (r2Lower, r2Upper) = Decoder.decode(w0 + 2 &* rowBytes + blockOffset, halves)
                let (r3Lower, r3Upper) = Decoder.decode(w0 + 3 &* rowBytes + blockOffset, halves)
                a0.add(r0Lower, lower)
                a1.add(r1Lower, lower)
                a2.add(r2Lower, lower)
                a3.add(r3Lower, lower)
                a0.add(r0Upper, upper)
                a1.add(r1Upper, upper)
                a2.add(r2Upper, upper)
                a3.add(r3Upper, upper)
            }
            (output[row], output[row &+ 1], output[row &+ 2], output[row &+ 3]) = (a0.total, a1.total, a2.total, a3.total)
            row &+= 4
        }
        while row &+ 2 <= rows.upperBound {
            let w0 = base + row &* rowBytes
            let w1 = w0 + rowBytes
            var a0 = Accumulator()
            var a1 = Accumulator()
            for block in 0 ..< blockCount {
                let offset = block &* 128
                let lower = group(input, offset)
                let upper = group(input, offset &+ 64)
                let (r0Lower, r0Upper) = Decoder.decode(w0 + block &* Decoder.blockByteCount, halves)
                let (r1Lower, r1Upper) = Decoder.decode(w1 + block &* Decoder.blockByteCount, halves)
                a0.add(r0Lower, lower)
                a1.add(r1Lower, lower)
                a0.add(r0Upper, upper)
                a1.add(r1Upper, upper)
            }
            output[row] = a0.total
            output[row &+ 1] = a1.total
            row &+= 2
        }
        if row < rows.upperBound {
            let w = base + row &* rowBytes
            var a = Accumulator()
            for block in 0 ..< blockCount {
                let (lower, upper) = Decoder.decode(w + block &* Decoder.blockByteCount, halves)
                a.add(lower, group(input, block &* 128))
                a.add(upper, group(input, block &* 128 &+ 64))
            }
            output[row] = a.total
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

@inline(__always)
private func nibbles(_ bytes: __m128i) -> (__m512, __m512) {
    let mask = _mm_set1_epi8(0x0F)
    return (_mm512_cvtepi32_ps(_mm512_cvtepu8_epi32(_mm_and_si128(bytes, mask))),
            _mm512_cvtepi32_ps(_mm512_cvtepu8_epi32(_mm_and_si128(_mm_srli_epi16(bytes, 4), mask))))
}

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

/// q4_0: value = (q − 8) · d.
enum Q4_0Decoder: BlockDecoding {
    static var blockByteCount: Int { 18 }

    @inline(__always)
    static func decode(_ block: UnsafeRawPointer, _ halves: UnsafePointer<Float>) -> (SIMD16<Float>, SIMD16<Float>) {
        let d = scale(block, 0, halves)
        let eight = _mm512_set1_ps(8)
        let (low, high) = nibbles(block.loadUnaligned(fromByteOffset: 2, as: __m128i.self))
        return (_mm512_mul_ps(_mm512_sub_ps(low, eight), d), _mm512_mul_ps(_mm512_sub_ps(high, eight), d))
    }
}

/// q4_1: value = q · d + m with one rounding.
enum Q4_1Decoder: BlockDecoding {
    static var blockByteCount: Int { 20 }

    @inline(__always)
    static func decode(_ block: UnsafeRawPointer, _ halves: UnsafePointer<Float>) -> (SIMD16<Float>, SIMD16<Float>) {
        let d = scale(block, 0, halves)
        let m = scale(block, 2, halves)
        let (low, high) = nibbles(block.loadUnaligned(fromByteOffset: 4, as: __m128i.self))
        return (_mm512_fmadd_ps(low, d, m), _mm512_fmadd_ps(high, d, m))
    }
}
#endif
