// The k-quant types of ggml as `RowFormat`s: super-blocks of 256 elements split into sub-blocks
// that each carry a small integer scale (and, for q4_K and q5_K, a minimum) relative to the
// super-block's fp16 factors. Values are computed as ggml does: sub-block factors first
// (`d · scale`, `dmin · min`), then `factor · q - offset`, each step rounded to Float.

/// The 6-bit scale and minimum of sub-block `index` (0..<8) of a q4_K or q5_K super-block, from
/// its 12 packed bytes at `packed`. Bytes 0..<4 hold the low six bits of scales 0..<4 and bytes
/// 4..<8 those of minimums 0..<4; sub-blocks 4..<8 take their low four bits from the nibbles of
/// bytes 8..<12 (scale low, minimum high) and their top two bits from the top bits of bytes
/// 0..<4 (scales) and 4..<8 (minimums).
@inline(__always)
func kQuantScaleAndMinimum(_ packed: UnsafeRawPointer, _ index: Int) -> (scale: UInt8, minimum: UInt8) {
    if index < 4 {
        return (packed.load(fromByteOffset: index, as: UInt8.self) & 0x3F,
                packed.load(fromByteOffset: index &+ 4, as: UInt8.self) & 0x3F)
    }
    let shared = packed.load(fromByteOffset: index &+ 4, as: UInt8.self)
    let scaleTop = packed.load(fromByteOffset: index &- 4, as: UInt8.self) &>> 6
    let minimumTop = packed.load(fromByteOffset: index, as: UInt8.self) &>> 6
    return ((shared & 0x0F) | scaleTop &<< 4, (shared &>> 4) | minimumTop &<< 4)
}

/// The factor and offset of sub-block `index` of the q4_K or q5_K super-block at `block`:
/// `(d · scale, dmin · min)`, with `d`, `dmin` the block's fp16 fields.
@inline(__always)
private func kQuantFactors(_ block: UnsafeRawPointer, _ index: Int, d: Float, dmin: Float) -> (Float, Float) {
    let (scale, minimum) = kQuantScaleAndMinimum(block + 4, index)
    return (d * Float(scale), dmin * Float(minimum))
}

/// q4_K super-blocks (144 bytes): fp16 d, fp16 dmin, 12 bytes of packed 6-bit scales and
/// minimums for eight 32-element sub-blocks, 128 bytes of nibbles. Byte `32c + j` of the nibbles
/// holds element j of sub-block 2c (low nibble) and of sub-block 2c + 1 (high nibble);
/// value = d · scale · q - dmin · min.
enum Q4_KFormat: RowFormat {
    static var dotPieceCount: Int { 256 }

    @inline(__always)
    static func byteOffset(ofElement index: Int) -> Int { (index &>> 8) &* 144 }

    @inline(__always)
    static func dequantize(_ row: UnsafeRawPointer, into output: UnsafeMutablePointer<Float>, count: Int,
                           halves: UnsafePointer<Float>) {
        for block in 0..<(count &>> 8) {
            let source = row + block &* 144
            let d = loadScale(source, 0, halves)
            let dmin = loadScale(source, 2, halves)
            for pair in 0..<4 {
                let (factor0, offset0) = kQuantFactors(source, pair &* 2, d: d, dmin: dmin)
                let (factor1, offset1) = kQuantFactors(source, pair &* 2 &+ 1, d: d, dmin: dmin)
                let nibbles = source + (16 &+ pair &* 32)
                let destination = output + (block &* 256 &+ pair &* 64)
                for index in 0..<32 {
                    let byte = nibbles.load(fromByteOffset: index, as: UInt8.self)
                    destination[index] = factor0 * Float(byte & 0x0F) - offset0
                    destination[index &+ 32] = factor1 * Float(byte &>> 4) - offset1
                }
            }
        }
    }

    @inline(__always)
    static func decodeElement(_ row: UnsafeRawPointer, at index: Int) -> Float {
        let block = row + (index &>> 8) &* 144
        let subBlock = (index &>> 5) & 7
        let byte = block.load(fromByteOffset: 16 &+ (subBlock &>> 1) &* 32 &+ index & 31, as: UInt8.self)
        let quant = subBlock & 1 == 0 ? byte & 0x0F : byte &>> 4
        let (scale, minimum) = kQuantScaleAndMinimum(block + 4, subBlock)
        return loadScale(block, 0) * Float(scale) * Float(quant) - loadScale(block, 2) * Float(minimum)
    }
}

/// q5_K super-blocks (176 bytes): fp16 d, fp16 dmin, 12 bytes of scales and minimums as in q4_K,
/// 32 bytes `qh`, 128 bytes of nibbles as in q4_K. Bit s of `qh[j]` is the fifth bit of element j
/// of sub-block s; value = d · scale · q - dmin · min.
enum Q5_KFormat: RowFormat {
    static var dotPieceCount: Int { 256 }

    @inline(__always)
    static func byteOffset(ofElement index: Int) -> Int { (index &>> 8) &* 176 }

