import Testing
import NextTokenCore
import NextTokenKernels

@Suite("Group matrix multiply")
struct GroupMultiplyTests {
    @Test("a group's outputs equal separate products, bit for bit", arguments: [
        [GGMLType.q4_1, .q4_1, .q4_1], [.q8_0, .q4_0], [.q4_1, .q5_0], [.f32, .f16],
    ])
    func matchesSeparateProducts(types: [GGMLType]) throws {
        var generator = SeededGenerator(seed: 0x6209 + UInt64(types.count))
        let columns = 128
        // Row counts that end in partial groups of 16 and an odd row.
        let matrices = zip(types, [53, 16, 7]).map { type, rows in
            EncodedMatrix(type: type, rowCount: rows, columnCount: columns, generator: &generator)
        }
        let pool = WorkerPool(threadCount: 2)
        for batch in [1, 2, 5, 8, 9, 16] {
            let inputs = randomVector(batch * columns, generator: &generator)
            let separate = try matrices.map { matrix in
                MatrixMultiplyTests.multiply(try matrix.matrix, inputs, batch: batch, inputStride: columns,
                                             outputStride: matrix.rowCount, pool: pool)
            }
            var outputs = matrices.map { [Float](repeating: .nan, count: batch * $0.rowCount) }
            try inputs.withUnsafeBufferPointer { input in
                let buffers = outputs.map { UnsafeMutablePointer<Float>.allocate(capacity: $0.count) }
                defer { buffers.forEach { $0.deallocate() } }
                let products = try zip(matrices, buffers).map { MatrixMultiply.Product(try $0.matrix, output: $1) }
                MatrixMultiply.multiply(products, input: input.baseAddress!, batch: batch, pool: pool)
                for index in outputs.indices {
                    outputs[index] = Array(UnsafeBufferPointer(start: buffers[index], count: outputs[index].count))
                }
            }
            for (index, (ours, theirs)) in zip(outputs, separate).enumerated() {
                #expect(ours.map(\.bitPattern) == theirs.map(\.bitPattern), "\(types) matrix \(index) batch \(batch)")
            }
        }
    }
}
