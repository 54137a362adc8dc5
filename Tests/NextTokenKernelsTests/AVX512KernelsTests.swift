#if arch(x86_64)
import Testing
import NextTokenCore
import NextTokenKernelsAVX512
@testable import NextTokenKernels

@Suite("AVX-512 kernels against the AVX2 ones")
struct AVX512KernelsTests {
    @Test("tiles of float rows: every element equals the row kernel's dot product bit for bit",
          .enabled(if: CPUFeatures.avx512))
    func tilesMatchRowKernels() {
        var generator = SeededGenerator(seed: 0xA512)
        for columns in [16, 83, 576] {
            let rows = EncodedMatrix(type: .f32, rowCount: 11, columnCount: columns, generator: &generator)
            for batch in [1, 2, 3, 5] {
                let inputs = randomVector(batch * columns, generator: &generator)
                var output = [Float](repeating: .nan, count: batch * 11)
                inputs.withUnsafeBufferPointer { input in
                    output.withUnsafeMutableBufferPointer {
                        AVX512Kernels.multiplyTile(
                            rows.bytes, rowStride: rows.rowByteCount, rowCount: 11, columns: columns,
                            input: input.baseAddress!, inputStride: columns, batch: batch, output: $0.baseAddress!,
                            outputStride: 11)
                    }
                }
                var mismatches = 0
                for vector in 0 ..< batch {
                    for row in 0 ..< 11 {
                        let expected = inputs.withUnsafeBufferPointer {
                            RowKernels.dotF32F32(rows.row(row), $0.baseAddress! + vector * columns, count: columns)
                        }
                        if output[vector * 11 + row].bitPattern != expected.bitPattern { mismatches += 1 }
                    }
                }
                #expect(mismatches == 0, "\(columns) columns, batch \(batch)")
            }
        }
    }

    @Test("single vectors over block rows equal the row kernels bit for bit", .enabled(if: CPUFeatures.avx512),
          arguments: [GGMLType.q8_0, .q4_0, .q4_1])
    func singleVectorsMatchRowKernels(type: GGMLType) {
        var generator = SeededGenerator(seed: 0xB512 + UInt64(type.rawValue))
        let blockType: AVX512Kernels.BlockType = switch type {
        case .q8_0: .q8_0
        case .q4_0: .q4_0
        default: .q4_1
        }
        let kernels = RowKernelSet(type)
        for columns in [32, 96, 576] {
            let rows = EncodedMatrix(type: type, rowCount: 13, columnCount: columns, anyBits: columns == 96,
                                     generator: &generator)
            let input = randomVector(columns, generator: &generator)
            var output = [Float](repeating: .nan, count: 13)
            input.withUnsafeBufferPointer { x in
                output.withUnsafeMutableBufferPointer {
                    AVX512Kernels.multiplySingleVector(
                        blockType, base: rows.bytes, rowByteCount: rows.rowByteCount, rows: 0 ..< 13, columns: columns,
                        input: x.baseAddress!, halves: HalfTable.values, output: $0.baseAddress!)
                }
            }
            for row in 0 ..< 13 {
                let expected = input.withUnsafeBufferPointer { kernels.dot(rows.row(row), $0.baseAddress!, columns) }
                #expect(sameFloat(output[row], expected), "\(type.name), \(columns) columns, row \(row)")
            }
        }
    }
}
#endif