    @inline(__always)
    static func dequantize(_ row: UnsafeRawPointer, into output: UnsafeMutablePointer<Float>, count: Int,
                           halves: UnsafePointer<Float>) {
        for block in 0..<(count &>> 8) {
            let source = row + block &* 176
            let d = loadScale(source, 0, halves)
            let dmin = loadScale(source, 2, halves)
            for pair in 0..<4 {
                let (factor0, offset0) = kQuantFactors(source, pair &* 2, d: d, dmin: dmin)
                let (factor1, offset1) = kQuantFactors(source, pair &* 2 &+ 1, d: d, dmin: dmin)
                let nibbles = source + (48 &+ pair &* 32)
                let lowShift = UInt8(truncatingIfNeeded: pair &* 2)
                let destination = output + (block &* 256 &+ pair &* 64)
                for index in 0..<32 {
                    let byte = nibbles.load(fromByteOffset: index, as: UInt8.self)
                    let high = source.load(fromByteOffset: 16 &+ index, as: UInt8.self) &>> lowShift
                    let low = (byte & 0x0F) | (high & 1) &<< 4
                    let upper = (byte &>> 4) | (high & 2) &<< 3
                    destination[index] = factor0 * Float(low) - offset0
                    destination[index &+ 32] = factor1 * Float(upper) - offset1
                }
            }
        }
    }

    @inline(__always)
    static func decodeElement(_ row: UnsafeRawPointer, at index: Int) -> Float {
        let block = row + (index &>> 8) &* 176
        let subBlock = (index &>> 5) & 7
        let byte = block.load(fromByteOffset: 48 &+ (subBlock &>> 1) &* 32 &+ index & 31, as: UInt8.self)
        let high = block.load(fromByteOffset: 16 &+ index & 31, as: UInt8.self)
        let low = subBlock & 1 == 0 ? byte & 0x0F : byte &>> 4
        let quant = low | ((high &>> UInt8(subBlock)) & 1) &<< 4
        let (scale, minimum) = kQuantScaleAndMinimum(block + 4, subBlock)
        return loadScale(block, 0) * Float(scale) * Float(quant) - loadScale(block, 2) * Float(minimum)
    }
}

/// q6_K super-blocks (210 bytes): 128 bytes `ql` of low nibbles, 64 bytes `qh` of 2-bit high
/// parts, 16 signed 8-bit scales (one per 16 elements), fp16 d at the end; value =
/// d · scale · (q - 32). Each half h (128 elements) uses `ql[64h..<64h+64]` and
/// `qh[32h..<32h+32]`: element `32g + l` of the half (g in 0..<4, l in 0..<32) takes its low bits
/// from the low (g < 2) or high (g ≥ 2) nibble of `ql[64h + 32(g & 1) + l]` and its high bits
/// from bits `2g, 2g + 1` of `qh[32h + l]`.
enum Q6_KFormat: RowFormat {
    static var dotPieceCount: Int { 256 }

    @inline(__always)
    static func byteOffset(ofElement index: Int) -> Int { (index &>> 8) &* 210 }

    @inline(__always)
    static func dequantize(_ row: UnsafeRawPointer, into output: UnsafeMutablePointer<Float>, count: Int,
                           halves: UnsafePointer<Float>) {
        for block in 0..<(count &>> 8) {
            let source = row + block &* 210
            let d = loadScale(source, 208, halves)
            for half in 0..<2 {
                let low = source + half &* 64
                let high = source + (128 &+ half &* 32)
                let scales = source + (192 &+ half &* 8)
                let destination = output + (block &* 256 &+ half &* 128)
                // Elements l and l + 16 of each 32-element group use neighbouring scales.
                for group16 in 0..<2 {
                    let factor0 = d * Float(scales.load(fromByteOffset: group16, as: Int8.self))
                    let factor1 = d * Float(scales.load(fromByteOffset: group16 &+ 2, as: Int8.self))
                    let factor2 = d * Float(scales.load(fromByteOffset: group16 &+ 4, as: Int8.self))
                    let factor3 = d * Float(scales.load(fromByteOffset: group16 &+ 6, as: Int8.self))
                    for index in (group16 &* 16)..<(group16 &* 16 &+ 16) {
                        let first = Int32(low.load(fromByteOffset: index, as: UInt8.self))
                        let second = Int32(low.load(fromByteOffset: index &+ 32, as: UInt8.self))
                        let bits = Int32(high.load(fromByteOffset: index, as: UInt8.self))
                        let q0 = ((first & 0x0F) | (bits & 0x03) &<< 4) &- 32
                        let q1 = ((second & 0x0F) | (bits & 0x0C) &<< 2) &- 32
                        let q2 = ((first &>> 4) | (bits & 0x30)) &- 32
                        let q3 = ((second &>> 4) | (bits & 0xC0) &>> 2) &- 32
                        destination[index] = factor0 * Float(q0)
                        destination[index &+ 32] = factor1 * Float(q1)
                        destination[index &+ 64] = factor2 * Float(q2)
                        destination[index &+ 96] = factor3 * Float(q3)
                    }
                }
            }
        }
    }

    @inline(__always)
    static func decodeElement(_ row: UnsafeRawPointer, at index: Int) -> Float {
        let block = row + (index &>> 8) &* 210
        let half = (index &>> 7) & 1
        let group = (index &>> 5) & 3
        let lane = index & 31
        let lowByte = block.load(fromByteOffset: half &* 64 &+ (group & 1) &* 32 &+ lane, as: UInt8.self)
        let low = group < 2 ? lowByte & 0x0F : lowByte &>> 4
        let highByte = block.load(fromByteOffset: 128 &+ half &* 32 &+ lane, as: UInt8.self)
        let high = (highByte &>> UInt8(group &* 2)) & 0x03
        let quant = Int32(low | high &<< 4) &- 32
        let scale = block.load(fromByteOffset: 192 &+ (index & 255) &>> 4, as: Int8.self)
        return loadScale(block, 208) * Float(scale) * Float(quant)
    }
}
