import NextTokenByteLevel
import NextTokenKernels

extension Model {
    /// This model seen at the byte level (design §6), computing on `threads` threads.
    public func byteLevel(threads: Int? = nil) throws(NextTokenError) -> ByteLevelModel {
        do {
            return try ByteLevelModel(
                languageModel: languageModel, tokenizer: tokenizer,
                pool: WorkerPool(threadCount: threads ?? GenerationRun.defaultThreadCount))
        } catch {
            throw .byteLevel(error)
        }
    }

    /// The token-level score of `text`: teacher forcing with its canonical encoding, after the
    /// start token (BOS, or the document separator of models without one).
    public func scoreTokens(_ text: String, threads: Int? = nil) throws(NextTokenError) -> TextScore {
        let model = try byteLevel(threads: threads)
        do {
            return try model.scoreTokens(Array(text.utf8))
        } catch {
            throw .byteLevel(error)
        }
    }

    /// Byte-level scores of `text`, one per method, walked together on one token path (each
    /// byte's probability under the method's next-byte distribution after the bytes before it).
    public func scoreBytes(
        _ text: String, methods: [ByteScoringMethod], options: ByteLevelOptions = ByteLevelOptions()
    ) throws(NextTokenError) -> [TextScore] {
        let model = try byteLevel(threads: options.threads)
        let bytes = Array(text.utf8)
        do {
            let path = model.makePath(textBytes: bytes.count)
            // Baselines first: they evaluate the rows an exact state on the same path reuses.
            let order = methods.indices.sorted { (methods[$0] == .exact ? 1 : 0) < (methods[$1] == .exact ? 1 : 0) }
            var predictors: [any BytePredictor] = []
            for index in order {
                predictors.append(try Self.predictor(methods[index], model, path: path, pruning: options.pruning))
            }
            let scores = try TextScorer.scoreBytes(bytes, predictors: predictors, tokenCount: model.encode(bytes).count)
            var result = scores
            for (position, index) in order.enumerated() { result[index] = scores[position] }
            return result
        } catch {
            throw .byteLevel(error)
        }
    }

    /// Generates up to `options.maxBytes` bytes after `prompt` from the exact byte-level
    /// distribution, so a prompt that ends inside a word continues it; `onText` receives text as
    /// characters complete.
    public func generateBytes(
        _ prompt: String, options: ByteLevelOptions = ByteLevelOptions(), onText: (String) -> Void = { _ in }
    ) throws(NextTokenError) -> ByteGenerationResult {
        try ModelEnsemble(models: [self]).generateBytes(prompt, options: options, onText: onText)
    }

    static func predictor(
        _ method: ByteScoringMethod, _ model: ByteLevelModel, path: ModelTokenPath, pruning: PruningMode
    ) throws(ByteLevelError) -> any BytePredictor {
        switch method {
        case .exact:
            try model.exactState(prompt: [], mode: pruning, path: path, tracksPrefixProbability: false)
        case .tokenHealing:
            try model.baselineState(prompt: [], method: .tokenHealing, path: path)
        case .naive:
            try model.baselineState(prompt: [], method: .naive, path: path)
        }
    }
}
