import NextTokenCore
import NextTokenKernels
import NextTokenModel

/// What the model thought of one observed token: the per-token features perplexity-based
/// AI-text detectors are built on.
public struct TokenFeatures: Sendable, Equatable {
    /// The token's index in the evaluated sequence (BOS, when present, is index 0).
    public var position: Int
    /// The observed token.
    public var token: TokenID
    /// `log p(token | tokens before it)`, natural log.
    public var logProbability: Double
    /// 1 + the number of tokens the model gave a strictly higher logit (1 = the greedy choice).
    public var rank: Int
    /// Entropy of the predicted distribution, in nats.
    public var entropy: Double
    /// Probability of the `k` likeliest tokens of the predicted distribution together.
    public var topKMass: Double
    /// The final hidden state the prediction came from (the residual stream at the previous
    /// position after the output norm, as fed to the output head), when asked for.
    public var hidden: [Float]?

    /// Features from their parts.
    public init(
        position: Int, token: TokenID, logProbability: Double, rank: Int, entropy: Double, topKMass: Double,
        hidden: [Float]? = nil
    ) {
        self.position = position
        self.token = token
        self.logProbability = logProbability
        self.rank = rank
        self.entropy = entropy
        self.topKMass = topKMass
        self.hidden = hidden
    }
}

/// Computes ``TokenFeatures`` for every token of a sequence after the first, in chunks of one
/// forward pass each (each row's logits are the same whatever the chunking).
public struct TokenFeatureExtractor {
    let model: any LanguageModel
    let pool: WorkerPool

    /// An extractor running `model` on `pool`.
    public init(model: any LanguageModel, pool: WorkerPool) {
        self.model = model
        self.pool = pool
    }

    /// Features of `tokens[1...]`, each predicted from the tokens before it; `topK` sets the
    /// top-k mass, `includeHidden` adds the final hidden states.
    ///
    /// - Throws: ``ProbeError/invalidParameter(name:value:)`` for `topK < 1`, and the model's
    ///   errors (a token outside the vocabulary, a sequence longer than the cache allows).
    public func features(of tokens: [TokenID], topK: Int = 10, includeHidden: Bool = false) throws -> [TokenFeatures] {
        guard topK >= 1 else { throw ProbeError.invalidParameter(name: "top-k", value: "\(topK)") }
        guard tokens.count > 1 else { return [] }
        let v = model.vocabularySize
        // Keep each chunk's logits near 32 MB.
        let chunk = max(1, min(256, (8 << 20) / max(1, v)))
        let context = model.makeContext(capacity: tokens.count, pool: pool)
        let recorder = FinalHiddenRecorder()
        if includeHidden { context.observer = recorder }
        var result: [TokenFeatures] = []
        result.reserveCapacity(tokens.count - 1)
        for start in stride(from: 0, to: tokens.count - 1, by: chunk) {
            let end = min(tokens.count - 1, start + chunk)
            recorder.rows.removeAll(keepingCapacity: true)
            let logits = try model.logits(ForwardBatch(tokens: Array(tokens[start ..< end]), startingAt: start),
                                          context: context, logitRows: Array(0 ..< end - start))
            for row in 0 ..< end - start {
                let observed = Int(tokens[start + row + 1])
                guard observed >= 0, observed < v else { throw ModelError.tokenOutOfRange(tokens[start + row + 1], vocabularySize: v) }
                var features = logits[row * v ..< (row + 1) * v].withUnsafeBufferPointer { buffer in
                    let statistics = LogitRowStatistics(buffer)
                    return TokenFeatures(
                        position: start + row + 1, token: tokens[start + row + 1],
                        logProbability: statistics.logProbability(of: observed, in: buffer),
                        rank: LogitRowStatistics.rank(of: observed, in: buffer),
                        entropy: statistics.entropy(of: buffer), topKMass: statistics.topMass(topK, of: buffer),
                        hidden: nil)
                }
                if includeHidden {
                    let width = recorder.width
                    features.hidden = Array(recorder.rows[row * width ..< (row + 1) * width])
                }
                result.append(features)
            }
        }
        return result
    }
}

/// Keeps the final hidden rows of the last forward pass.
final class FinalHiddenRecorder: ForwardObserver {
    var rows: [Float] = []
    var width = 0

    func observeFinalHidden(_ hidden: UnsafePointer<Float>, count: Int, width: Int) {
        self.width = width
        rows += UnsafeBufferPointer(start: hidden, count: count * width)
    }
}
