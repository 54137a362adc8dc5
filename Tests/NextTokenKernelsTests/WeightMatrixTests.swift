import Testing
import NextTokenCore
import NextTokenKernels

@Suite("Weight matrix validation")
final class WeightMatrixTests {
    /// Never read: validation only looks at the address.
    let storage = UnsafeMutableRawPointer.allocate(byteCount: 64, alignment: 64)

    deinit { storage.deallocate() }

    @Test("rejects types without kernels")
    func unsupportedTypes() {
        for type in [GGMLType.q2_K, .q3_K, .q8_1, .iq2_xxs, .i32] {
            #expect(throws: KernelError.unsupportedType(type)) {
                try WeightMatrix(type: type, rowCount: 1, columnCount: 256, base: storage)
            }
        }
    }

    @Test("rejects rows that are not whole blocks, and bad shapes")
    func badShapes() {
        #expect(throws: KernelError.partialBlock(columns: 48, blockSize: 32)) {
            try WeightMatrix(type: .q4_1, rowCount: 2, columnCount: 48, base: storage)
        }
        #expect(throws: KernelError.invalidShape(rowCount: -1, columnCount: 32)) {
            try WeightMatrix(type: .q8_0, rowCount: -1, columnCount: 32, base: storage)
        }
        #expect(throws: KernelError.invalidShape(rowCount: 1, columnCount: -32)) {
            try WeightMatrix(type: .f32, rowCount: 1, columnCount: -32, base: storage)
        }
        #expect(throws: KernelError.invalidShape(rowCount: Int.max / 8, columnCount: 1 << 20)) {
            try WeightMatrix(type: .f32, rowCount: Int.max / 8, columnCount: 1 << 20, base: storage)
        }
    }

    @Test("row byte counts follow the block layouts")
    func rowByteCounts() throws {
        #expect(try WeightMatrix(type: .q4_1, rowCount: 3, columnCount: 64, base: storage).rowByteCount == 40)
        #expect(try WeightMatrix(type: .q4_0, rowCount: 3, columnCount: 64, base: storage).rowByteCount == 36)
        #expect(try WeightMatrix(type: .q8_0, rowCount: 3, columnCount: 64, base: storage).rowByteCount == 68)
        #expect(try WeightMatrix(type: .f16, rowCount: 3, columnCount: 5, base: storage).rowByteCount == 10)
        #expect(try WeightMatrix(type: .bf16, rowCount: 3, columnCount: 5, base: storage).rowByteCount == 10)
        #expect(try WeightMatrix(type: .f32, rowCount: 3, columnCount: 5, base: storage).rowByteCount == 20)
        #expect(try WeightMatrix(type: .q5_0, rowCount: 3, columnCount: 64, base: storage).rowByteCount == 44)
        #expect(try WeightMatrix(type: .q5_1, rowCount: 3, columnCount: 64, base: storage).rowByteCount == 48)
        #expect(try WeightMatrix(type: .q4_K, rowCount: 3, columnCount: 512, base: storage).rowByteCount == 288)
        #expect(try WeightMatrix(type: .q5_K, rowCount: 3, columnCount: 512, base: storage).rowByteCount == 352)
        #expect(try WeightMatrix(type: .q6_K, rowCount: 3, columnCount: 512, base: storage).rowByteCount == 420)
        #expect(WeightMatrix.supports(.q4_1) && WeightMatrix.supports(.q4_K) && !WeightMatrix.supports(.q3_K))
    }

    @Test("dequantizeRow decodes the requested row", arguments: kernelTypes)
    func dequantizeRow(type: GGMLType) throws {
        var generator = SeededGenerator(seed: 0x5EED)
        let columns = type.blockLayout?.elementCount == 256 ? 512 : 96
        let rows = EncodedMatrix(type: type, rowCount: 5, columnCount: columns, generator: &generator)
        let matrix = try rows.matrix
        let kernels = RowKernelSet(type)
        var viaMatrix = [Float](repeating: 0, count: columns)
        var viaReference = [Float](repeating: 1, count: columns)
        for row in 0..<5 {
            viaMatrix.withUnsafeMutableBufferPointer { matrix.dequantizeRow(row, into: $0.baseAddress!) }
            viaReference.withUnsafeMutableBufferPointer {
                kernels.dequantizeReference(rows.row(row), $0.baseAddress!, columns)
            }
            #expect(viaMatrix == viaReference)
        }
    }
}
