import Testing
import NextTokenCore
import NextTokenGGUF
import NextTokenKernels
import NextTokenTestSupport

/// Real tensors of Gemma 3 270M Q4_K_M (q5_0, q8_0, q4_K and q6_K) decoded by the kernels,
/// against values computed independently by gguf-py.
@Suite("Gemma 3 tensors decode like gguf-py")
struct GemmaTensorDecodeTests {
    /// One checked row: its Double sum and the values of elements 0..<8, 255, 256 and the last.
    struct ExpectedRow: Sendable, CustomTestStringConvertible {
        let tensor: String
        let type: GGMLType
        let row: Int
        let sum: Double
        let values: [Float]

        var testDescription: String { "\(tensor) row \(row)" }
    }

    /// Computed once with gguf-py 0.19.0 and numpy from gemma-3-270m-q4_k_m.gguf:
    /// `t = {t.name: t for t in gguf.GGUFReader(path).tensors}[tensor]`;
    /// `v = gguf.quants.dequantize(t.data[row:row + 1], t.tensor_type).reshape(-1)`;
    /// `sum = float(v.astype(float64).sum())`, `values = [str(v[i]) for i in [0, …, 7, 255, 256, len(v) - 1]]`.
    static let expectedRows: [ExpectedRow] = [
        ExpectedRow(tensor: "blk.0.attn_q.weight", type: .q5_0, row: 0, sum: -0.30632781982421875, values: [
            -0.0037841797, 0.0075683594, -0.015136719, -0.0056762695, 0.011352539, 0.009460449, 0.0,
            -0.009460449, -0.022003174, -0.00793457, 0.005241394]),
        ExpectedRow(tensor: "blk.2.attn_v.weight", type: .q5_0, row: 255, sum: 0.400543212890625, values: [
            -0.06555176, -0.06555176, 0.027313232, -0.01638794, -0.027313232, 0.0819397, -0.010925293,
            -0.03277588, -0.036987305, 0.02609253, -0.0]),
        ExpectedRow(tensor: "blk.0.attn_v.weight", type: .q8_0, row: 0, sum: 0.3726310729980469, values: [
            0.006088257, -0.03957367, -0.031455994, -0.05682373, -0.042617798, 0.05479431, -0.07001495,
            -0.047691345, -0.031888008, -0.06503773, 0.028130054]),
        ExpectedRow(tensor: "token_embd.weight", type: .q8_0, row: 1000, sum: -0.4889693260192871, values: [
            -0.0186553, 0.0008883476, 0.0, -0.047082424, -0.032868862, 0.06307268, -0.0373106, -0.032868862,
            0.036273956, -0.0014228821, -0.08086014]),
        ExpectedRow(tensor: "blk.0.attn_output.weight", type: .q4_K, row: 0, sum: 1.0064644813537598, values: [
            -0.015705109, 0.049669266, -0.037496567, 0.060564995, -0.0048093796, 0.038773537, -0.015705109,
            0.027877808, 0.03899288, -0.023250937, -0.08481789]),
        ExpectedRow(tensor: "blk.2.ffn_down.weight", type: .q4_K, row: 639, sum: -1.4291993975639343, values: [
            0.017730474, -0.009123087, 0.011017084, 0.0009469986, 0.0009469986, 0.007660389, 0.004303694,
            -0.0057663918, -0.01708597, -0.011102676, 0.006676197]),
        ExpectedRow(tensor: "blk.0.ffn_down.weight", type: .q6_K, row: 0, sum: 0.5224223136901855, values: [
            0.005211711, 0.021715462, -0.025189936, 0.013897896, 0.026927173, -0.015635133, 0.010423422,
            -0.001737237, 0.018108487, -0.016593933, 0.008916855]),
    ]

    @Test("rows match gguf-py; whole tensors decode fast == reference", arguments: expectedRows)
    func decodesLikeGGUFPy(expected: ExpectedRow) throws {
        let file = try GGUFFile(path: try TestModels.requireOrSkip("gemma3"))
        let info = try #require(file.tensor(named: expected.tensor))
        #expect(info.type == expected.type)
        let columns = info.dimensions[0]
        let rowCount = info.elementCount / columns
        let data = file.data(of: info)
        let matrix = try WeightMatrix(type: info.type, rowCount: rowCount, columnCount: columns,
                                      base: try #require(data.baseAddress))
        #expect(matrix.rowByteCount * rowCount == data.count)
        var decoded = [Float](repeating: .nan, count: columns)
        decoded.withUnsafeMutableBufferPointer { matrix.dequantizeRow(expected.row, into: $0.baseAddress!) }
        let sampled = Array(decoded[0..<8]) + [decoded[255], decoded[256], decoded[columns - 1]]
        #expect(sampled == expected.values)
        let sum = decoded.reduce(0.0) { $0 + Double($1) }
        #expect(abs(sum - expected.sum) <= 1e-12)

        // Every row of the (non-embedding) tensor: fast decoding equals the reference, and the dot
        // product with a fixed vector is within 1e-5 of Σ|w·x| of the reference.
        guard info.elementCount <= 4 << 20 else { return }
        let kernels = RowKernelSet(info.type)
        let input = (0..<columns).map { Float(($0 * 37) % 101 - 50) / 50 }
        var reference = [Float](repeating: .nan, count: columns)
        var mismatchedRows: [Int] = []
        var dotFailures: [Int] = []
        for row in 0..<rowCount {
            let address = matrix.rowAddress(row)
            decoded.withUnsafeMutableBufferPointer { kernels.dequantize(address, $0.baseAddress!, columns) }
            reference.withUnsafeMutableBufferPointer { kernels.dequantizeReference(address, $0.baseAddress!, columns) }
            if zip(decoded, reference).contains(where: { $0.bitPattern != $1.bitPattern }) { mismatchedRows.append(row) }
            let magnitude = zip(reference, input).reduce(0.0) { $0 + Double(abs($1.0 * $1.1)) }
            let (fast, slow) = input.withUnsafeBufferPointer {
                (kernels.dot(address, $0.baseAddress!, columns), kernels.dotReference(address, $0.baseAddress!, columns))
            }
            if abs(Double(fast) - Double(slow)) > 1e-5 * magnitude { dotFailures.append(row) }
        }
        #expect(mismatchedRows.isEmpty, "\(expected.tensor): first rows \(mismatchedRows.prefix(5))")
        #expect(dotFailures.isEmpty, "\(expected.tensor): first rows \(dotFailures.prefix(5))")
    }
}
