import Testing
import NextTokenCore
import NextTokenKernels

@Suite("Row kernels against their scalar references")
struct RowKernelsTests {
    /// Row lengths: whole chunks for every type, plus remainders for the element types.
    static func lengths(for type: GGMLType) -> [Int] {
        switch type.blockLayout?.elementCount {
        case 1: [0, 1, 7, 15, 16, 17, 31, 32, 33, 47, 48, 63, 100, 256, 301]
        case 256: [0, 256, 512, 768, 2048]
        default: [0, 32, 64, 96, 256, 576, 640]
        }
    }

    @Test("fast dequantization equals the reference bit for bit, for finite scales and any bytes",
          arguments: kernelTypes, [false, true])
    func dequantizeMatchesReference(type: GGMLType, anyBits: Bool) {
        var generator = SeededGenerator(seed: 0xD0 + UInt64(type.rawValue) + (anyBits ? 0x100 : 0))
        let kernels = RowKernelSet(type)
        for length in Self.lengths(for: type) {
            let rows = EncodedMatrix(type: type, rowCount: 8, columnCount: length, anyBits: anyBits,
                                     generator: &generator)
            var fast = [Float](repeating: 0, count: length)
            var reference = [Float](repeating: 1, count: length)
            var mismatches = 0
            for row in 0..<rows.rowCount {
                fast.withUnsafeMutableBufferPointer { kernels.dequantize(rows.row(row), $0.baseAddress!, length) }
                reference.withUnsafeMutableBufferPointer {
                    kernels.dequantizeReference(rows.row(row), $0.baseAddress!, length)
                }
                mismatches += zip(fast, reference).filter { !sameFloat($0, $1) }.count
            }
            #expect(mismatches == 0, "\(type.name), \(length) columns, any bits: \(anyBits)")
        }
    }

    @Test("fast dot products agree with the reference within 1e-5 of Σ|w·x|", arguments: kernelTypes)
    func dotMatchesReference(type: GGMLType) {
        var generator = SeededGenerator(seed: 0xD07 + UInt64(type.rawValue))
        let kernels = RowKernelSet(type)
        for length in Self.lengths(for: type) {
            let rows = EncodedMatrix(type: type, rowCount: 16, columnCount: length, generator: &generator)
            let input = randomVector(length, generator: &generator)
            var weights = [Float](repeating: 0, count: length)
            for row in 0..<rows.rowCount {
                weights.withUnsafeMutableBufferPointer { kernels.dequantizeReference(rows.row(row), $0.baseAddress!, length) }
                let magnitude = zip(weights, input).reduce(0.0) { $0 + Double(abs($1.0 * $1.1)) }
                let fast = input.withUnsafeBufferPointer { kernels.dot(rows.row(row), $0.baseAddress!, length) }
                let reference = input.withUnsafeBufferPointer {
                    kernels.dotReference(rows.row(row), $0.baseAddress!, length)
                }
                #expect(abs(Double(fast) - Double(reference)) <= 1e-5 * magnitude + 1e-30,
                        "\(type.name), \(length) columns, row \(row): \(fast) vs \(reference)")
            }
        }
    }

    @Test("the f16 row decoder matches Float(fp16Bits:) on all 65536 patterns")
    func f16RowDecoderCoversEveryHalf() {
        var halves = (0...UInt16.max).map { $0 }
        var decoded = [Float](repeating: 0, count: halves.count)
        halves.withUnsafeMutableBytes { raw in
            decoded.withUnsafeMutableBufferPointer {
                RowKernels.dequantizeF16(raw.baseAddress!, into: $0.baseAddress!, count: 65536)
            }
        }
        let mismatches = halves.indices.filter {
            decoded[$0].bitPattern != Float(fp16Bits: halves[$0]).bitPattern
        }
        #expect(mismatches.isEmpty, "first mismatching pattern: \(mismatches.first.map { halves[$0] } ?? 0)")
        halves.removeAll()
    }

    @Test("quantized values follow ggml's block layouts")
    func blockLayouts() {
        // q4_0: d = 0.5, byte j holds element j (low nibble) and element j + 16 (high nibble).
        var q4_0 = [UInt8](repeating: 0, count: 18)
        withUnsafeBytes(of: UInt16(fp16From: 0.5).littleEndian) { q4_0[0] = $0[0]; q4_0[1] = $0[1] }
        q4_0[2] = 0xF0  // element 0: 0 - 8, element 16: 15 - 8
        q4_0[3] = 0x19  // element 1: 9 - 8, element 17: 1 - 8
        // q4_1: d = 2, m = -1.
        var q4_1 = [UInt8](repeating: 0, count: 20)
        withUnsafeBytes(of: UInt16(fp16From: 2).littleEndian) { q4_1[0] = $0[0]; q4_1[1] = $0[1] }
        withUnsafeBytes(of: UInt16(fp16From: -1).littleEndian) { q4_1[2] = $0[0]; q4_1[3] = $0[1] }
        q4_1[4] = 0x3A  // element 0: 10 * 2 - 1, element 16: 3 * 2 - 1
        // q8_0: d = 0.25, element 31 = -128.
        var q8_0 = [UInt8](repeating: 0, count: 34)
        withUnsafeBytes(of: UInt16(fp16From: 0.25).littleEndian) { q8_0[0] = $0[0]; q8_0[1] = $0[1] }
        q8_0[2] = 7
        q8_0[33] = 0x80
        var values = [Float](repeating: 0, count: 32)
        func decode(_ bytes: [UInt8], _ kernel: (UnsafeRawPointer, UnsafeMutablePointer<Float>, Int) -> Void) -> [Float] {
            bytes.withUnsafeBytes { raw in
                values.withUnsafeMutableBufferPointer { kernel(raw.baseAddress!, $0.baseAddress!, 32) }
            }
            return values
        }
        let a = decode(q4_0) { RowKernels.dequantizeQ4_0($0, into: $1, count: $2) }
        #expect([a[0], a[1], a[2], a[16], a[17], a[18]] == [-4, 0.5, -4, 3.5, -3.5, -4])
        let b = decode(q4_1) { RowKernels.dequantizeQ4_1($0, into: $1, count: $2) }
        #expect([b[0], b[16], b[1]] == [19, 5, -1])
        let c = decode(q8_0) { RowKernels.dequantizeQ8_0($0, into: $1, count: $2) }
        #expect([c[0], c[1], c[31]] == [1.75, 0, -32])
    }
}
