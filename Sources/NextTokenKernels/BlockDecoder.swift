#if arch(x86_64)
import _Builtin_intrinsics.intel
import NextTokenKernelsAVX512
#endif

/// A 32-element block type that decodes one block straight into registers: the two 16-element
/// groups of ``DotAccumulator``, with exactly the values ``RowFormat/dequantize(_:into:count:halves:)``
/// writes. Single-vector products use it to skip the trip through scratch memory; since the
/// values and the summation order are the same, so are the bits.
protocol BlockDecoder: RowFormat {
    /// Bytes per block.
    static var blockByteCount: Int { get }
    /// Elements 0..<16 and 16..<32 of the block at `block`.
    static func decodeBlock(_ block: UnsafeRawPointer, halves: UnsafePointer<Float>)
        -> (SIMD16<Float>, SIMD16<Float>)
    #if arch(x86_64)
    /// The same type in the AVX-512 kernels.
    static var avx512Type: AVX512Kernels.BlockType { get }
    #endif
}

extension BlockDecoder {
    /// The portable form: decode through a 32-float stack buffer.
    @inline(__always)
    static func decodeBlockThroughMemory(_ block: UnsafeRawPointer, halves: UnsafePointer<Float>)
        -> (SIMD16<Float>, SIMD16<Float>) {
        var values = (SIMD16<Float>(), SIMD16<Float>())
        withUnsafeMutableBytes(of: &values) { buffer in
            dequantize(block, into: buffer.baseAddress!.assumingMemoryBound(to: Float.self), count: 32, halves: halves)
        }
        return values
    }

    /// Rows `w0` and `w0 + rowStride` (`count` elements, a multiple of 32) times `x`, decoding
    /// each block in registers; equal to decoding the rows and calling `dotTwoByOne`.
    @inline(__always)
    static func dotTwoRows(
        _ w0: UnsafeRawPointer, rowStride: Int, _ x: UnsafePointer<Float>, count: Int, halves: UnsafePointer<Float>
    ) -> (Float, Float) {
        var a0 = DotAccumulator()
        var a1 = DotAccumulator()
        let w1 = w0 + rowStride
        let input = UnsafeRawPointer(x)
        for block in 0 ..< (count &>> 5) {
            let offset = block &* 128
            let lower = loadGroup(input, offset)
            let upper = loadGroup(input, offset &+ 64)
            let (r0Lower, r0Upper) = decodeBlock(w0 + block &* blockByteCount, halves: halves)
            let (r1Lower, r1Upper) = decodeBlock(w1 + block &* blockByteCount, halves: halves)
            a0.add(r0Lower, lower)
            a1.add(r1Lower, lower)
            a0.add(r0Upper, upper)
            a1.add(r1Upper, upper)
        }
        return (a0.total, a1.total)
    }

    /// Row `w` times `x`, decoding in registers.
    @inline(__always)
    static func dotOneRow(_ w: UnsafeRawPointer, _ x: UnsafePointer<Float>, count: Int, halves: UnsafePointer<Float>)
        -> Float {
        var accumulator = DotAccumulator()
        let input = UnsafeRawPointer(x)
        for block in 0 ..< (count &>> 5) {
            let (lower, upper) = decodeBlock(w + block &* blockByteCount, halves: halves)
            accumulator.add(lower, loadGroup(input, block &* 128))
            accumulator.add(upper, loadGroup(input, block &* 128 &+ 64))
        }
        return accumulator.total
    }
}

#if arch(x86_64)
/// Eight bytes (the low or high half of `bytes`) widened to 32-bit lanes and converted.
@inline(__always)
private func floats(_ bytes: __m128i, upperHalf: Bool, signed: Bool) -> __m256 {
    let source = upperHalf ? _mm_unpackhi_epi64(bytes, bytes) : bytes
    return _mm256_cvtepi32_ps(signed ? _mm256_cvtepi8_epi32(source) : _mm256_cvtepu8_epi32(source))
}

@inline(__always)
private func group(_ first: __m256, _ second: __m256) -> SIMD16<Float> {
    SIMD16(lowHalf: first, highHalf: second)
}
#endif

extension Q8_0Format: BlockDecoder {
    #if arch(x86_64)
    static var avx512Type: AVX512Kernels.BlockType { .q8_0 }
    #endif
    static var blockByteCount: Int { 34 }

