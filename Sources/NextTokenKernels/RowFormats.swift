import NextTokenCore

// The six storage types as `RowFormat`s. Chunk decoders and scalar element decoders perform the
// same arithmetic per element (the tests compare them bit for bit).

/// Converts 16 bytes to floats; written lane by lane so the optimizer turns it into a widening
/// and one conversion (the generic SIMD initializer is not inlined).
@inline(__always)
func floats(_ bytes: SIMD16<UInt8>) -> SIMD16<Float> {
    var result = SIMD16<Float>()
    for lane in 0..<16 { result[lane] = Float(bytes[lane]) }
    return result
}

/// Converts 16 signed bytes to floats (see the unsigned overload).
@inline(__always)
func floats(_ bytes: SIMD16<Int8>) -> SIMD16<Float> {
    var result = SIMD16<Float>()
    for lane in 0..<16 { result[lane] = Float(bytes[lane]) }
    return result
}

/// The fp16 block scale stored at `byteOffset`.
@inline(__always)
func loadScale(_ base: UnsafeRawPointer, _ byteOffset: Int) -> Float {
    Float(fp16Bits: base.loadUnaligned(fromByteOffset: byteOffset, as: UInt16.self))
}

/// 32-bit floats.
enum F32Format: RowFormat {
    static var chunkByteCount: Int { 128 }

    @inline(__always)
    static func decodeChunk(_ chunk: UnsafeRawPointer) -> (low: SIMD16<Float>, high: SIMD16<Float>) {
        (loadGroup(chunk, 0), loadGroup(chunk, 64))
    }

    @inline(__always)
    static func decodeElement(_ row: UnsafeRawPointer, at index: Int) -> Float {
        row.loadUnaligned(fromByteOffset: index &* 4, as: Float.self)
    }
}

/// IEEE half floats; the lanes follow `Float(fp16Bits:)` step by step.
enum F16Format: RowFormat {
    static var chunkByteCount: Int { 64 }

    @inline(__always)
    static func decodeGroup(_ bits: SIMD16<UInt16>) -> SIMD16<Float> {
        var wide = SIMD16<UInt32>()
        for lane in 0..<16 { wide[lane] = UInt32(bits[lane]) }
        let shifted = unsafeBitCast((wide & 0x7FFF) &<< 13, to: SIMD16<Float>.self)
        let magnitude = shifted * Float(bitPattern: 0x7780_0000)
        var magnitudeBits = unsafeBitCast(magnitude, to: SIMD16<UInt32>.self)
        magnitudeBits.replace(with: magnitudeBits | 0x7F80_0000, where: magnitude .>= 65536)
        return unsafeBitCast(magnitudeBits | ((wide & 0x8000) &<< 16), to: SIMD16<Float>.self)
    }

    @inline(__always)
    static func decodeChunk(_ chunk: UnsafeRawPointer) -> (low: SIMD16<Float>, high: SIMD16<Float>) {
        (decodeGroup(chunk.loadUnaligned(as: SIMD16<UInt16>.self)),
         decodeGroup(chunk.loadUnaligned(fromByteOffset: 32, as: SIMD16<UInt16>.self)))
    }

    @inline(__always)
    static func decodeElement(_ row: UnsafeRawPointer, at index: Int) -> Float {
        loadScale(row, index &* 2)
    }
}

/// bfloat16: the top half of a Float.
enum BF16Format: RowFormat {
    static var chunkByteCount: Int { 64 }

    @inline(__always)
    static func decodeGroup(_ bits: SIMD16<UInt16>) -> SIMD16<Float> {
        var wide = SIMD16<UInt32>()
        for lane in 0..<16 { wide[lane] = UInt32(bits[lane]) }
        return unsafeBitCast(wide &<< 16, to: SIMD16<Float>.self)
    }

