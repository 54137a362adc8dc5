// The 5-bit block types of ggml as `RowFormat`s. A block holds 32 elements: 16 bytes of low
// nibbles packed as in q4_0 (byte j: element j in the low nibble, element j + 16 in the high
// nibble) and a little-endian 32-bit word `qh` whose bit i is the fifth bit of element i.

/// The 5-bit quant of element `index` (0..<32) of the block whose `qh` word is `high` and whose
/// nibbles start at `nibbles`.
@inline(__always)
private func fiveBitQuant(_ nibbles: UnsafeRawPointer, high: UInt32, at index: Int) -> UInt32 {
    let byte = UInt32(nibbles.load(fromByteOffset: index & 15, as: UInt8.self))
    let low = index & 16 == 0 ? byte & 0x0F : byte &>> 4
    return low | ((high &>> UInt32(index)) & 1) &<< 4
}

/// The `qh` word at `byteOffset` of a block.
@inline(__always)
private func loadHighBits(_ block: UnsafeRawPointer, _ byteOffset: Int) -> UInt32 {
    UInt32(littleEndian: block.loadUnaligned(fromByteOffset: byteOffset, as: UInt32.self))
}

/// q5_0 blocks (22 bytes): fp16 scale d, `qh`, 16 bytes of nibbles; value = (q - 16) · d.
enum Q5_0Format: RowFormat {
    @inline(__always)
    static func byteOffset(ofElement index: Int) -> Int { (index &>> 5) &* 22 }

    @inline(__always)
    static func dequantize(_ row: UnsafeRawPointer, into output: UnsafeMutablePointer<Float>, count: Int,
                           halves: UnsafePointer<Float>) {
        for block in 0..<(count &>> 5) {
            let source = row + block &* 22
            let scale = loadScale(source, 0, halves)
            let high = loadHighBits(source, 2)
            let destination = output + block &* 32
            for index in 0..<16 {
                let byte = UInt32(source.load(fromByteOffset: 6 &+ index, as: UInt8.self))
                let low = (byte & 0x0F) | ((high &>> UInt32(index)) & 1) &<< 4
                let upper = (byte &>> 4) | ((high &>> UInt32(index &+ 16)) & 1) &<< 4
                destination[index] = Float(Int32(bitPattern: low) &- 16) * scale
                destination[index &+ 16] = Float(Int32(bitPattern: upper) &- 16) * scale
            }
        }
    }

    @inline(__always)
    static func decodeElement(_ row: UnsafeRawPointer, at index: Int) -> Float {
        let block = row + (index &>> 5) &* 22
        let quant = fiveBitQuant(block + 6, high: loadHighBits(block, 2), at: index & 31)
        return Float(Int32(bitPattern: quant) &- 16) * loadScale(block, 0)
    }
}

/// q5_1 blocks (24 bytes): fp16 scale d, fp16 minimum m, `qh`, 16 bytes of nibbles;
/// value = q · d + m.
enum Q5_1Format: RowFormat {
    @inline(__always)
    static func byteOffset(ofElement index: Int) -> Int { (index &>> 5) &* 24 }

    @inline(__always)
    static func dequantize(_ row: UnsafeRawPointer, into output: UnsafeMutablePointer<Float>, count: Int,
                           halves: UnsafePointer<Float>) {
        for block in 0..<(count &>> 5) {
            let source = row + block &* 24
            let scale = loadScale(source, 0, halves)
            let minimum = loadScale(source, 2, halves)
            let high = loadHighBits(source, 4)
            let destination = output + block &* 32
            for index in 0..<16 {
                let byte = UInt32(source.load(fromByteOffset: 8 &+ index, as: UInt8.self))
                let low = (byte & 0x0F) | ((high &>> UInt32(index)) & 1) &<< 4
                let upper = (byte &>> 4) | ((high &>> UInt32(index &+ 16)) & 1) &<< 4
                destination[index] = Float(low) * scale + minimum
                destination[index &+ 16] = Float(upper) * scale + minimum
            }
        }
    }

    @inline(__always)
    static func decodeElement(_ row: UnsafeRawPointer, at index: Int) -> Float {
        let block = row + (index &>> 5) &* 24
        let quant = fiveBitQuant(block + 8, high: loadHighBits(block, 4), at: index & 31)
        return Float(quant) * loadScale(block, 0) + loadScale(block, 2)
    }
}
