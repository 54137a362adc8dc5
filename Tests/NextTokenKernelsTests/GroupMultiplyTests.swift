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
            let total = matrices.reduce(0) { $0 + batch * $1.rowCount }
            var joined = [Float](repeating: .nan, count: total)
            try inputs.withUnsafeBufferPointer { input in
                try joined.withUnsafeMutableBufferPointer { output in
                    MatrixMultiply.multiply(try matrices.map { try $0.matrix }, input: input.baseAddress!, batch: batch,
                                            output: output.baseAddress!, pool: pool)
                }
            }
            var outputs: [[Float]] = []
            var offset = 0
            for matrix in matrices {
                outputs.append(Array(joined[offset ..< offset + batch * matrix.rowCount]))
                offset += batch * matrix.rowCount
            }
            for (index, (ours, theirs)) in zip(outputs, separate).enumerated() {
                #expect(ours.map(\.bitPattern) == theirs.map(\.bitPattern), "\(types) matrix \(index) batch \(batch)")
            }
        }
    }
}
