import Testing
import NextTokenCore
import NextTokenKernels
import NextTokenTestSupport

@Suite("Random blocks for synthetic models")
struct RandomBlocksTests {
    @Test("rows have the layout's size and decode to finite values near the requested scale",
          arguments: kernelTypes)
    func finiteRowsOfTheRightSize(type: GGMLType) throws {
        var generator = SeededGenerator(seed: 0x5CA1E + UInt64(type.rawValue))
        let columns = 512
        let rowCount = 16
        let bytes = RandomBlocks.make(type: type, count: rowCount * columns, scale: 0.5, using: &generator)
        #expect(bytes.count == type.byteCount(forElements: rowCount * columns))
        var largest: Float = 0
        var allFinite = true
        try bytes.withUnsafeBytes { raw in
            let matrix = try WeightMatrix(type: type, rowCount: rowCount, columnCount: columns,
                                          base: try #require(raw.baseAddress))
            var row = [Float](repeating: 0, count: columns)
            for index in 0..<rowCount {
                row.withUnsafeMutableBufferPointer { matrix.dequantizeRow(index, into: $0.baseAddress!) }
                allFinite = allFinite && row.allSatisfy(\.isFinite)
                largest = max(largest, row.map(abs).max() ?? 0)
            }
        }
        #expect(allFinite, "\(type.name)")
        #expect(largest > 0.1 && largest < 4, "\(type.name): largest magnitude \(largest)")
    }
}
