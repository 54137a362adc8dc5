import Foundation
import NextTokenCore
import NextTokenKernels
import NextTokenModel

/// A plain float64 Llama forward pass, written for clarity, to check the fast path against.
///
/// Weights are dequantized row by row with the (separately tested) kernel dequantizer; every
/// product, norm, rotation and softmax is done in Double, one position at a time, with a causal
/// attention over all earlier positions.
struct ReferenceLlama {
    let model: LlamaModel
    /// The model's matrices as Floats, dequantized on first use.
    let weights = DequantizedWeights()

    /// Logits (float64) for every position of `tokens`, evaluated from an empty context.
    func logits(_ tokens: [TokenID], positions: [Int]? = nil) -> [[Double]] {
        let hp = model.hyperparameters
        let hd = hp.headDimension
        var keys = Array(repeating: [[Double]](), count: hp.blockCount)
        var values = keys
        var result: [[Double]] = []
        for (t, token) in tokens.enumerated() {
            let position = positions?[t] ?? t
            var x = row(model.tokenEmbedding, Int(token))
            for (l, layer) in model.layers.enumerated() {
                let xn = rmsNorm(x, layer.attentionNorm.map(Double.init), hp.rmsEpsilon)
                var q = add(matvec(layer.query, xn), layer.queryBias)
                var k = add(matvec(layer.key, xn), layer.keyBias)
                let v = add(matvec(layer.value, xn), layer.valueBias)
                rope(&q, heads: hp.headCount, position: position, hp: hp)
                rope(&k, heads: hp.kvHeadCount, position: position, hp: hp)
                keys[l].append(k)
                values[l].append(v)
                var attended = [Double](repeating: 0, count: hp.queryWidth)
                for h in 0 ..< hp.headCount {
                    let kvh = h / (hp.headCount / hp.kvHeadCount)
                    let scores = keys[l].map { key in
                        (0 ..< hd).reduce(0.0) { $0 + q[h * hd + $1] * key[kvh * hd + $1] } / Double(hd).squareRoot()
                    }
                    let m = scores.max() ?? 0
                    let e = scores.map { Foundation.exp($0 - m) }
                    let total = e.reduce(0, +)
                    for (s, weight) in e.enumerated() {
                        for i in 0 ..< hd { attended[h * hd + i] += weight / total * values[l][s][kvh * hd + i] }
                    }
                }
                x = zip(x, matvec(layer.output, attended)).map(+)
                let fn = rmsNorm(x, layer.feedForwardNorm.map(Double.init), hp.rmsEpsilon)
                let g = matvec(layer.gate, fn)
                let u = matvec(layer.up, fn)
                let hidden = zip(g, u).map { $0 / (1 + Foundation.exp(-$0)) * $1 }
                x = zip(x, matvec(layer.down, hidden)).map(+)
            }
            result.append(matvec(model.outputHead, rmsNorm(x, model.outputNorm.map(Double.init), hp.rmsEpsilon)))
        }
        return result
    }

    private func row(_ matrix: WeightMatrix, _ index: Int) -> [Double] { weights.row(matrix, index) }

    private func matvec(_ matrix: WeightMatrix, _ x: [Double]) -> [Double] { weights.matvec(matrix, x) }

    private func add(_ x: [Double], _ bias: [Float]?) -> [Double] {
        guard let bias else { return x }
        return zip(x, bias).map { $0 + Double($1) }
    }

    private func rmsNorm(_ x: [Double], _ weight: [Double], _ epsilon: Float) -> [Double] {
        let meanSquare = x.reduce(0) { $0 + $1 * $1 } / Double(x.count)
        let scale = 1 / (meanSquare + Double(epsilon)).squareRoot()
        return zip(x, weight).map { $0 * scale * $1 }
    }

    private func rope(_ v: inout [Double], heads: Int, position: Int, hp: LlamaHyperparameters) {
        let hd = hp.headDimension
        let n = hp.ropeDimensionCount
        for h in 0 ..< heads {
            for i in 0 ..< n / 2 {
                let theta = Double(position) * Double(hp.ropeFrequencyScale)
                    * Foundation.pow(Double(hp.ropeBase), -2 * Double(i) / Double(n))
                let (a, b) = hp.ropePairing == .normal ? (h * hd + 2 * i, h * hd + 2 * i + 1) : (h * hd + i, h * hd + i + n / 2)
                let (x0, x1) = (v[a], v[b])
                v[a] = x0 * Foundation.cos(theta) - x1 * Foundation.sin(theta)
                v[b] = x0 * Foundation.sin(theta) + x1 * Foundation.cos(theta)
            }
        }
    }
}
