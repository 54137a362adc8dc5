import Foundation
import NextTokenByteLevel

extension ByteLevelBenchmark {
    /// Bits per byte of each of `models` on `slices` (each slice scored from the start of a
    /// document, the totals pooled), token level and exact byte level, then, with more than one
    /// model, of their byte-level ensemble (uniform arithmetic mean) walked together with them.
    ///
    /// - Parameter labels: one name per model for the results.
    /// - Throws: ``NextTokenError/invalidRequest(_:)`` without models or with a label count
    ///   that does not match, ``NextTokenError/byteLevel(_:)`` from scoring.
    public func bitsPerByte(_ models: [Model], labels: [String], slices: [String]) throws(NextTokenError) -> [BitsPerByteResult] {
        guard !models.isEmpty, labels.count == models.count else {
            throw .invalidRequest("bits per byte needs at least one model and one label per model")
        }
        var byteLevels: [ByteLevelModel] = []
        for model in models { byteLevels.append(try model.byteLevel(threads: threads)) }
        let walked = models.count > 1 ? models.count + 1 : 1
        var tokenTotals = [Double](repeating: 0, count: models.count)
        var byteTotals = [Double](repeating: 0, count: walked)
        var bytes = 0
        do {
            for slice in slices {
                let text = Array(slice.utf8)
                bytes += text.count
                for (index, byteLevel) in byteLevels.enumerated() {
                    tokenTotals[index] += try byteLevel.scoreTokens(text).totalLogProbability
                }
                for (index, score) in try scoreBytes(text, byteLevels).enumerated() {
                    byteTotals[index] += score.totalLogProbability
                }
            }
        } catch {
            throw .byteLevel(error)
        }
        let bits = { (total: Double) in bytes > 0 ? -total / (log(2) * Double(bytes)) : 0 }
        var results = labels.indices.map { index in
            BitsPerByteResult(label: labels[index], bytes: bytes, tokenLevel: bits(tokenTotals[index]),
                              byteLevel: bits(byteTotals[index]))
        }
        if models.count > 1 {
            results.append(BitsPerByteResult(label: "ensemble", bytes: bytes, tokenLevel: nil, byteLevel: bits(byteTotals[models.count])))
        }
        return results
    }

    /// Byte-level scores of `text` under each model, then under their ensemble when there are
    /// several.
    private func scoreBytes(_ text: [UInt8], _ byteLevels: [ByteLevelModel]) throws(ByteLevelError) -> [TextScore] {
        var states: [any BytePredictor] = []
        for byteLevel in byteLevels {
            states.append(try byteLevel.exactState(prompt: [], extraBytes: text.count, tracksPrefixProbability: false))
        }
        let tokenCount = byteLevels[0].encode(text).count
        guard states.count > 1 else { return try TextScorer.scoreBytes(text, predictors: states, tokenCount: tokenCount) }
        return try TextScorer.scoreBytes(text, ensemble: ByteEnsemble(members: states), tokenCount: tokenCount)
    }
}
