import NextTokenCore
import NextTokenGGUF
import NextTokenKernels

/// Looks tensors up by name and checks their shapes against the hyper-parameters.
struct TensorBinder {
    let file: GGUFFile

    /// A weight matrix of `rows` outputs × `columns` inputs (GGUF dimensions `[columns, rows]`),
    /// with its rows repacked for the integer products (``WeightMatrix/interleavingRows()``).
    func matrix(_ name: String, rows: Int, columns: Int) throws(ModelError) -> WeightMatrix {
        guard let info = file.tensor(named: name) else { throw .missingTensor(name) }
        guard info.dimensions == [columns, rows] else {
            throw .tensorShape(name: name, expected: [columns, rows], actual: info.dimensions)
        }
        guard let base = file.data(of: info).baseAddress else { throw .missingTensor(name) }
        do {
            let matrix = try WeightMatrix(type: info.type, rowCount: rows, columnCount: columns, base: base)
            return matrix.interleavingRows()
        } catch {
            throw .kernel(name: name, error)
        }
    }

    /// Whether the file has a tensor called `name`.
    func has(_ name: String) -> Bool { file.tensor(named: name) != nil }

    /// A one-dimensional tensor of `count` elements, converted to float32.
    func vector(_ name: String, count: Int) throws(ModelError) -> [Float] {
        guard let info = file.tensor(named: name) else { throw .missingTensor(name) }
        guard info.dimensions == [count] else {
            throw .tensorShape(name: name, expected: [count], actual: info.dimensions)
        }
        guard let base = file.data(of: info).baseAddress else { throw .missingTensor(name) }
        let matrix: WeightMatrix
        do {
            matrix = try WeightMatrix(type: info.type, rowCount: 1, columnCount: count, base: base)
        } catch {
            throw .kernel(name: name, error)
        }
        var result = [Float](repeating: 0, count: count)
        result.withUnsafeMutableBufferPointer { buffer in
            if let out = buffer.baseAddress { matrix.dequantizeRow(0, into: out) }
        }
        return result
    }

    /// `vector(name, count:)` if the tensor exists, else `nil`.
    func optionalVector(_ name: String, count: Int) throws(ModelError) -> [Float]? {
        has(name) ? try vector(name, count: count) : nil
    }
}
