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
        case .q5_0, .q5_1:
            for _ in 0 ..< count / 32 {
                half(scale / 16 * (0.5 + abs(signed())))
                if type == .q5_1 { half(-scale * (0.5 + 0.5 * abs(signed()))) }
                for _ in 0 ..< 20 { bytes.append(byte()) }
            }
        case .q4_K, .q5_K:
            // d · scale · q reaches about 945 d (q5_K: 1953 d), dmin · min up to 63 dmin.
            for _ in 0 ..< count / 256 {
                half(scale / (type == .q4_K ? 512 : 1024) * (0.5 + abs(signed())))
                half(scale / 64 * (0.5 + abs(signed())))
                for _ in 0 ..< (type == .q4_K ? 140 : 172) { bytes.append(byte()) }
            }
        case .q6_K:
            // d · scale · (q - 32) reaches about 4096 d.
            for _ in 0 ..< count / 256 {
                for _ in 0 ..< 208 { bytes.append(byte()) }
                half(scale / 2048 * (0.5 + abs(signed())))
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
