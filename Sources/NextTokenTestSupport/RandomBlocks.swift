import NextTokenCore

/// Random tensor data in ggml block layouts, with finite scales, for synthetic models and kernel tests.
public enum RandomBlocks {
    /// `count` elements of `type` (a whole number of blocks) with magnitudes around `scale`.
    public static func make<R: RandomNumberGenerator>(
        type: GGMLType, count: Int, scale: Float, using random: inout R
    ) -> [UInt8] {
        var bytes: [UInt8] = []
        func signed() -> Float { Float(random.next() >> 40) / Float(1 << 23) - 1 }
        func byte() -> UInt8 { UInt8(truncatingIfNeeded: random.next()) }
        func half(_ value: Float) {
            let bits = UInt16(fp16From: value)
            bytes += [UInt8(bits & 0xFF), UInt8(bits >> 8)]
        }
        switch type {
        case .f32:
            for _ in 0 ..< count {
                let bits = (signed() * scale).bitPattern
                bytes += [0, 8, 16, 24].map { UInt8(truncatingIfNeeded: bits >> $0) }
            }
        case .f16:
            for _ in 0 ..< count { half(signed() * scale) }
        case .bf16:
            for _ in 0 ..< count {
                let bits = (signed() * scale).bitPattern >> 16
                bytes += [UInt8(truncatingIfNeeded: bits), UInt8(truncatingIfNeeded: bits >> 8)]
            }
        case .q8_0:
            for _ in 0 ..< count / 32 {
                half(scale / 127 * (0.5 + abs(signed())))
                for _ in 0 ..< 32 { bytes.append(byte()) }
            }
        case .q4_0:
            for _ in 0 ..< count / 32 {
                half(scale / 8 * (0.5 + abs(signed())))
                for _ in 0 ..< 16 { bytes.append(byte()) }
            }
        case .q4_1:
            for _ in 0 ..< count / 32 {
                half(scale / 8 * (0.5 + abs(signed())))
                half(-scale * (0.5 + 0.5 * abs(signed())))
                for _ in 0 ..< 16 { bytes.append(byte()) }
            }
        default:
            // Other layouts: random bytes with every fp16 field left as produced by `byte()`
            // would risk NaN scales, so callers only ask for the types above.
            preconditionFailure("RandomBlocks does not generate \(type.name)")
        }
        return bytes
    }

    /// Little-endian float32 bytes.
    public static func f32Bytes(_ values: [Float]) -> [UInt8] {
        values.flatMap { value in [0, 8, 16, 24].map { UInt8(truncatingIfNeeded: value.bitPattern >> $0) } }
    }
}
