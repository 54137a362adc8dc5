#if arch(x86_64)
import _Builtin_intrinsics.intel
#endif

/// Quantizes one block of 32 floats to 8 bits: `d = max|x| / 127`, `q = round(x · (127 / max|x|))`
/// to nearest, ties to even (so −127…127). A block of zeros, or one holding an infinity or a NaN,
/// becomes zeros with `d = 0`.
enum BlockQuantizer {
    /// Writes elements 0..<16 of the quants to `lower` and 16..<32 to `upper`; returns `d` and `Σq`.
    @inline(__always)
    static func quantize(
        _ x: UnsafePointer<Float>, lower: UnsafeMutableRawPointer, upper: UnsafeMutableRawPointer
    ) -> (scale: Float, sum: Int32) {
        #if arch(x86_64)
        let raw = UnsafeRawPointer(x)
        let v0 = raw.loadUnaligned(fromByteOffset: 0, as: __m256.self)
        let v1 = raw.loadUnaligned(fromByteOffset: 32, as: __m256.self)
        let v2 = raw.loadUnaligned(fromByteOffset: 64, as: __m256.self)
        let v3 = raw.loadUnaligned(fromByteOffset: 96, as: __m256.self)
        // x − x is 0 for finite x, NaN otherwise.
        let differences = unsafeBitCast(
            _mm256_add_ps(_mm256_add_ps(_mm256_sub_ps(v0, v0), _mm256_sub_ps(v1, v1)),
                          _mm256_add_ps(_mm256_sub_ps(v2, v2), _mm256_sub_ps(v3, v3))), to: SIMD8<Float>.self)
        let fourDifferences = differences.lowHalf + differences.highHalf
        let twoDifferences = fourDifferences.lowHalf + fourDifferences.highHalf
        guard twoDifferences[0] + twoDifferences[1] == 0 else { return zeros(lower, upper) }
        let signBit = _mm256_set1_ps(-0.0)
        let absolute = _mm256_max_ps(_mm256_max_ps(_mm256_andnot_ps(signBit, v0), _mm256_andnot_ps(signBit, v1)),
                                     _mm256_max_ps(_mm256_andnot_ps(signBit, v2), _mm256_andnot_ps(signBit, v3)))
        let lanes = unsafeBitCast(absolute, to: SIMD8<Float>.self)
        let four = pointwiseMax(lanes.lowHalf, lanes.highHalf)
        let two = pointwiseMax(four.lowHalf, four.highHalf)
        let magnitude = max(two[0], two[1])
        guard magnitude > 0 else { return zeros(lower, upper) }
        let inverse = _mm256_set1_ps(127 / magnitude)
        // cvtps rounds to nearest even (the default rounding mode).
        let q0 = _mm256_cvtps_epi32(_mm256_mul_ps(v0, inverse))
        let q1 = _mm256_cvtps_epi32(_mm256_mul_ps(v1, inverse))
        let q2 = _mm256_cvtps_epi32(_mm256_mul_ps(v2, inverse))
        let q3 = _mm256_cvtps_epi32(_mm256_mul_ps(v3, inverse))
        let total = unsafeBitCast(_mm256_add_epi32(_mm256_add_epi32(q0, q1), _mm256_add_epi32(q2, q3)),
                                  to: SIMD8<Int32>.self)
        // packs interleave 128-bit lanes: [q0 0-3, q1 0-3, q2 0-3, q3 0-3, q0 4-7, …]; the
        // permutation puts the 32 bytes back in element order.
        let packed = _mm256_packs_epi16(_mm256_packs_epi32(q0, q1), _mm256_packs_epi32(q2, q3))
        let ordered = _mm256_permutevar8x32_epi32(packed, _mm256_setr_epi32(0, 4, 1, 5, 2, 6, 3, 7))
        let bytes = unsafeBitCast(ordered, to: SIMD32<UInt8>.self)
        lower.storeBytes(of: bytes.lowHalf, as: SIMD16<UInt8>.self)
        upper.storeBytes(of: bytes.highHalf, as: SIMD16<UInt8>.self)
        let fourSums = total.lowHalf &+ total.highHalf
        let twoSums = fourSums.lowHalf &+ fourSums.highHalf
        return (magnitude / 127, twoSums[0] &+ twoSums[1])
        #else
        return quantizePortable(x, lower: lower, upper: upper)
        #endif
    }

    /// The same, one element at a time, for every architecture.
    static func quantizePortable(
        _ x: UnsafePointer<Float>, lower: UnsafeMutableRawPointer, upper: UnsafeMutableRawPointer
    ) -> (scale: Float, sum: Int32) {
        var magnitude: Float = 0
        for index in 0 ..< 32 {
            guard x[index].isFinite else { return zeros(lower, upper) }
            magnitude = max(magnitude, abs(x[index]))
        }
        guard magnitude > 0 else { return zeros(lower, upper) }
        let inverse = 127 / magnitude
        var total: Int32 = 0
        for index in 0 ..< 32 {
            let q = Int8((x[index] * inverse).rounded(.toNearestOrEven))
            total &+= Int32(q)
            (index < 16 ? lower : upper).storeBytes(of: q, toByteOffset: index % 16, as: Int8.self)
        }
        return (magnitude / 127, total)
    }

    private static func zeros(_ lower: UnsafeMutableRawPointer, _ upper: UnsafeMutableRawPointer) -> (Float, Int32) {
        lower.initializeMemory(as: UInt8.self, repeating: 0, count: 16)
        upper.initializeMemory(as: UInt8.self, repeating: 0, count: 16)
        return (0, 0)
    }
}