    @inline(__always)
    static func decodeBlock(_ block: UnsafeRawPointer, halves: UnsafePointer<Float>) -> (SIMD16<Float>, SIMD16<Float>) {
        #if arch(x86_64)
        let scale = _mm256_set1_ps(loadScale(block, 0, halves))
        let lower = block.loadUnaligned(fromByteOffset: 2, as: __m128i.self)
        let upper = block.loadUnaligned(fromByteOffset: 18, as: __m128i.self)
        return (group(_mm256_mul_ps(floats(lower, upperHalf: false, signed: true), scale),
                      _mm256_mul_ps(floats(lower, upperHalf: true, signed: true), scale)),
                group(_mm256_mul_ps(floats(upper, upperHalf: false, signed: true), scale),
                      _mm256_mul_ps(floats(upper, upperHalf: true, signed: true), scale)))
        #else
        return decodeBlockThroughMemory(block, halves: halves)
        #endif
    }
}

extension Q4_0Format: BlockDecoder {
    #if arch(x86_64)
    static var avx512Type: AVX512Kernels.BlockType { .q4_0 }
    #endif
    static var blockByteCount: Int { 18 }

    @inline(__always)
    static func decodeBlock(_ block: UnsafeRawPointer, halves: UnsafePointer<Float>) -> (SIMD16<Float>, SIMD16<Float>) {
        #if arch(x86_64)
        let scale = _mm256_set1_ps(loadScale(block, 0, halves))
        let eight = _mm256_set1_ps(8)
        let bytes = block.loadUnaligned(fromByteOffset: 2, as: __m128i.self)
        let mask = _mm_set1_epi8(0x0F)
        let low = _mm_and_si128(bytes, mask)
        let high = _mm_and_si128(_mm_srli_epi16(bytes, 4), mask)
        @inline(__always)
        func value(_ nibbles: __m128i, _ upperHalf: Bool) -> __m256 {
            _mm256_mul_ps(_mm256_sub_ps(floats(nibbles, upperHalf: upperHalf, signed: false), eight), scale)
        }
        return (group(value(low, false), value(low, true)), group(value(high, false), value(high, true)))
        #else
        return decodeBlockThroughMemory(block, halves: halves)
        #endif
    }
}

extension Q4_1Format: BlockDecoder {
    #if arch(x86_64)
    static var avx512Type: AVX512Kernels.BlockType { .q4_1 }
    #endif
    static var blockByteCount: Int { 20 }

    @inline(__always)
    static func decodeBlock(_ block: UnsafeRawPointer, halves: UnsafePointer<Float>) -> (SIMD16<Float>, SIMD16<Float>) {
        #if arch(x86_64)
        let scale = _mm256_set1_ps(loadScale(block, 0, halves))
        let minimum = _mm256_set1_ps(loadScale(block, 2, halves))
        let bytes = block.loadUnaligned(fromByteOffset: 4, as: __m128i.self)
        let mask = _mm_set1_epi8(0x0F)
        let low = _mm_and_si128(bytes, mask)
        let high = _mm_and_si128(_mm_srli_epi16(bytes, 4), mask)
        @inline(__always)
        func value(_ nibbles: __m128i, _ upperHalf: Bool) -> __m256 {
            _mm256_fmadd_ps(floats(nibbles, upperHalf: upperHalf, signed: false), scale, minimum)
        }
        return (group(value(low, false), value(low, true)), group(value(high, false), value(high, true)))
        #else
        return decodeBlockThroughMemory(block, halves: halves)
        #endif
    }
}

extension Q5_0Format: BlockDecoder {
    #if arch(x86_64)
    static var avx512Type: AVX512Kernels.BlockType { .q5_0 }
    #endif
    static var blockByteCount: Int { 22 }

    /// Through memory: single vectors on CPUs without AVX-512 (where q5_0 products used to go
    /// through decoded tiles, at about the same cost).
    @inline(__always)
    static func decodeBlock(_ block: UnsafeRawPointer, halves: UnsafePointer<Float>) -> (SIMD16<Float>, SIMD16<Float>) {
        decodeBlockThroughMemory(block, halves: halves)
    }
}