    @inline(__always)
    static func decodeChunk(_ chunk: UnsafeRawPointer) -> (low: SIMD16<Float>, high: SIMD16<Float>) {
        (decodeGroup(chunk.loadUnaligned(as: SIMD16<UInt16>.self)),
         decodeGroup(chunk.loadUnaligned(fromByteOffset: 32, as: SIMD16<UInt16>.self)))
    }

    @inline(__always)
    static func decodeElement(_ row: UnsafeRawPointer, at index: Int) -> Float {
        Float(bf16Bits: row.loadUnaligned(fromByteOffset: index &* 2, as: UInt16.self))
    }
}

/// q8_0 blocks (34 bytes): fp16 scale d, 32 signed bytes q; value = q * d.
enum Q8_0Format: RowFormat {
    static var chunkByteCount: Int { 34 }

    @inline(__always)
    static func decodeChunk(_ chunk: UnsafeRawPointer) -> (low: SIMD16<Float>, high: SIMD16<Float>) {
        let scale = loadScale(chunk, 0)
        let low = chunk.loadUnaligned(fromByteOffset: 2, as: SIMD16<Int8>.self)
        let high = chunk.loadUnaligned(fromByteOffset: 18, as: SIMD16<Int8>.self)
        return (floats(low) * scale, floats(high) * scale)
    }

    @inline(__always)
    static func decodeElement(_ row: UnsafeRawPointer, at index: Int) -> Float {
        let block = row + (index &>> 5) &* 34
        let quant = block.loadUnaligned(fromByteOffset: 2 &+ index & 31, as: Int8.self)
        return Float(quant) * loadScale(block, 0)
    }
}

/// q4_0 blocks (18 bytes): fp16 scale d, 16 bytes whose low nibbles are elements 0..<16 and high
/// nibbles elements 16..<32; value = (q - 8) * d.
enum Q4_0Format: RowFormat {
    static var chunkByteCount: Int { 18 }

    @inline(__always)
    static func decodeChunk(_ chunk: UnsafeRawPointer) -> (low: SIMD16<Float>, high: SIMD16<Float>) {
        let scale = loadScale(chunk, 0)
        let packed = chunk.loadUnaligned(fromByteOffset: 2, as: SIMD16<UInt8>.self)
        return ((floats(packed & 0x0F) - 8) * scale, (floats(packed &>> 4) - 8) * scale)
    }

    @inline(__always)
    static func decodeElement(_ row: UnsafeRawPointer, at index: Int) -> Float {
        let block = row + (index &>> 5) &* 18
        let byte = block.loadUnaligned(fromByteOffset: 2 &+ index & 15, as: UInt8.self)
        let nibble = index & 16 == 0 ? byte & 0x0F : byte &>> 4
        return (Float(nibble) - 8) * loadScale(block, 0)
    }
}

/// q4_1 blocks (20 bytes): fp16 scale d, fp16 minimum m, 16 bytes of nibbles packed as in q4_0;
/// value = q * d + m.
enum Q4_1Format: RowFormat {
    static var chunkByteCount: Int { 20 }

    @inline(__always)
    static func decodeChunk(_ chunk: UnsafeRawPointer) -> (low: SIMD16<Float>, high: SIMD16<Float>) {
        let scale = loadScale(chunk, 0)
        let minimum = loadScale(chunk, 2)
        let packed = chunk.loadUnaligned(fromByteOffset: 4, as: SIMD16<UInt8>.self)
        return (floats(packed & 0x0F) * scale + minimum, floats(packed &>> 4) * scale + minimum)
    }

    @inline(__always)
    static func decodeElement(_ row: UnsafeRawPointer, at index: Int) -> Float {
        let block = row + (index &>> 5) &* 20
        let byte = block.loadUnaligned(fromByteOffset: 4 &+ index & 15, as: UInt8.self)
        let nibble = index & 16 == 0 ? byte & 0x0F : byte &>> 4
        return Float(nibble) * loadScale(block, 0) + loadScale(block, 2)
    }
}
