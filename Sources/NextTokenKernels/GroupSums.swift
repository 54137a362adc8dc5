#if arch(x86_64)
import _Builtin_intrinsics.intel
#endif

/// The exact integer dot products of the 8 blocks of one ``PackedBlocks`` group of weight quants
/// with the same group of activation quants, block `8g + laneBlocks[l]` in lane `l`.
///
/// Integer sums are exact, so the x86 path (AVX2 byte multiply-adds) and the portable path
/// return the same values; the tests compare them.
enum GroupSums {
    /// Weights are unsigned quants 0…15 (q4_0, q4_1).
    @inline(__always)
    static func unsigned(_ weights: UnsafeRawPointer, _ input: UnsafeRawPointer) -> SIMD8<Int32> {
        #if arch(x86_64)
        // maddubs: u8 × s8 pairs into i16 (|15·127·2| per pair, so the two halves of a block
        // add without saturation), madd with ones: i16 pairs into i32, hadd: one sum per block.
        let ones = _mm256_set1_epi16(1)
        @inline(__always)
        func pair(_ offset: Int) -> __m256i {
            let lower = _mm256_maddubs_epi16(load(weights, offset), load(input, offset))
            let upper = _mm256_maddubs_epi16(load(weights, offset &+ 32), load(input, offset &+ 32))
            return _mm256_madd_epi16(_mm256_add_epi16(lower, upper), ones)
        }
        let first = _mm256_hadd_epi32(pair(0), pair(64))
        let second = _mm256_hadd_epi32(pair(128), pair(192))
        return unsafeBitCast(_mm256_hadd_epi32(first, second), to: SIMD8<Int32>.self)
        #else
        return portable(weights, input, signed: false)
        #endif
    }

    /// Weights are signed bytes (q8_0).
    @inline(__always)
    static func signed(_ weights: UnsafeRawPointer, _ input: UnsafeRawPointer) -> SIMD8<Int32> {
        #if arch(x86_64)
        // |w| × (q with w's sign): |w| ≤ 128 and |q| ≤ 127, so each i16 pair sum fits; every
        // half goes to i32 on its own.
        let ones = _mm256_set1_epi16(1)
        @inline(__always)
        func half(_ offset: Int) -> __m256i {
            let w = load(weights, offset)
            let products = _mm256_maddubs_epi16(_mm256_sign_epi8(w, w), _mm256_sign_epi8(load(input, offset), w))
            return _mm256_madd_epi16(products, ones)
        }
        @inline(__always)
        func pair(_ offset: Int) -> __m256i { _mm256_add_epi32(half(offset), half(offset &+ 32)) }
        let first = _mm256_hadd_epi32(pair(0), pair(64))
        let second = _mm256_hadd_epi32(pair(128), pair(192))
        return unsafeBitCast(_mm256_hadd_epi32(first, second), to: SIMD8<Int32>.self)
        #else
        return portable(weights, input, signed: true)
        #endif
    }

    #if arch(x86_64)
    @inline(__always)
    private static func load(_ base: UnsafeRawPointer, _ offset: Int) -> __m256i {
        base.loadUnaligned(fromByteOffset: offset, as: __m256i.self)
    }
    #endif

    /// The same sums with plain SIMD integer arithmetic, for every architecture.
    @inline(__always)
    static func portable(_ weights: UnsafeRawPointer, _ input: UnsafeRawPointer, signed: Bool) -> SIMD8<Int32> {
        let layout = PackedBlocks(columnCount: 256)
        var result = SIMD8<Int32>()
        for lane in 0 ..< 8 {
            let block = layout.block(atLane: lane)
            var total = SIMD16<Int32>()
            for upperHalf in [false, true] {
                let offset = layout.byteOffset(block: block, upperHalf: upperHalf)
                let w = signed
                    ? SIMD16<Int32>(truncatingIfNeeded: weights.loadUnaligned(fromByteOffset: offset, as: SIMD16<Int8>.self))
                    : SIMD16<Int32>(truncatingIfNeeded: weights.loadUnaligned(fromByteOffset: offset, as: SIMD16<UInt8>.self))
                let q = SIMD16<Int32>(truncatingIfNeeded: input.loadUnaligned(fromByteOffset: offset, as: SIMD16<Int8>.self))
                total &+= w &* q
            }
            result[lane] = total.wrappedSum()
        }
        return result
    }
}
