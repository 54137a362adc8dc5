// Vector helpers shared by the element-wise kernels: a 16-lane exp, and loads and stores of
// the last, partial group of a vector.

/// Element-wise math on 16 lanes.
package enum FastMath {
    /// e^x per lane, for the activations and softmax.
    ///
    /// Cody–Waite range reduction x = n·ln2 + r, |r| ≤ ln2/2, and Cephes' degree-7 polynomial
    /// for e^r; relative error below 2e-7 (measured 8e-8, about one ulp) for x in
    /// [-87, 88]. Below -87 the result is 0, above 88 it is +infinity; NaN stays NaN. Pure
    /// SIMD arithmetic, no libm call, no instruction beyond SSE2.
    @inline(__always)
    package static func exp(_ x: SIMD16<Float>) -> SIMD16<Float> {
        // Clamped to [-87, 88] by masks (what pointwiseMin/Max compute, NaN kept), which stay
        // vector code where the generic pointwiseMin/Max may be left as a call.
        let raised = x.replacing(with: -87, where: x .< -87)
        let clamped = raised.replacing(with: 88, where: raised .> 88)
        // Round x·log2(e) to an integer n by adding 1.5·2^23: n lands in the low mantissa bits.
        let shifter: Float = 12_582_912
        let shifted = clamped * 1.442_695_040_888_963_4 + shifter
        let n = shifted - shifter
        let r = (clamped - n * 0.693_359_375) - n * -2.121_944_400_546_905_8e-4
        var p = SIMD16<Float>(repeating: 1.987_569_150_0e-4)
        p = p * r + 1.398_199_950_7e-3
        p = p * r + 8.333_451_907_3e-3
        p = p * r + 4.166_579_589_4e-2
        p = p * r + 1.666_666_545_9e-1
        p = p * r + 5.000_000_120_1e-1
        p = p * (r * r) + r + 1
        // 2^n: the exponent field is n + 127; n is in [-126, 127] after clamping.
        let nBits = unsafeBitCast(shifted, to: SIMD16<UInt32>.self) &- 0x4B40_0000
        let scale = unsafeBitCast((nBits &+ 127) &<< 23, to: SIMD16<Float>.self)
        var result = p * scale
        result.replace(with: 0, where: x .< -87)
        result.replace(with: .infinity, where: x .> 88)
        result.replace(with: x, where: x .!= x)
        return result
    }

    /// The first `count` (< 16) floats at `source`, zeros in the other lanes.
    @inline(__always)
    package static func loadPartial(_ source: UnsafePointer<Float>, count: Int) -> SIMD16<Float> {
        var result = SIMD16<Float>()
        for lane in 0..<count { result[lane] = source[lane] }
        return result
    }

    /// Stores the first `count` (< 16) lanes of `value` at `destination`.
    @inline(__always)
    package static func storePartial(_ value: SIMD16<Float>, _ destination: UnsafeMutablePointer<Float>, count: Int) {
        for lane in 0..<count { destination[lane] = value[lane] }
    }
}

/// Applies `transform` to `count` floats at `vector` in place, 16 at a time (the last group
/// padded with zeros, its padding discarded).
@inline(__always)
func transformInPlace(
    _ vector: UnsafeMutablePointer<Float>, count: Int, _ transform: (SIMD16<Float>) -> SIMD16<Float>
) {
    let raw = UnsafeMutableRawPointer(vector)
    let groupCount = count &>> 4
    for group in 0..<groupCount {
        let value = raw.loadUnaligned(fromByteOffset: group &* 64, as: SIMD16<Float>.self)
        raw.storeBytes(of: transform(value), toByteOffset: group &* 64, as: SIMD16<Float>.self)
    }
    let done = groupCount &<< 4
    if done < count {
        let value = FastMath.loadPartial(vector + done, count: count &- done)
        FastMath.storePartial(transform(value), vector + done, count: count &- done)
    }
}

/// Applies `combine(a, b)` to `count` floats of `a` (in place) and `b`, 16 at a time.
@inline(__always)
func combineInPlace(
    _ a: UnsafeMutablePointer<Float>, _ b: UnsafePointer<Float>, count: Int,
    _ combine: (SIMD16<Float>, SIMD16<Float>) -> SIMD16<Float>
) {
    let rawA = UnsafeMutableRawPointer(a)
    let rawB = UnsafeRawPointer(b)
    let groupCount = count &>> 4
    for group in 0..<groupCount {
        let offset = group &* 64
        let value = combine(rawA.loadUnaligned(fromByteOffset: offset, as: SIMD16<Float>.self),
                            rawB.loadUnaligned(fromByteOffset: offset, as: SIMD16<Float>.self))
        rawA.storeBytes(of: value, toByteOffset: offset, as: SIMD16<Float>.self)
    }
    let done = groupCount &<< 4
    if done < count {
        let left = count &- done
        let value = combine(FastMath.loadPartial(a + done, count: left), FastMath.loadPartial(b + done, count: left))
        FastMath.storePartial(value, a + done, count: left)
    }
}

/// Sum over `count` floats at `vector` of `term(group)`, 16 lanes at a time (the last group
/// zero-padded, so `term` must map 0 to 0), folded in halves like `DotAccumulator`.
@inline(__always)
func reduceSum(
    _ vector: UnsafePointer<Float>, count: Int, _ term: (SIMD16<Float>) -> SIMD16<Float>
) -> Float {
    let raw = UnsafeRawPointer(vector)
    var lanes = SIMD16<Float>()
    let groupCount = count &>> 4
    for group in 0..<groupCount {
        lanes = lanes + term(raw.loadUnaligned(fromByteOffset: group &* 64, as: SIMD16<Float>.self))
    }
    let done = groupCount &<< 4
    if done < count {
        lanes = lanes + term(FastMath.loadPartial(vector + done, count: count &- done))
    }
    let eight = lanes.lowHalf + lanes.highHalf
    let four = eight.lowHalf + eight.highHalf
    let two = four.lowHalf + four.highHalf
    return two[0] + two[1]
}
