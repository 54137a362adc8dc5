import Foundation
import NextTokenCore
import NextTokenKernels
import NextTokenModel

/// A plain float64 Gemma 3 forward pass, written for clarity, to check the fast path against.
///
/// Same conventions as ``ReferenceLlama``: weights dequantized by the tested kernel decoders,
/// everything else in Double, one position at a time, causal attention limited to the sliding
/// window on local layers.
struct ReferenceGemma {
    let model: Gemma3Model
    /// The model's matrices as Floats, dequantized on first use.
    let weights = DequantizedWeights()

    /// Logits at `positions` (default: all) of `tokens` from an empty context.
    func logits(_ tokens: [TokenID], at positions: Set<Int>? = nil) -> [[Double]] {
        let hp = model.hyperparameters
        let d = hp.embeddingLength
        let hd = hp.headDimension
        let epsilon = Double(hp.rmsEpsilon)
        var keys = Array(repeating: [[Double]](), count: hp.blockCount)
        var values = keys
        var result: [[Double]] = []
        for (position, token) in tokens.enumerated() {
            var x = row(model.tokenEmbedding, Int(token)).map { $0 * Double(d).squareRoot() }
            for (l, layer) in model.layers.enumerated() {
                let local = hp.isLocal(layer: l)
                let base = Double(local ? hp.localRopeBase : hp.globalRopeBase)
                let xn = rmsNorm(x, layer.attentionNorm, epsilon)
                var q = matvec(layer.query, xn)
                var k = matvec(layer.key, xn)
                let v = matvec(layer.value, xn)
                for h in 0 ..< hp.headCount {
                    q.replaceSubrange(h * hd ..< (h + 1) * hd, with: rope(rmsNorm(Array(q[h * hd ..< (h + 1) * hd]), layer.queryNorm, epsilon), position, base))
                }
                for h in 0 ..< hp.kvHeadCount {
                    k.replaceSubrange(h * hd ..< (h + 1) * hd, with: rope(rmsNorm(Array(k[h * hd ..< (h + 1) * hd]), layer.keyNorm, epsilon), position, base))
                }
                keys[l].append(k)
                values[l].append(v)
                let first = local ? max(0, position - hp.slidingWindow + 1) : 0
                var attended = [Double](repeating: 0, count: hp.queryWidth)
                for h in 0 ..< hp.headCount {
                    let kvh = h / (hp.headCount / hp.kvHeadCount)
                    let scores = (first ... position).map { s in
                        (0 ..< hd).reduce(0.0) { $0 + q[h * hd + $1] * keys[l][s][kvh * hd + $1] } * Double(hp.queryScale)
                    }
                    let m = scores.max() ?? 0
                    let e = scores.map { Foundation.exp($0 - m) }
                    let total = e.reduce(0, +)
                    for (offset, weight) in e.enumerated() {
                        for i in 0 ..< hd { attended[h * hd + i] += weight / total * values[l][first + offset][kvh * hd + i] }
                    }
                }
                x = zip(x, rmsNorm(matvec(layer.output, attended), layer.postAttentionNorm, epsilon)).map(+)
                let fn = rmsNorm(x, layer.feedForwardNorm, epsilon)
                let hidden = zip(matvec(layer.gate, fn), matvec(layer.up, fn)).map { gelu($0) * $1 }
                x = zip(x, rmsNorm(matvec(layer.down, hidden), layer.postFeedForwardNorm, epsilon)).map(+)
            }
            if positions?.contains(position) ?? true {
                result.append(matvec(model.tokenEmbedding, rmsNorm(x, model.outputNorm, epsilon)))
            }
        }
        return result
    }

    private func gelu(_ x: Double) -> Double {
        0.5 * x * (1 + Foundation.tanh((2 / Double.pi).squareRoot() * (x + 0.044715 * x * x * x)))
    }

    private func row(_ matrix: WeightMatrix, _ index: Int) -> [Double] { weights.row(matrix, index) }

    private func matvec(_ matrix: WeightMatrix, _ x: [Double]) -> [Double] { weights.matvec(matrix, x) }

    private func rmsNorm(_ x: [Double], _ weight: [Float], _ epsilon: Double) -> [Double] {
        let meanSquare = x.reduce(0) { $0 + $1 * $1 } / Double(x.count)
        let scale = 1 / (meanSquare + epsilon).squareRoot()
        return zip(x, weight).map { $0 * scale * Double($1) }
    }

    /// NeoX pairing: element i rotates with element i + d/2.
    private func rope(_ v: [Double], _ position: Int, _ base: Double) -> [Double] {
        var out = v
        let n = v.count
        for i in 0 ..< n / 2 {
            let theta = Double(position) * Foundation.pow(base, -2 * Double(i) / Double(n))
            out[i] = v[i] * Foundation.cos(theta) - v[i + n / 2] * Foundation.sin(theta)
            out[i + n / 2] = v[i] * Foundation.sin(theta) + v[i + n / 2] * Foundation.cos(theta)
        }
        return out
    }
}
