import Testing
import NextTokenCore
@testable import NextTokenKernels

@Suite("Integer kernels: activation quantization and block sums")
struct IntegerKernelsTests {
    @Test("the x86 block quantizer equals the portable one, including zero and non-finite blocks")
    func quantizerMatchesPortable() {
        var generator = SeededGenerator(seed: 0x0B10C)
        var blocks: [[Float]] = (0 ..< 200).map { index in
            let scale = Float.random(in: 0.001 ... 100, using: &generator)
            return (0 ..< 32).map { _ in Float.random(in: -scale ... scale, using: &generator) * Float(index % 3) }
        }
        blocks.append([Float](repeating: 0, count: 32))
        blocks.append([Float](repeating: 0, count: 31) + [.infinity])
        blocks.append([1] + [Float](repeating: .nan, count: 31))
        // Values exactly halfway between two quants round to even.
        blocks.append([127] + (0 ..< 31).map { Float($0) + 0.5 })
        var lastQuants: [Int] = []
        for (index, block) in blocks.enumerated() {
            var fast = [UInt8](repeating: 0xAA, count: 32)
            var portable = [UInt8](repeating: 0x55, count: 32)
            let (fastScale, fastSum) = block.withUnsafeBufferPointer { x in
                fast.withUnsafeMutableBytes {
                    BlockQuantizer.quantize(x.baseAddress!, lower: $0.baseAddress!, upper: $0.baseAddress! + 16)
                }
            }
            let (portableScale, portableSum) = block.withUnsafeBufferPointer { x in
                portable.withUnsafeMutableBytes {
                    BlockQuantizer.quantizePortable(x.baseAddress!, lower: $0.baseAddress!, upper: $0.baseAddress! + 16)
                }
            }
            #expect(fast == portable, "block \(index)")
            #expect(fastScale.bitPattern == portableScale.bitPattern && fastSum == portableSum, "block \(index)")
            let quants = fast.map { Int(Int8(bitPattern: $0)) }
            lastQuants = quants
            #expect(Int32(quants.reduce(0, +)) == fastSum)
            if block.allSatisfy(\.isFinite), let magnitude = block.map(abs).max(), magnitude > 0 {
                #expect(quants.contains { abs($0) == 127 }, "block \(index): the largest value maps to ±127")
                for (value, q) in zip(block, quants) {
                    #expect(abs(value * (127 / magnitude) - Float(q)) <= 0.5, "block \(index)")
                }
            } else {
                #expect(fastScale == 0 && quants.allSatisfy { $0 == 0 }, "block \(index)")
            }
        }
        // 0.5 → 0, 1.5 → 2, 2.5 → 2, 3.5 → 4, …
        #expect(lastQuants == [127] + (0 ..< 31).map { $0 % 2 == 0 ? $0 : $0 + 1 })
    }

