/// Conversions between small integers and Floats in SIMD registers by the 1.5·2²³ trick: adding
/// 12 582 912 to a Float of magnitude below 2²² leaves the integer, rounded to nearest (ties to
/// even), in the low mantissa bits. (The generic SIMD conversions of the standard library are
/// not vectorized.)
enum IntegerConversion {
    private static let shifter: Float = 12_582_912
    private static let shifterBits: Int32 = 0x4B40_0000

    /// Each lane rounded to the nearest integer, ties to even; lanes must lie within ±2²².
    @inline(__always)
    static func roundedIntegers(_ values: SIMD32<Float>) -> SIMD32<Int32> {
        unsafeBitCast(values + shifter, to: SIMD32<Int32>.self) &- shifterBits
    }

    /// Each lane exactly as a Float; lanes must lie within ±2²².
    @inline(__always)
    static func floats(_ values: SIMD8<Int32>) -> SIMD8<Float> {
        unsafeBitCast(values &+ shifterBits, to: SIMD8<Float>.self) - shifter
    }

    /// The sum of the lanes (wrapping).
    @inline(__always)
    static func sum(_ values: SIMD32<Int32>) -> Int32 {
        let sixteen = values.lowHalf &+ values.highHalf
        let eight = sixteen.lowHalf &+ sixteen.highHalf
        let four = eight.lowHalf &+ eight.highHalf
        let two = four.lowHalf &+ four.highHalf
        return two[0] &+ two[1]
    }
}
