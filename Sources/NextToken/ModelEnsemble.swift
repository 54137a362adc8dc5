import NextTokenByteLevel

/// Models with possibly different vocabularies combined at the byte level (design §6.5): each
/// keeps its own exact byte-level state, the ensemble predicts the weighted mean of their
/// next-byte distributions (``EnsembleRule``), and all of them advance with each byte.
public struct ModelEnsemble: Sendable {
    /// The members.
    public let models: [Model]
    /// One weight per member (normalised when used); uniform by default.
    public let weights: [Double]
    /// Arithmetic (default) or geometric mean.
    public let rule: EnsembleRule

    /// An ensemble of `models`; `weights` `nil` means uniform.
    ///
    /// - Throws: ``NextTokenError/byteLevel(_:)`` with ``ByteLevelError/emptyEnsemble`` or
    ///   ``ByteLevelError/invalidWeights(_:)``.
    public init(models: [Model], weights: [Double]? = nil, rule: EnsembleRule = .arithmetic) throws(NextTokenError) {
        guard !models.isEmpty else { throw .byteLevel(.emptyEnsemble) }
        let weights = weights ?? Array(repeating: 1, count: models.count)
        guard weights.count == models.count, weights.allSatisfy({ $0.isFinite && $0 >= 0 }),
              weights.reduce(0, +) > 0 else { throw .byteLevel(.invalidWeights(weights)) }
        self.models = models
        self.weights = weights
        self.rule = rule
    }

    /// The ensemble's predictor after `prompt`, with room for `extraBytes` more bytes.
    func predictor(prompt: [UInt8], extraBytes: Int, options: ByteLevelOptions) throws(NextTokenError) -> any BytePredictor {
        var members: [any BytePredictor] = []
        for model in models {
            let byteLevel = try model.byteLevel(threads: options.threads)
            do {
                members.append(try byteLevel.exactState(
                    prompt: prompt, mode: options.pruning, extraBytes: extraBytes, tracksPrefixProbability: false))
            } catch {
                throw .byteLevel(error)
            }
        }
        if members.count == 1, let only = members.first { return only }
        do {
            return try ByteEnsemble(members: members, weights: weights, rule: rule)
        } catch {
            throw .byteLevel(error)
        }
    }

    /// The ensemble's byte-level score of `text` (perplexity per token of the first model's
    /// canonical encoding).
    public func scoreBytes(_ text: String, options: ByteLevelOptions = ByteLevelOptions()) throws(NextTokenError) -> TextScore {
        let bytes = Array(text.utf8)
        let predictor = try predictor(prompt: [], extraBytes: bytes.count, options: options)
        let tokenCount = try models[0].byteLevel(threads: options.threads).encode(bytes).count
        do {
            return try TextScorer.scoreBytes(bytes, predictors: [predictor], tokenCount: tokenCount)[0]
        } catch {
            throw .byteLevel(error)
        }
    }

    /// Generates up to `options.maxBytes` bytes after `prompt` from the ensemble's next-byte
    /// distributions; `onText` receives text as characters complete.
    public func generateBytes(
        _ prompt: String, options: ByteLevelOptions = ByteLevelOptions(), onText: (String) -> Void = { _ in }
    ) throws(NextTokenError) -> ByteGenerationResult {
        let bytes = Array(prompt.utf8)
        let clock = ContinuousClock()
        let start = clock.now
        let predictor = try predictor(prompt: bytes, extraBytes: options.maxBytes, options: options)
        let promptDuration = clock.now - start
        do {
            let sampler = try ByteSampler(
                temperature: options.temperature, topP: options.topP, seed: options.seed ?? UInt64.random(in: .min ... .max))
            return try ByteGenerator.run(
                predictor: predictor, prompt: bytes, maxBytes: options.maxBytes, sampler: sampler,
                promptDuration: promptDuration, emit: onText)
        } catch {
            throw .byteLevel(error)
        }
    }
}