    @Test("x86 group sums equal the portable integer sums for unsigned and signed weights")
    func groupSumsMatchPortable() {
        var generator = SeededGenerator(seed: 0x5005)
        for trial in 0 ..< 200 {
            let extreme = trial < 2
            let weights = (0 ..< 256).map { _ in extreme ? UInt8(trial == 0 ? 15 : 0x80) : UInt8.random(in: 0 ... 255, using: &generator) }
            let unsignedWeights = weights.map { $0 & 0x0F }
            let input = (0 ..< 256).map { _ in extreme ? Int8(-127) : Int8.random(in: -127 ... 127, using: &generator) }
            input.withUnsafeBytes { x in
                unsignedWeights.withUnsafeBytes { w in
                    #expect(GroupSums.unsigned(w.baseAddress!, x.baseAddress!)
                        == GroupSums.portable(w.baseAddress!, x.baseAddress!, signed: false), "trial \(trial)")
                }
                weights.withUnsafeBytes { w in
                    #expect(GroupSums.signed(w.baseAddress!, x.baseAddress!)
                        == GroupSums.portable(w.baseAddress!, x.baseAddress!, signed: true), "trial \(trial)")
                }
            }
        }
    }

    @Test("integer row kernels equal their references bit for bit, for every row length",
          arguments: [GGMLType.q8_0, .q4_0, .q4_1])
    func rowKernelsMatchReference(type: GGMLType) throws {
        var generator = SeededGenerator(seed: 0x1D07 + UInt64(type.rawValue))
        let kernels = try #require(IntegerKernelSet(type))
        for columns in [32, 64, 96, 256, 288, 576, 1536] {
            let rows = EncodedMatrix(type: type, rowCount: 6, columnCount: columns, generator: &generator)
            let input = randomVector(3 * columns, generator: &generator)
            let activations = QuantizedActivations()
            input.withUnsafeBufferPointer {
                activations.quantize($0.baseAddress!, stride: columns, rows: 3, columns: columns)
            }
            for row in 0 ..< rows.rowCount {
                for vector in 0 ..< 3 {
                    let fast = kernels.dot(rows.row(row), activations, vector)
                    let reference = kernels.dotReference(rows.row(row), activations, vector)
                    #expect(fast.bitPattern == reference.bitPattern, "\(type.name) \(columns): \(fast) vs \(reference)")
                }
            }
        }
    }

    @Test("quantized matrix products equal the integer row kernels bit for bit, at any batch and thread count",
          arguments: [GGMLType.q8_0, .q4_0, .q4_1])
    func matrixProductsMatchRowKernels(type: GGMLType) throws {
        var generator = SeededGenerator(seed: 0x1A7 + UInt64(type.rawValue))
        let columns = 288  // 9 blocks: one whole group of 8 and a padded one
        let rows = EncodedMatrix(type: type, rowCount: 37, columnCount: columns, generator: &generator)
        let matrix = try rows.matrix
        let kernels = try #require(IntegerKernelSet(type))
        let floatKernels = RowKernelSet(type)
        let inputs = randomVector(9 * columns, generator: &generator)
        var weights = [Float](repeating: 0, count: columns)
        for threads in 1 ... 3 {
            let pool = WorkerPool(threadCount: threads)
            for batch in [1, 2, 9] {
                let activations = QuantizedActivations()
                inputs.withUnsafeBufferPointer {
                    activations.quantize($0.baseAddress!, stride: columns, rows: batch, columns: columns, pool: pool)
                }
                var output = [Float](repeating: .nan, count: batch * 40)
                output.withUnsafeMutableBufferPointer {
                    MatrixMultiply.multiply(matrix, activations: activations, output: $0.baseAddress!, outputStride: 40,
                                            pool: pool)
                }
                var mismatches = 0
                var outOfBound = 0
                for vector in 0 ..< batch {
                    #expect(output[(vector * 40 + 37) ..< (vector * 40 + 40)].allSatisfy { $0.isNaN })
                    for row in 0 ..< rows.rowCount {
                        let value = output[vector * 40 + row]
                        if value.bitPattern != kernels.dot(rows.row(row), activations, vector).bitPattern
                            || value.bitPattern != kernels.dotReference(rows.row(row), activations, vector).bitPattern {
                            mismatches += 1
                        }
                        weights.withUnsafeMutableBufferPointer {
                            floatKernels.dequantizeReference(rows.row(row), $0.baseAddress!, columns)
                        }
                        let exact = inputs.withUnsafeBufferPointer {
                            floatKernels.dotReference(rows.row(row), $0.baseAddress! + vector * columns, columns)
                        }
                        let bound = activationQuantizationBound(weights, inputs[vector * columns ..< (vector + 1) * columns])
                        if Double(abs(value - exact)) > bound * 1.001 + 1e-4 { outOfBound += 1 }
                    }
                }
                #expect(mismatches == 0, "\(type.name), \(threads) threads, batch \(batch)")
                #expect(outOfBound == 0, "\(type.name), \(threads) threads, batch \(batch)")
            }
        }
    }

    @Test("rows whose length is not a multiple of 32 stay on the Float path")
    func unquantizedRows() {
        let activations = QuantizedActivations()
        let input = [Float](repeating: 1, count: 40)
        input.withUnsafeBufferPointer { activations.quantize($0.baseAddress!, stride: 40, rows: 1, columns: 40) }
        #expect(!activations.isQuantized)
        input.withUnsafeBufferPointer { activations.quantize($0.baseAddress!, stride: 32, rows: 1, columns: 32) }
        #expect(activations.isQuantized)
    }
}
