import NextTokenCore
import NextTokenKernels
import NextTokenModel
import NextTokenSampling

/// One request inside a ``BatchedDecoder``: its cache, sampler, emitter and progress.
///
/// Created on the caller's thread, then touched only by the decoder's loop thread.
final class BatchedSequence: @unchecked Sendable {
    let promptTokens: [TokenID]
    let context: ModelContext
    let capacity: Int
    let cancelled: CancellationFlag
    private let finish: (Result<GenerationSummary, NextTokenError>) -> Void
    private var sampler: Sampler
    private var emitter: TokenEmitter
    /// The penalties' history: the prompt, then every token fed back.
    private var history: [TokenID]
    /// Prompt tokens already in the cache.
    private var prefilled = 0
    private let clock = ContinuousClock()
    private let arrival: ContinuousClock.Instant
    private var generationStart: ContinuousClock.Instant?

    /// Checks the request as ``Model/generate(tokens:options:)`` does.
    /// - Throws: ``NextTokenError`` for an empty or too long prompt, a negative limit, invalid
    ///   sampling parameters, or speculation (which the batch does not do).
    init(
        model: Model, promptTokens: [TokenID], options: GenerationOptions, pool: WorkerPool, precision: Precision,
        cancelled: CancellationFlag, emit: @escaping (GenerationEvent) -> Void,
        finish: @escaping (Result<GenerationSummary, NextTokenError>) -> Void
    ) throws(NextTokenError) {
        let lm = model.languageModel
        guard !promptTokens.isEmpty else { throw .emptyPrompt }
        guard options.maxTokens >= 0 else { throw .invalidRequest("max tokens must not be negative") }
        if let logprobs = options.logprobs, logprobs < 0 {
            throw .invalidRequest("the number of top log-probabilities must not be negative")
        }
        guard options.speculation == .none else {
            throw .invalidRequest("batched decoding does not speculate; generate on the model instead")
        }
        let wanted = options.contextLength ?? (promptTokens.count + options.maxTokens)
        capacity = max(1, min(wanted, lm.contextLength))
        guard promptTokens.count <= capacity else {
            throw .promptTooLong(tokens: promptTokens.count, contextLength: capacity)
        }
        do {
            sampler = try Sampler(parameters: options.sampling)
        } catch {
            throw .sampling(error)
        }
        self.promptTokens = promptTokens
        self.cancelled = cancelled
        self.finish = finish
        context = lm.makeContext(capacity: capacity, pool: pool, precision: precision)
        emitter = TokenEmitter(tokenizer: model.tokenizer, options: options, deliver: emit)
        history = promptTokens
        arrival = clock.now
    }

    /// The rows this sequence feeds in the next pass, at most `budget` (1 once decoding), or
    /// `nil` when it has nothing to feed: it ended (cancelled, context full), or the budget is 0.
    func nextRows(budget: Int) -> SequenceBatch? {
        if cancelled.isSet { emitter.end(.cancelled) }
        guard !emitter.isFinished, budget > 0 else { return nil }
        if prefilled < promptTokens.count {
            let count = min(budget, GenerationRun.prefillChunk, promptTokens.count - prefilled)
            let tokens = Array(promptTokens[prefilled ..< prefilled + count])
            prefilled += count
            let last = prefilled == promptTokens.count
            return SequenceBatch(batch: ForwardBatch(tokens: tokens, startingAt: prefilled - count), context: context,
                                 logitRows: last ? [count - 1] : [])
        }
        guard context.cache.length < capacity else {
            emitter.end(.contextFull)
            return nil
        }
        let pending = emitter.tokens[emitter.tokens.count - 1]
        history.append(pending)
        return SequenceBatch(batch: ForwardBatch(tokens: [pending], startingAt: context.cache.length),
                             context: context, logitRows: [0])
    }

    /// Whether the whole prompt is in the cache.
    var isPrefilled: Bool { prefilled == promptTokens.count }

    /// Whether the sequence ended and only needs ``complete()``.
    var isFinished: Bool { emitter.isFinished }

    /// Samples the next token from its row's logits and emits it.
    /// - Throws: ``NextTokenError`` from the sampler or the detokenizer.
    func accept(logits: UnsafeBufferPointer<Float>) throws(NextTokenError) {
        if generationStart == nil { generationStart = clock.now }
        let token: TokenID
        do {
            token = try sampler.sample(logits: logits, history: history)
        } catch {
            throw .sampling(error)
        }
        try emitter.emit(token, logits: logits)
    }

    /// Flushes the text and reports the summary.
    func complete() {
        emitter.flush()
        let end = clock.now
        let generationStart = generationStart ?? end
        finish(.success(GenerationSummary(
            promptTokens: promptTokens, tokens: emitter.tokens, text: String(decoding: emitter.text, as: UTF8.self),
            stopReason: emitter.stopReason ?? .maxTokens, promptDuration: generationStart - arrival,
            generationDuration: end - generationStart, speculation: nil)))
    }

    /// Reports `error` instead of a summary.
    func fail(_ error: NextTokenError) {
        finish(.failure(error))
    }
}
