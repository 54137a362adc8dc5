import Testing
import NextTokenCore

/// Decodes binary16 the textbook way: sign, 5-bit exponent, 10-bit mantissa.
private func referenceHalfValue(_ bits: UInt16) -> Float {
    let negative = bits & 0x8000 != 0
    let exponent = Int((bits &>> 10) & 0x1F)
    let mantissa = UInt32(bits & 0x03FF)
    let magnitude: Float
    switch exponent {
    case 0: magnitude = Float(mantissa) * Float(sign: .plus, exponent: -24, significand: 1)
    case 31 where mantissa == 0: magnitude = .infinity
    case 31: return Float(bitPattern: (negative ? 0x8000_0000 : 0) | 0x7F80_0000 | mantissa << 13)
    default:
        magnitude = Float(sign: .plus, exponent: exponent - 25, significand: Float(1024 + mantissa))
    }
    return negative ? -magnitude : magnitude
}

@Suite("fp16 and bf16 conversions")
struct HalfPrecisionTests {
    @Test("fp16 decoding matches the textbook decoding for all 65536 patterns")
    func decodesEveryHalf() {
        var mismatches = 0
        for raw in 0...UInt16.max {
            let value = Float(fp16Bits: raw)
            let expected = referenceHalfValue(raw)
            if value.bitPattern != expected.bitPattern { mismatches += 1 }
        }
        #expect(mismatches == 0)
        #expect(Float(fp16Bits: 0x0001) == Float(sign: .plus, exponent: -24, significand: 1))
        #expect(Float(fp16Bits: 0x7BFF) == 65504)
        #expect(Float(fp16Bits: 0xFC00) == -.infinity)
        #expect(Float(fp16Bits: 0x7E00).isNaN)
        #expect(Float(fp16Bits: 0x8000).bitPattern == (-Float.zero).bitPattern)
    }

    @Test("fp16 encoding round-trips every half that is not NaN")
    func encodesEveryHalfBack() {
        var mismatches = 0
        for raw in 0...UInt16.max {
            let value = Float(fp16Bits: raw)
            if value.isNaN {
                if !Float(fp16Bits: UInt16(fp16From: value)).isNaN { mismatches += 1 }
            } else if UInt16(fp16From: value) != raw {
                mismatches += 1
            }
        }
        #expect(mismatches == 0)
    }

    @Test("fp16 encoding rounds to nearest, ties to even, between every pair of neighbours")
    func roundsBetweenNeighbours() {
        var mismatches = 0
        for sign: UInt16 in [0, 0x8000] {
            // Neighbours a < b in magnitude, from zero up to (max finite, infinity).
            for low: UInt16 in 0..<0x7C00 {
                let high = low + 1
                let a = Double(Float(fp16Bits: low | sign))
                let b = high == 0x7C00 ? (sign == 0 ? 65536.0 : -65536.0)
                    : Double(Float(fp16Bits: high | sign))
                let midpoint = Float((a + b) / 2)  // exact: 12 significant bits
                let even = low & 1 == 0 ? low : high
                if UInt16(fp16From: midpoint) != even | sign { mismatches += 1 }
                let towardA = sign == 0 ? midpoint.nextDown : midpoint.nextUp
                let towardB = sign == 0 ? midpoint.nextUp : midpoint.nextDown
                if UInt16(fp16From: towardA) != low | sign { mismatches += 1 }
                if UInt16(fp16From: towardB) != high | sign { mismatches += 1 }
            }
        }
        #expect(mismatches == 0)
        #expect(UInt16(fp16From: 1e9) == 0x7C00)
        #expect(UInt16(fp16From: -.infinity) == 0xFC00)
        #expect(UInt16(fp16From: 1e-9) == 0)
        #expect(UInt16(fp16From: .nan) & 0x7C00 == 0x7C00)
        #expect(UInt16(fp16From: .nan) & 0x03FF != 0)
    }

    @Test("bf16 decoding is the top half of a Float, encoding rounds to nearest even")
    func bfloat16() {
        var mismatches = 0
        for raw in 0...UInt16.max {
            let value = Float(bf16Bits: raw)
            if value.bitPattern != UInt32(raw) << 16 { mismatches += 1 }
            if value.isNaN {
                if !Float(bf16Bits: UInt16(bf16From: value)).isNaN { mismatches += 1 }
                continue
            }
            if UInt16(bf16From: value) != raw { mismatches += 1 }
            // Halfway to the next pattern up in magnitude: ties go to the even pattern.
            guard raw & 0x7FFF < 0x7F80 else { continue }
            let midpoint = Float(bitPattern: UInt32(raw) << 16 | 0x8000)
            let even = raw & 1 == 0 ? raw : raw + 1
            if UInt16(bf16From: midpoint) != even { mismatches += 1 }
            let above = Float(bitPattern: midpoint.bitPattern + 1)
            if UInt16(bf16From: above) != raw + 1 { mismatches += 1 }
            let below = Float(bitPattern: midpoint.bitPattern - 1)
            if UInt16(bf16From: below) != raw { mismatches += 1 }
        }
        #expect(mismatches == 0)
        #expect(UInt16(bf16From: .greatestFiniteMagnitude) == 0x7F80)
    }
}
