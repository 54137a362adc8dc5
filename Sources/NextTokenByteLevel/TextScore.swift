import Foundation
import NextTokenCore

/// The log-probability of a text under a model, token by token or byte by byte.
public struct TextScore: Sendable {
    /// One scored unit: a token, or a byte.
    public struct Unit: Sendable {
        /// Its bytes (one for a byte).
        public var bytes: [UInt8]
        /// The token id, for token-level scores.
        public var token: TokenID?
        /// Its natural-log probability given everything before it.
        public var logProbability: Double
    }

    /// The units in text order.
    public var units: [Unit]
    /// Tokens of the text's canonical encoding.
    public var tokenCount: Int
    /// Bytes of the text.
    public var byteCount: Int

    /// `Σ log P(unit)`, natural log.
    public var totalLogProbability: Double { units.reduce(0) { $0 + $1.logProbability } }
    /// `-total / (ln 2 · bytes)`.
    public var bitsPerByte: Double { byteCount > 0 ? -totalLogProbability / (log(2) * Double(byteCount)) : 0 }
    /// `exp(-total / tokens)`: per canonical token, so byte-level and token-level scores compare.
    public var perplexity: Double { tokenCount > 0 ? exp(-totalLogProbability / Double(tokenCount)) : 1 }
}

/// Scoring texts: teacher forcing with the canonical encoding, or byte by byte.
public enum TextScorer {
    /// The canonical encoding's log-probability, token by token, after the start tokens.
    ///
    /// - Throws: ``ByteLevelError/unencodableText(offset:)`` when the tokenizer drops a byte,
    ///   and path evaluation errors.
    public static func scoreTokens(
        _ text: [UInt8], vocabulary: ByteVocabulary, evaluator: any TokenPathEvaluator
    ) throws(ByteLevelError) -> TextScore {
        var encoder = StreamEncoder(vocabulary: vocabulary)
        let stream = vocabulary.streamPrefix + text
        let tokens = encoder.encode(stream[...])
        let decoded = vocabulary.bytes(of: tokens)
        guard decoded == stream else {
            let offset = zip(decoded, stream).prefix { $0 == $1 }.count
            throw .unencodableText(offset: max(0, offset - vocabulary.streamPrefix.count))
        }
        let path = vocabulary.startTokens + tokens
        var units: [TextScore.Unit] = []
        units.reserveCapacity(tokens.count)
        if !tokens.isEmpty {
            try evaluator.evaluate(path, rowsFrom: vocabulary.startTokens.count - 1) { position, row throws(ByteLevelError) in
                guard position + 1 < path.count else { return }
                let token = path[position + 1]
                units.append(.init(bytes: Array(vocabulary.bytes(of: token)), token: token, logProbability: row[Int(token)]))
            }
        }
        return TextScore(units: units, tokenCount: tokens.count, byteCount: text.count)
    }

    /// The byte-level log-probability of `text`, byte by byte: each byte's probability under
    /// the distribution of every predictor after the bytes before it. The predictors must have
    /// been built with an empty prompt; they are walked together (list baselines before exact
    /// states on the same path, so their rows are shared). One score per predictor.
    public static func scoreBytes(
        _ text: [UInt8], predictors: [any BytePredictor], tokenCount: Int
    ) throws(ByteLevelError) -> [TextScore] {
        var units = [[TextScore.Unit]](repeating: [], count: predictors.count)
        for byte in text {
            for (index, predictor) in predictors.enumerated() {
                units[index].append(.init(bytes: [byte], token: nil, logProbability: try predictor.advance(byte)))
            }
        }
        return units.map { TextScore(units: $0, tokenCount: tokenCount, byteCount: text.count) }
    }
}
