import Testing
import NextTokenCore
import NextTokenKernels

@Suite("Matrix multiply")
struct MatrixMultiplyTests {
    /// `batch` products of `matrix` with the first `batch` vectors of `inputs` (`columnCount`
    /// floats each, packed), into vectors `outputStride` apart.
    static func multiply(
        _ matrix: WeightMatrix, _ inputs: [Float], batch: Int, inputStride: Int, outputStride: Int,
        pool: WorkerPool
    ) -> [Float] {
        var output = [Float](repeating: .nan, count: max(batch - 1, 0) * outputStride + matrix.rowCount)
        inputs.withUnsafeBufferPointer { input in
            output.withUnsafeMutableBufferPointer { output in
                MatrixMultiply.multiply(
                    matrix, input: input.baseAddress!, inputStride: inputStride, batch: batch,
                    output: output.baseAddress!, outputStride: outputStride, pool: pool)
            }
        }
        return output
    }

    @Test("every element is the row kernel's dot product, bit for bit", arguments: kernelTypes)
    func matchesRowKernels(type: GGMLType) throws {
        var generator = SeededGenerator(seed: 0xAB + UInt64(type.rawValue))
        let columns = type.blockLayout?.elementCount == 1 ? 83 : 96
        let rows = EncodedMatrix(type: type, rowCount: 37, columnCount: columns, generator: &generator)
        let matrix = try rows.matrix
        let inputStride = columns + 5
        let outputStride = 41
        let batch = 7
        let inputs = randomVector(batch * inputStride, generator: &generator)
        let kernels = RowKernelSet(type)
        let pool = WorkerPool(threadCount: 2)
        for size in [1, 2, 3, batch] {
            let output = Self.multiply(matrix, inputs, batch: size, inputStride: inputStride,
                                       outputStride: outputStride, pool: pool)
            var mismatches = 0
            var outOfTolerance = 0
            for vector in 0..<size {
                for row in 0..<rows.rowCount {
                    let value = output[vector * outputStride + row]
                    inputs.withUnsafeBufferPointer { input in
                        let x = input.baseAddress! + vector * inputStride
                        if value.bitPattern != kernels.dot(rows.row(row), x, columns).bitPattern { mismatches += 1 }
                        let reference = kernels.dotReference(rows.row(row), x, columns)
                        if abs(value - reference) > 1e-4 { outOfTolerance += 1 }
                    }
                }
                // Untouched padding between the output vectors.
                if vector + 1 < size {
                    #expect(output[(vector * outputStride + rows.rowCount)..<((vector + 1) * outputStride)]
                        .allSatisfy { $0.isNaN })
                }
            }
            #expect(mismatches == 0, "\(type.name), batch \(size)")
            #expect(outOfTolerance == 0, "\(type.name), batch \(size)")
        }
    }

    @Test("outputs are bit-identical for batch sizes 1…64 and 1, 2 or 3 threads", arguments: kernelTypes)
    func batchInvariance(type: GGMLType) throws {
        var generator = SeededGenerator(seed: 0xBA7C4 + UInt64(type.rawValue))
        let rowCount = 97  // odd: the last tile ends in a single row
        // Element types get a row length with leftovers past the last 16-element group.
        let columns = type.blockLayout?.elementCount == 1 ? 243 : 256
        let rows = EncodedMatrix(type: type, rowCount: rowCount, columnCount: columns, generator: &generator)
        let matrix = try rows.matrix
        let inputs = randomVector(64 * columns, generator: &generator)
        let single = WorkerPool(threadCount: 1)
        // The batch-1, one-thread result for each of the 64 vectors.
        var expected: [[UInt32]] = []
        for vector in 0..<64 {
            let output = Self.multiply(matrix, Array(inputs[(vector * columns)...]), batch: 1,
                                       inputStride: columns, outputStride: rowCount, pool: single)
            expected.append(output.map(\.bitPattern))
        }
        var mismatches: [String] = []
        for threads in 1...3 {
            let pool = WorkerPool(threadCount: threads)
            for batch in 1...64 {
                let output = Self.multiply(matrix, inputs, batch: batch, inputStride: columns,
                                           outputStride: rowCount, pool: pool)
                for vector in 0..<batch {
                    let bits = output[(vector * rowCount)..<((vector + 1) * rowCount)].map(\.bitPattern)
                    if bits != expected[vector] { mismatches.append("threads \(threads) batch \(batch) vector \(vector)") }
                }
            }
        }
        #expect(mismatches.count == 0, "\(type.name), first: \(mismatches.prefix(5))")
    }

    @Test("empty products write nothing")
    func emptyProducts() throws {
        let pool = WorkerPool(threadCount: 2)
        var generator = SeededGenerator(seed: 1)
        let rows = EncodedMatrix(type: .q8_0, rowCount: 4, columnCount: 32, generator: &generator)
        let output = Self.multiply(try rows.matrix, [Float](repeating: 1, count: 32), batch: 0,
                                   inputStride: 32, outputStride: 4, pool: pool)
        #expect(output.allSatisfy { $0.isNaN })
        let noColumns = try WeightMatrix(type: .f32, rowCount: 3, columnCount: 0, base: rows.bytes)
        #expect(Self.multiply(noColumns, [0], batch: 2, inputStride: 0, outputStride: 3, pool: pool)
            == [Float](repeating: 0, count: 6))
    }
}
