import NextTokenCore
import NextTokenKernels

/// SplitMix64: a small seeded generator, so every run sees the same "random" data.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// The types with kernels, for parameterized tests.
let kernelTypes: [GGMLType] = [.f32, .f16, .bf16, .q8_0, .q4_0, .q4_1]

/// Encoded rows with owned storage.
final class EncodedMatrix {
    let type: GGMLType
    let rowCount: Int
    let columnCount: Int
    let bytes: UnsafeMutableRawPointer
    let rowByteCount: Int

    /// Random rows whose values are finite and of moderate size (scales in ±1/16, floats in ±1),
    /// or, with `anyBits`, completely random bytes (NaN and infinite scales included).
    init(type: GGMLType, rowCount: Int, columnCount: Int, anyBits: Bool = false,
         generator: inout SeededGenerator) {
        let layout = type.blockLayout!
        self.type = type
        self.rowCount = rowCount
        self.columnCount = columnCount
        rowByteCount = columnCount / layout.elementCount * layout.byteCount
        bytes = .allocate(byteCount: max(rowByteCount * rowCount, 1), alignment: 64)
        for offset in 0..<(rowByteCount * rowCount) {
            bytes.storeBytes(of: UInt8.random(in: 0...255, using: &generator), toByteOffset: offset, as: UInt8.self)
        }
        guard !anyBits else { return }
        let elementCount = rowCount * columnCount
        switch type {
        case .f32:
            for index in 0..<elementCount {
                bytes.storeBytes(of: Float.random(in: -1...1, using: &generator), toByteOffset: 4 * index, as: Float.self)
            }
        case .f16, .bf16:
            for index in 0..<elementCount {
                let value = Float.random(in: -1...1, using: &generator)
                let bits = type == .f16 ? UInt16(fp16From: value) : UInt16(bf16From: value)
                bytes.storeBytes(of: bits, toByteOffset: 2 * index, as: UInt16.self)
            }
        default:
            for block in 0..<(elementCount / 32) {
                let start = block * layout.byteCount
                let scale = UInt16(fp16From: Float.random(in: -0.0625...0.0625, using: &generator))
                bytes.storeBytes(of: scale, toByteOffset: start, as: UInt16.self)
                if type == .q4_1 {
                    let minimum = UInt16(fp16From: Float.random(in: -0.5...0.5, using: &generator))
                    bytes.storeBytes(of: minimum, toByteOffset: start + 2, as: UInt16.self)
                }
            }
        }
    }

    deinit { bytes.deallocate() }

    func row(_ index: Int) -> UnsafeRawPointer { UnsafeRawPointer(bytes + index * rowByteCount) }

    var matrix: WeightMatrix {
        get throws { try WeightMatrix(type: type, rowCount: rowCount, columnCount: columnCount, base: bytes) }
    }
}

/// `count` random floats in ±1 (owned).
func randomVector(_ count: Int, generator: inout SeededGenerator) -> [Float] {
    (0..<count).map { _ in Float.random(in: -1...1, using: &generator) }
}

/// The fast and reference row kernels of one type.
struct RowKernelSet {
    let dot: (UnsafeRawPointer, UnsafePointer<Float>, Int) -> Float
    let dotReference: (UnsafeRawPointer, UnsafePointer<Float>, Int) -> Float
    let dequantize: (UnsafeRawPointer, UnsafeMutablePointer<Float>, Int) -> Void
    let dequantizeReference: (UnsafeRawPointer, UnsafeMutablePointer<Float>, Int) -> Void

    init(_ type: GGMLType) {
        switch type {
        case .f32:
            dot = { RowKernels.dotF32F32($0, $1, count: $2) }
            dotReference = { RowKernels.dotF32F32Reference($0, $1, count: $2) }
            dequantize = { RowKernels.dequantizeF32($0, into: $1, count: $2) }
            dequantizeReference = { RowKernels.dequantizeF32Reference($0, into: $1, count: $2) }
        case .f16:
            dot = { RowKernels.dotF16F32($0, $1, count: $2) }
            dotReference = { RowKernels.dotF16F32Reference($0, $1, count: $2) }
            dequantize = { RowKernels.dequantizeF16($0, into: $1, count: $2) }
            dequantizeReference = { RowKernels.dequantizeF16Reference($0, into: $1, count: $2) }
        case .bf16:
            dot = { RowKernels.dotBF16F32($0, $1, count: $2) }
            dotReference = { RowKernels.dotBF16F32Reference($0, $1, count: $2) }
            dequantize = { RowKernels.dequantizeBF16($0, into: $1, count: $2) }
            dequantizeReference = { RowKernels.dequantizeBF16Reference($0, into: $1, count: $2) }
        case .q8_0:
            dot = { RowKernels.dotQ8_0F32($0, $1, count: $2) }
            dotReference = { RowKernels.dotQ8_0F32Reference($0, $1, count: $2) }
            dequantize = { RowKernels.dequantizeQ8_0($0, into: $1, count: $2) }
            dequantizeReference = { RowKernels.dequantizeQ8_0Reference($0, into: $1, count: $2) }
        case .q4_0:
            dot = { RowKernels.dotQ4_0F32($0, $1, count: $2) }
            dotReference = { RowKernels.dotQ4_0F32Reference($0, $1, count: $2) }
            dequantize = { RowKernels.dequantizeQ4_0($0, into: $1, count: $2) }
            dequantizeReference = { RowKernels.dequantizeQ4_0Reference($0, into: $1, count: $2) }
        default:
            dot = { RowKernels.dotQ4_1F32($0, $1, count: $2) }
            dotReference = { RowKernels.dotQ4_1F32Reference($0, $1, count: $2) }
            dequantize = { RowKernels.dequantizeQ4_1($0, into: $1, count: $2) }
            dequantizeReference = { RowKernels.dequantizeQ4_1Reference($0, into: $1, count: $2) }
        }
    }
}

/// Equal bits, or both NaN (NaN payloads may legitimately differ between code paths).
func sameFloat(_ a: Float, _ b: Float) -> Bool {
    a.bitPattern == b.bitPattern || (a.isNaN && b.isNaN)
}
