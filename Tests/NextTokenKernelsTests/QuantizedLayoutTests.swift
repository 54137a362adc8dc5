import Testing
import NextTokenCore
import NextTokenKernels

/// The 5-bit and k-quant decoders against values computed independently by gguf-py.
@Suite("Quantized block layouts against gguf-py")
struct QuantizedLayoutTests {
    /// 512 elements of `type`: byte i of the row is `(73 i + 41) mod 256`, then in block k the
    /// fp16 fields are overwritten: d = (k + 1) / 64 (at byte 0, or at byte 208 for q6_K), and
    /// m = -(k + 1) / 8 (q5_1) or dmin = (k + 1) / 128 (q4_K, q5_K) at byte 2.
    static func patternRow(_ type: GGMLType) -> [UInt8] {
        guard let layout = type.blockLayout else { return [] }
        let blockCount = 512 / layout.elementCount
        var bytes = (0..<(blockCount * layout.byteCount)).map { UInt8(truncatingIfNeeded: $0 &* 73 &+ 41) }
        func store(_ value: Float, at offset: Int) {
            let bits = UInt16(fp16From: value)
            bytes[offset] = UInt8(truncatingIfNeeded: bits)
            bytes[offset + 1] = UInt8(truncatingIfNeeded: bits >> 8)
        }
        for block in 0..<blockCount {
            let start = block * layout.byteCount
            let k = Float(block + 1)
            switch type {
            case .q6_K: store(k / 64, at: start + 208)
            case .q5_1: store(k / 64, at: start); store(-k / 8, at: start + 2)
            case .q4_K, .q5_K: store(k / 64, at: start); store(k / 128, at: start + 2)
            default: store(k / 64, at: start)
            }
        }
        return bytes
    }

    /// Elements whose values are checked: spread over sub-blocks, halves and blocks.
    static let sampledIndices = [0, 17, 33, 100, 150, 200, 255, 300, 511]

    /// Computed once with gguf-py 0.19.0 and numpy from the same bytes (`patternRow`):
    /// `v = gguf.quants.dequantize(bytes, type).reshape(-1)`;
    /// `weighted = sum(float64(v) * arange(1, 513))`, `values = [str(v[i]) for i in sampledIndices]`.
    static let expected: [(type: GGMLType, weighted: Double, values: [Float])] = [
        (.q5_0, -14733.875, [0.234375, -0.21875, -0.0625, -0.6875, 0.78125, -0.546875, 0.125, 0.15625, 1.0]),
        (.q5_1, 186509.5, [0.140625, 0.296875, -0.1875, 1.3125, 0.0, 0.109375, 0.25, -0.46875, 3.5]),
        (.q4_K, 880080.125,
         [1.4453125, 0.0234375, -0.453125, 9.28125, 4.7265625, 0.84375, -0.1796875, 3.40625, -0.375]),
        (.q5_K, 1395487.625,
         [4.6953125, 0.0234375, 5.734375, 10.53125, 9.9765625, 0.84375, -0.1796875, 0.65625, 9.59375]),
        (.q6_K, -43136.375,
         [2.515625, 1.5625, -57.65625, -33.34375, 59.09375, -6.640625, 4.5, -26.15625, 2.25]),
    ]

    @Test("fast and reference decoders reproduce gguf-py's values", arguments: [0, 1, 2, 3, 4])
    func decodesLikeGGUFPy(entry: Int) {
        let (type, weighted, values) = Self.expected[entry]
        let bytes = Self.patternRow(type)
        let kernels = RowKernelSet(type)
        for (name, decode) in [("fast", kernels.dequantize), ("reference", kernels.dequantizeReference)] {
            var decoded = [Float](repeating: .nan, count: 512)
            bytes.withUnsafeBytes { raw in
                decoded.withUnsafeMutableBufferPointer { decode(raw.baseAddress!, $0.baseAddress!, 512) }
            }
            let sum = decoded.indices.reduce(0.0) { $0 + Double(decoded[$1]) * Double($1 + 1) }
            #expect(sum == weighted, "\(type.name) \(name)")
            #expect(Self.sampledIndices.map { decoded[$0] } == values, "\(type.name) \(name)")
        }
    }

    @Test("q4_K scales and minimums unpack from their 12 bytes")
    func kQuantScales() {
        // d = 0.5, dmin = 0.25; value = 0.5 · scale · q - 0.25 · minimum.
        var block = [UInt8](repeating: 0, count: 144)
        withUnsafeBytes(of: UInt16(fp16From: 0.5).littleEndian) { block[0] = $0[0]; block[1] = $0[1] }
        withUnsafeBytes(of: UInt16(fp16From: 0.25).littleEndian) { block[2] = $0[0]; block[3] = $0[1] }
        block[4 + 1] = 5  // sub-block 1: scale 5
        block[4 + 5] = 9  // sub-block 1: minimum 9
        block[4 + 2] = 0b1000_0000  // sub-block 2: scale 0; sub-block 6: scale bits 4-5 = 0b10
        block[4 + 6] = 0b0100_0000  // sub-block 2: minimum 0; sub-block 6: minimum bits 4-5 = 0b01
        block[4 + 10] = 0xC3  // sub-block 6: scale bits 0-3 = 3, minimum bits 0-3 = 12
        block[4 + 11] = 0x21  // sub-block 7: scale 1, minimum 2
        block[16 + 3] = 0x02  // element 3 of sub-block 0 = 2, of sub-block 1 = 0
        block[16 + 4] = 0x30  // element 4 of sub-block 1 = 3
        block[16 + 32] = 0x07  // element 0 of sub-block 2 = 7
        block[16 + 96 + 5] = 0xA4  // element 5 of sub-block 6 = 4, of sub-block 7 = 10
        var values = [Float](repeating: .nan, count: 256)
        block.withUnsafeBytes { raw in
            values.withUnsafeMutableBufferPointer {
                RowKernels.dequantizeQ4_K(raw.baseAddress!, into: $0.baseAddress!, count: 256)
            }
        }
        #expect(values[3] == 0)
        #expect(values[32 + 3] == -0.25 * 9)
        #expect(values[32 + 4] == 0.5 * 5 * 3 - 0.25 * 9)
        #expect(values[64] == 0)
        #expect(values[192 + 5] == 0.5 * 35 * 4 - 0.25 * 28)
        #expect(values[224 + 5] == 0.5 * 1 * 10 - 0.25 * 2)
    }
}
