import NextTokenCore

// The six storage types as `RowFormat`s. Each row decoder is a plain loop that stores floats
// (the shape optimizers vectorize reliably: widening loads, conversions, vector stores); the
// scalar `decodeElement` performs the same arithmetic per element, and the tests compare the two
// bit for bit.

/// The fp16 value stored at `byteOffset`.
@inline(__always)
func loadScale(_ base: UnsafeRawPointer, _ byteOffset: Int) -> Float {
    Float(fp16Bits: base.loadUnaligned(fromByteOffset: byteOffset, as: UInt16.self))
}

/// The fp16 value stored at `byteOffset`, looked up in `halves` (``HalfTable/values``).
@inline(__always)
func loadScale(_ base: UnsafeRawPointer, _ byteOffset: Int, _ halves: UnsafePointer<Float>) -> Float {
    halves[Int(base.loadUnaligned(fromByteOffset: byteOffset, as: UInt16.self))]
}

/// 32-bit floats.
enum F32Format: RowFormat {
    @inline(__always)
    static func byteOffset(ofElement index: Int) -> Int { index &* 4 }

    @inline(__always)
    static func dequantize(_ row: UnsafeRawPointer, into output: UnsafeMutablePointer<Float>, count: Int,
                           halves: UnsafePointer<Float>) {
        UnsafeMutableRawPointer(output).copyMemory(from: row, byteCount: count &* 4)
    }

    @inline(__always)
    static func decodeElement(_ row: UnsafeRawPointer, at index: Int) -> Float {
        row.loadUnaligned(fromByteOffset: index &* 4, as: Float.self)
    }
}

/// IEEE half floats, decoded by `Float(fp16Bits:)`.
enum F16Format: RowFormat {
    @inline(__always)
    static func byteOffset(ofElement index: Int) -> Int { index &* 2 }

    @inline(__always)
    static func dequantize(_ row: UnsafeRawPointer, into output: UnsafeMutablePointer<Float>, count: Int,
                           halves: UnsafePointer<Float>) {
        for index in 0..<count { output[index] = loadScale(row, index &* 2) }
    }

    @inline(__always)
    static func decodeElement(_ row: UnsafeRawPointer, at index: Int) -> Float {
        loadScale(row, index &* 2)
    }
}

/// bfloat16: the top half of a Float.
enum BF16Format: RowFormat {
    @inline(__always)
    static func byteOffset(ofElement index: Int) -> Int { index &* 2 }

    @inline(__always)
    static func dequantize(_ row: UnsafeRawPointer, into output: UnsafeMutablePointer<Float>, count: Int,
                           halves: UnsafePointer<Float>) {
        for index in 0..<count { output[index] = decodeElement(row, at: index) }
    }

    @inline(__always)
    static func decodeElement(_ row: UnsafeRawPointer, at index: Int) -> Float {
        Float(bf16Bits: row.loadUnaligned(fromByteOffset: index &* 2, as: UInt16.self))
    }
}

/// q8_0 blocks (34 bytes): fp16 scale d, 32 signed bytes q; value = q · d.
enum Q8_0Format: RowFormat {
    @inline(__always)
    static func byteOffset(ofElement index: Int) -> Int { (index &>> 5) &* 34 }

    @inline(__always)
    static func dequantize(_ row: UnsafeRawPointer, into output: UnsafeMutablePointer<Float>, count: Int,
                           halves: UnsafePointer<Float>) {
        for block in 0..<(count &>> 5) {
            let source = row + block &* 34
            let scale = loadScale(source, 0, halves)
            let destination = output + block &* 32
            for index in 0..<32 {
                destination[index] = Float(source.load(fromByteOffset: 2 &+ index, as: Int8.self)) * scale
            }
        }
    }

    @inline(__always)
    static func decodeElement(_ row: UnsafeRawPointer, at index: Int) -> Float {
        let block = row + (index &>> 5) &* 34
        return Float(block.load(fromByteOffset: 2 &+ index & 31, as: Int8.self)) * loadScale(block, 0)
    }
}

/// q4_0 blocks (18 bytes): fp16 scale d, 16 bytes whose low nibbles are elements 0..<16 and high
/// nibbles elements 16..<32; value = (q - 8) · d.
enum Q4_0Format: RowFormat {
    @inline(__always)
    static func byteOffset(ofElement index: Int) -> Int { (index &>> 5) &* 18 }

    @inline(__always)
    static func dequantize(_ row: UnsafeRawPointer, into output: UnsafeMutablePointer<Float>, count: Int,
                           halves: UnsafePointer<Float>) {
        for block in 0..<(count &>> 5) {
            let source = row + block &* 18
            let scale = loadScale(source, 0, halves)
            let destination = output + block &* 32
            for index in 0..<16 {
                let byte = source.load(fromByteOffset: 2 &+ index, as: UInt8.self)
                destination[index] = (Float(byte & 0x0F) - 8) * scale
                destination[index &+ 16] = (Float(byte &>> 4) - 8) * scale
            }
        }
    }

    @inline(__always)
    static func decodeElement(_ row: UnsafeRawPointer, at index: Int) -> Float {
        let block = row + (index &>> 5) &* 18
        let byte = block.load(fromByteOffset: 2 &+ index & 15, as: UInt8.self)
        let nibble = index & 16 == 0 ? byte & 0x0F : byte &>> 4
        return (Float(nibble) - 8) * loadScale(block, 0)
    }
}

/// q4_1 blocks (20 bytes): fp16 scale d, fp16 minimum m, 16 bytes of nibbles packed as in q4_0;
/// value = q · d + m, with one rounding (fused multiply-add).
enum Q4_1Format: RowFormat {
    @inline(__always)
    static func byteOffset(ofElement index: Int) -> Int { (index &>> 5) &* 20 }

    @inline(__always)
    static func dequantize(_ row: UnsafeRawPointer, into output: UnsafeMutablePointer<Float>, count: Int,
                           halves: UnsafePointer<Float>) {
        for block in 0..<(count &>> 5) {
            let source = row + block &* 20
            let scale = loadScale(source, 0, halves)
            let minimum = loadScale(source, 2, halves)
            let destination = output + block &* 32
            for index in 0..<16 {
                let byte = source.load(fromByteOffset: 4 &+ index, as: UInt8.self)
                destination[index] = minimum.addingProduct(Float(byte & 0x0F), scale)
                destination[index &+ 16] = minimum.addingProduct(Float(byte &>> 4), scale)
            }
        }
    }

    @inline(__always)
    static func decodeElement(_ row: UnsafeRawPointer, at index: Int) -> Float {
        let block = row + (index &>> 5) &* 20
        let byte = block.load(fromByteOffset: 4 &+ index & 15, as: UInt8.self)
        let nibble = index & 16 == 0 ? byte & 0x0F : byte &>> 4
        return loadScale(block, 2).addingProduct(Float(nibble), loadScale(block, 0))
    }
}
