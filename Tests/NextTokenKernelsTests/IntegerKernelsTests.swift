import Testing
import NextTokenCore
import NextTokenKernels

/// The integer products (int8 precision): SIMD kernels against their scalar twins bit for bit,
/// against dequantize-then-dot within the activation quantization bound, and batch invariance.
@Suite("Integer kernels")
struct IntegerKernelsTests {
    static let integerTypes: [GGMLType] = [.q8_0, .q4_0, .q4_1, .q5_0, .q5_1, .q4_K, .q5_K, .q6_K]

    /// Random activations with the spread real ones have: mostly small, a few large outliers.
    static func activations(_ count: Int, generator: inout SeededGenerator) -> [Float] {
        (0 ..< count).map { index in
            let value = Float.random(in: -1 ... 1, using: &generator)
            return index % 37 == 5 ? value * 40 : value
        }
    }

    @Test("the activation quantizer equals its scalar twin bit for bit")
    func quantizerMatchesTwin() {
        var generator = SeededGenerator(seed: 0x51)
        var blocks: [[Float]] = (0 ..< 200).map { _ in Self.activations(32, generator: &generator) }
        blocks.append([Float](repeating: 0, count: 32))
        blocks.append((0 ..< 32).map { $0 == 7 ? Float.nan : 1 })
        blocks.append((0 ..< 32).map { $0 == 9 ? -Float.infinity : 1 })
        blocks.append((0 ..< 32).map { Float($0) - 15.5 })  // ties at ±0.5 steps
        for (index, block) in blocks.enumerated() {
            let fast = block.withUnsafeBufferPointer { RowKernels.quantizeActivationBlock($0.baseAddress!, reference: false) }
            let twin = block.withUnsafeBufferPointer { RowKernels.quantizeActivationBlock($0.baseAddress!, reference: true) }
            #expect(fast.0 == twin.0 && fast.1.bitPattern == twin.1.bitPattern && fast.2 == twin.2, "block \(index)")
            #expect(fast.0.allSatisfy { $0 != -128 }, "block \(index)")
        }
    }

    @Test("repacking keeps every weight: each interleaved element is the dequantized value", arguments: integerTypes)
    func repackingKeepsWeights(type: GGMLType) throws {
        var generator = SeededGenerator(seed: 0x7E9 + UInt64(type.rawValue))
        let columns = type.blockLayout!.elementCount == 256 ? 512 : 96
        let rows = EncodedMatrix(type: type, rowCount: 13, columnCount: columns, generator: &generator)
        let matrix = try rows.matrix.interleavingRows()
        let interleaved = try #require(matrix.interleaved)
        let kernels = RowKernelSet(type)
        var expected = [Float](repeating: 0, count: columns)
        var outside = 0
        for row in 0 ..< rows.rowCount {
            expected.withUnsafeMutableBufferPointer { kernels.dequantizeReference(rows.row(row), $0.baseAddress!, columns) }
            for element in 0 ..< columns {
                let value = interleaved.value(row: row, element: element)
                // Rounding of `scale · q + minimum` in two steps against the decoder's one or two.
                if abs(value - expected[element]) > 2e-6 * max(abs(expected[element]), 1e-3) { outside += 1 }
            }
        }
        #expect(outside == 0, "\(type.name)")
    }

