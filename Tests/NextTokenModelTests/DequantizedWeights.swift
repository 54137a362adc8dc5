import NextTokenKernels

/// Weight matrices dequantized once (by the separately tested kernel dequantizer) and kept as
/// Floats, for the float64 references: each product is then a plain float64 dot product.
final class DequantizedWeights {
    private var matrices: [UnsafeRawPointer: [Float]] = [:]

    /// `matrix · x` in float64 (four running sums per row, added at the end).
    func matvec(_ matrix: WeightMatrix, _ x: [Double]) -> [Double] {
        let columns = matrix.columnCount
        precondition(x.count == columns, "vector length differs from the matrix's columns")
        let values = dequantized(matrix)
        return values.withUnsafeBufferPointer { weights in
            x.withUnsafeBufferPointer { x in
                (0 ..< matrix.rowCount).map { r in
                    let row = weights.baseAddress! + r * columns
                    var sums = SIMD4<Double>()
                    var c = 0
                    while c + 4 <= columns {
                        sums += SIMD4(Double(row[c]), Double(row[c + 1]), Double(row[c + 2]), Double(row[c + 3]))
                            * SIMD4(x[c], x[c + 1], x[c + 2], x[c + 3])
                        c += 4
                    }
                    var total = sums.sum()
                    while c < columns {
                        total += Double(row[c]) * x[c]
                        c += 1
                    }
                    return total
                }
            }
        }
    }

    /// Row `index` of `matrix` as float64 values.
    func row(_ matrix: WeightMatrix, _ index: Int) -> [Double] {
        let columns = matrix.columnCount
        return dequantized(matrix)[index * columns ..< (index + 1) * columns].map(Double.init)
    }

    private func dequantized(_ matrix: WeightMatrix) -> [Float] {
        if let values = matrices[matrix.base] { return values }
        var values = [Float](repeating: 0, count: matrix.rowCount * matrix.columnCount)
        values.withUnsafeMutableBufferPointer { buffer in
            for r in 0 ..< matrix.rowCount { matrix.dequantizeRow(r, into: buffer.baseAddress! + r * matrix.columnCount) }
        }
        matrices[matrix.base] = values
        return values
    }
}
