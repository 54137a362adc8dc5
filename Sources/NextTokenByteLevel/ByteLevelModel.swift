import NextTokenCore
import NextTokenKernels
import NextTokenModel
import NextTokenTokenizer

/// A transformer and its tokenizer seen at the byte level: the factory for exact states,
/// baselines and scores on one model.
public final class ByteLevelModel {
    /// The vocabulary as the byte-level methods see it.
    public let vocabulary: ByteVocabulary
    /// The transformer.
    public let languageModel: any LanguageModel
    /// The threads forward passes run on.
    public let pool: WorkerPool

    /// - Throws: ``ByteLevelError/vocabularyMismatch(tokenizer:model:)``,
    ///   ``ByteLevelError/noStartToken``.
    public init(languageModel: any LanguageModel, tokenizer: Tokenizer, pool: WorkerPool) throws(ByteLevelError) {
        vocabulary = try ByteVocabulary(tokenizer: tokenizer, modelVocabularySize: languageModel.vocabularySize)
        self.languageModel = languageModel
        self.pool = pool
    }

    /// A fresh path with room for the start tokens, the canonical encoding of `bytes` more
    /// bytes of text (at most one token per byte) and a margin.
    public func makePath(textBytes: Int) -> ModelTokenPath {
        ModelTokenPath(model: languageModel, capacity: vocabulary.startTokens.count + textBytes + 8, pool: pool)
    }

    /// The exact state after `prompt`, on `path` (a fresh one with room for `extraBytes` more
    /// bytes when `nil`).
    public func exactState(
        prompt: [UInt8], mode: PruningMode = .fast, extraBytes: Int = 0, path: ModelTokenPath? = nil,
        tracksPrefixProbability: Bool = true
    ) throws(ByteLevelError) -> ExactByteState {
        try ExactByteState(
            vocabulary: vocabulary, evaluator: path ?? makePath(textBytes: prompt.count + extraBytes), mode: mode,
            prompt: prompt, tracksPrefixProbability: tracksPrefixProbability)
    }

    /// A baseline predictor after `prompt`.
    public func baselineState(
        prompt: [UInt8], method: BaselineMethod, extraBytes: Int = 0, path: ModelTokenPath? = nil
    ) throws(ByteLevelError) -> BaselineByteState {
        try BaselineByteState(
            vocabulary: vocabulary, evaluator: path ?? makePath(textBytes: prompt.count + extraBytes),
            method: method, prompt: prompt)
    }

    /// The canonical encoding's token-level score of `text`.
    public func scoreTokens(_ text: [UInt8]) throws(ByteLevelError) -> TextScore {
        try TextScorer.scoreTokens(text, vocabulary: vocabulary, evaluator: makePath(textBytes: text.count))
    }

    /// Tokens of the canonical encoding of `text` (no start tokens).
    public func encode(_ text: [UInt8]) -> [TokenID] {
        var encoder = StreamEncoder(vocabulary: vocabulary)
        return encoder.encode((vocabulary.streamPrefix + text)[...])
    }
}
