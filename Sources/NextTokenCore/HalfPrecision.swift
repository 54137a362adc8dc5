// Conversions between Float and the two 16-bit float formats GGUF files use: IEEE 754 binary16
// ("fp16", ggml's F16 and the block scales of the quantized types) and bfloat16 (ggml's BF16).
// Bit tricks only: Swift's `Float16` is missing on Intel macOS, and these must behave the same
// everywhere. Both directions round to nearest, ties to even, and keep NaN payloads where they fit.

extension Float {
    /// The value of the IEEE 754 binary16 number whose bits are `bits`.
    ///
    /// Exact for every input: subnormals, signed zeros, infinities, and NaNs (the payload moves to
    /// the top of the Float payload, so a NaN stays a NaN).
    @inlinable @inline(__always)
    public init(fp16Bits bits: UInt16) {
        // Place exponent and mantissa where a Float keeps them, then rebias the exponent by
        // multiplying with 2^112. The product is exact, subnormal halves included (they arrive as
        // Float subnormals and leave normalized). For inf/NaN (half exponent 31) the Float
        // exponent is then forced to all ones, with integer arithmetic rather than a branch or
        // select, which keeps this cheap inside vectorized kernels.
        let shifted = Float(bitPattern: UInt32(bits & 0x7FFF) &<< 13)
        let magnitude = (shifted * Float(bitPattern: 0x7780_0000)).bitPattern
        let exponentIsMaximal = UInt32(truncatingIfNeeded: ((bits & 0x7C00) &+ 0x0400) &>> 15)
        let infinityBits = (0 &- exponentIsMaximal) & 0x7F80_0000
        self.init(bitPattern: magnitude | infinityBits | (UInt32(bits & 0x8000) &<< 16))
    }

    /// The value of the bfloat16 number whose bits are `bits` (the top half of a Float).
    @inlinable @inline(__always)
    public init(bf16Bits bits: UInt16) {
        self.init(bitPattern: UInt32(bits) &<< 16)
    }
}

extension UInt16 {
    /// The IEEE 754 binary16 bits nearest to `value` (ties to even).
    ///
    /// Magnitudes of 65520 and above become infinity; NaN stays NaN (quiet).
    @inlinable
    public init(fp16From value: Float) {
        let bits = value.bitPattern
        let sign = UInt16(truncatingIfNeeded: (bits &>> 16) & 0x8000)
        let magnitudeBits = bits & 0x7FFF_FFFF
        if magnitudeBits > 0x7F80_0000 {  // NaN: keep the top payload bits, force quiet.
            self = sign | 0x7E00 | UInt16(truncatingIfNeeded: (magnitudeBits &>> 13) & 0x03FF)
        } else if magnitudeBits >= 0x4780_0000 {  // >= 65536 (or inf): too large for a half.
            self = sign | 0x7C00
        } else if magnitudeBits < 0x3880_0000 {  // < 2^-14: a half subnormal or zero.
            // Adding 0.5 leaves the value's multiples of 2^-24 (the half subnormal step) in the
            // low mantissa bits, rounded to nearest even by the FPU.
            let rounded = Float(bitPattern: magnitudeBits) + 0.5
            self = sign | UInt16(truncatingIfNeeded: rounded.bitPattern &- 0x3F00_0000)
        } else {
            // Rebias the exponent (127 -> 15), then round away the 13 low mantissa bits; a carry
            // out of the mantissa correctly bumps the exponent, at most to infinity (0x7C00, reached
            // from 65520 up).
            let oddBit = (magnitudeBits &>> 13) & 1
            let rebased = magnitudeBits &- 0x3800_0000 &+ 0x0FFF &+ oddBit
            self = sign | UInt16(truncatingIfNeeded: rebased &>> 13)
        }
    }

    /// The bfloat16 bits nearest to `value` (ties to even); NaN stays NaN (quiet).
    @inlinable
    public init(bf16From value: Float) {
        let bits = value.bitPattern
        if bits & 0x7FFF_FFFF > 0x7F80_0000 {
            self = UInt16(truncatingIfNeeded: bits &>> 16) | 0x0040
        } else {
            let oddBit = (bits &>> 16) & 1
            self = UInt16(truncatingIfNeeded: (bits &+ 0x7FFF &+ oddBit) &>> 16)
        }
    }
}
