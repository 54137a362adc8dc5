import NextTokenCore
import NextTokenKernels
import NextTokenModel

/// Next-token logits for token sequences that share prefixes: each call runs only the tokens after
/// the longest prefix it shares with the previous call's sequence, which the KV cache still holds.
struct PrefixCachedRunner {
    let model: any LanguageModel
    let pool: WorkerPool
    /// The next-token logits after the last sequence asked for.
    private(set) var logits: [Float]
    /// Forward rows run so far.
    private(set) var forwardRows = 0
    private var context: ModelContext
    private var cached: [TokenID] = []

    /// A runner whose cache starts with room for `capacity` positions (it grows when needed).
    init(model: any LanguageModel, pool: WorkerPool, capacity: Int) {
        self.model = model
        self.pool = pool
        logits = [Float](repeating: 0, count: model.vocabularySize)
        context = model.makeContext(capacity: min(max(1, capacity), model.contextLength), pool: pool)
    }

    /// Evaluates `tokens` and leaves the logits after its last token in ``logits``.
    /// - Throws: ``NextTokenError/promptTooLong(tokens:contextLength:)`` beyond the model's context,
    ///   ``NextTokenError/emptyPrompt`` for no tokens, or the model's error.
    mutating func evaluate(_ tokens: [TokenID]) throws(NextTokenError) {
        guard !tokens.isEmpty else { throw .emptyPrompt }
        if tokens.count > context.cache.capacity {
            guard tokens.count <= model.contextLength else {
                throw .promptTooLong(tokens: tokens.count, contextLength: model.contextLength)
            }
            context = model.makeContext(
                capacity: min(model.contextLength, max(tokens.count, 2 * context.cache.capacity)), pool: pool)
            cached = []
        }
        var shared = 0
        let limit = min(cached.count, tokens.count - 1)
        while shared < limit, cached[shared] == tokens[shared] { shared += 1 }
        context.cache.truncate(to: shared)
        cached = Array(tokens[..<shared])
        var start = shared
        while start < tokens.count {
            let end = min(start + GenerationRun.prefillChunk, tokens.count)
            let rows = end == tokens.count ? [end - start - 1] : []
            try logits.withUnsafeMutableBufferPointer { buffer throws(NextTokenError) in
                guard let base = buffer.baseAddress else { return }
                try GenerationRun.forward(model, ForwardBatch(tokens: Array(tokens[start ..< end]), startingAt: start),
                                          context: context, rows: rows, logits: base)
            }
            forwardRows += end - start
            cached += tokens[start ..< end]
            start = end
        }
    }
}