    @Test("every kernel shape equals the scalar twin bit for bit, activation blocks of 32 and 16",
          arguments: integerTypes, [32, 16])
    func shapesMatchTwin(type: GGMLType, blockLength: Int) throws {
        var generator = SeededGenerator(seed: 0x1D07 + UInt64(type.rawValue))
        let columns = type.blockLayout!.elementCount == 256 ? 768 : 640
        for anyBits in [false, true] {
            let rows = EncodedMatrix(type: type, rowCount: 12, columnCount: columns, anyBits: anyBits,
                                     generator: &generator)
            let matrix = try rows.matrix.interleavingRows()
            let input = Self.activations(3 * columns, generator: &generator)
            let activations = QuantizedActivations()
            input.withUnsafeBufferPointer {
                activations.quantize($0.baseAddress!, stride: columns, rows: 3, columns: columns, blockLength: blockLength)
            }
            var mismatches = 0
            for row in 0 ..< rows.rowCount {
                for vector in 0 ..< 3 {
                    let twin = try #require(RowKernels.integerDot(matrix, row: row, activations, vector: vector,
                                                                  shape: .reference))
                    for shape in [RowKernels.IntegerShape.oneVector, .fourVectors] {
                        let fast = try #require(RowKernels.integerDot(matrix, row: row, activations, vector: vector,
                                                                      shape: shape))
                        if !sameFloat(fast, twin) { mismatches += 1 }
                    }
                }
            }
            #expect(mismatches == 0, "\(type.name), blocks of \(blockLength), any bits: \(anyBits)")
        }
    }

    /// The integer result differs from the dequantized weights times the Float activations only by
    /// the activation rounding, `|x − q·d| ≤ d/2` per element (plus the quantizer's own rounding of
    /// `x · 127/max|x|`, below 1e-6 of the block's largest value), and Float rounding of the sums.
    @Test("the integer product agrees with dequantize-then-dot within the quantization bound",
          arguments: integerTypes, [32, 16])
    func withinQuantizationBound(type: GGMLType, blockLength: Int) throws {
        var generator = SeededGenerator(seed: 0xB0D + UInt64(type.rawValue))
        let columns = type.blockLayout!.elementCount == 256 ? 512 : 576
        let rows = EncodedMatrix(type: type, rowCount: 24, columnCount: columns, generator: &generator)
        let matrix = try rows.matrix.interleavingRows()
        let input = Self.activations(columns, generator: &generator)
        let activations = QuantizedActivations()
        input.withUnsafeBufferPointer {
            activations.quantize($0.baseAddress!, stride: columns, rows: 1, columns: columns, blockLength: blockLength)
        }
        let kernels = RowKernelSet(type)
        var weights = [Float](repeating: 0, count: columns)
        var tightest = 0.0
        for row in 0 ..< rows.rowCount {
            weights.withUnsafeMutableBufferPointer { kernels.dequantizeReference(rows.row(row), $0.baseAddress!, columns) }
            var exact = 0.0, bound = 0.0, magnitude = 0.0
            for block in 0 ..< columns / blockLength {
                let elements = block * blockLength ..< (block + 1) * blockLength
                let largest = elements.map { Double(abs(input[$0])) }.max()!
                let step = largest / 127
                for element in elements {
                    exact += Double(weights[element]) * Double(input[element])
                    bound += Double(abs(weights[element])) * (step / 2 + 1e-6 * largest)
                    magnitude += Double(abs(weights[element] * activations.dequantized(row: 0, element: element)))
                }
            }
            bound += 1e-5 * magnitude + 1e-6
            let integer = try #require(RowKernels.integerDot(matrix, row: row, activations, vector: 0, shape: .oneVector))
            #expect(abs(Double(integer) - exact) <= bound, "\(type.name) row \(row): \(integer) vs \(exact), bound \(bound)")
            tightest = max(tightest, abs(Double(integer) - exact) / bound)
        }
        #expect(tightest > 0.01, "\(type.name): the bound is never approached; the test would not notice a looser kernel")
    }

    @Test("matrix products are bit-identical for batch sizes 1…64, rows anywhere in the batch, 1 or 2 threads",
          arguments: integerTypes)
    func batchInvariance(type: GGMLType) throws {
        var generator = SeededGenerator(seed: 0xBA7 + UInt64(type.rawValue))
        let columns = type.blockLayout!.elementCount == 256 ? 512 : 576
        let rows = EncodedMatrix(type: type, rowCount: 37, columnCount: columns, generator: &generator)
        let matrix = try rows.matrix.interleavingRows()
        let input = Self.activations(64 * columns, generator: &generator)
        let pools = [WorkerPool(threadCount: 1), WorkerPool(threadCount: 2)]
        var expected: [[Float]] = []
        let single = QuantizedActivations()
        for vector in 0 ..< 64 {
            input.withUnsafeBufferPointer {
                single.quantize($0.baseAddress! + vector * columns, stride: columns, rows: 1, columns: columns)
            }
            var output = [Float](repeating: .nan, count: rows.rowCount)
            output.withUnsafeMutableBufferPointer {
                MatrixMultiply.multiply(matrix, activations: single, output: $0.baseAddress!, outputStride: rows.rowCount,
                                        pool: pools[0])
            }
            for row in 0 ..< rows.rowCount {
                let twin = try #require(RowKernels.integerDot(matrix, row: row, single, vector: 0, shape: .reference))
                #expect(sameFloat(output[row], twin), "\(type.name) vector \(vector) row \(row)")
            }
            expected.append(output)
        }
        let batch = QuantizedActivations()
        for size in [1, 2, 3, 5, 8, 16, 64] {
            for offset in [0, 64 - size] {
                input.withUnsafeBufferPointer {
                    batch.quantize($0.baseAddress! + offset * columns, stride: columns, rows: size, columns: columns)
                }
                for pool in pools {
                    var output = [Float](repeating: .nan, count: size * rows.rowCount)
                    output.withUnsafeMutableBufferPointer {
                        MatrixMultiply.multiply(matrix, activations: batch, output: $0.baseAddress!,
                                                outputStride: rows.rowCount, pool: pool)
                    }
                    var mismatches = 0
                    for vector in 0 ..< size {
                        for row in 0 ..< rows.rowCount where !sameFloat(output[vector * rows.rowCount + row],
                                                                         expected[offset + vector][row]) {
                            mismatches += 1
                        }
                    }
                    #expect(mismatches == 0, "\(type.name) batch \(size) at \(offset), \(pool.threadCount) threads")
                }
            }
        }
    }
}
