import Foundation
import NextTokenCore
import NextTokenKernels
import NextTokenModel
import NextTokenSampling
import NextTokenTokenizer

/// One synchronous generation: prefill, then sample, detokenize and check stop rules per token.
///
/// The async API runs it on a thread of its own; everything here is plain blocking code.
struct GenerationRun {
    /// Rows per prefill forward pass; batch invariance makes the split invisible in the logits.
    static let prefillChunk = 256

    let model: Model
    let promptTokens: [TokenID]
    let options: GenerationOptions

    /// Runs to completion, handing each final text delta (and, when asked for, each token's
    /// log-probability) to `emit`; `isCancelled` is polled once per token.
    func run(emit: (GenerationEvent) -> Void, isCancelled: () -> Bool) throws(NextTokenError) -> GenerationSummary {
        let lm = model.languageModel
        guard !promptTokens.isEmpty else { throw .emptyPrompt }
        guard options.maxTokens >= 0 else { throw .invalidRequest("max tokens must not be negative") }
        if let logprobs = options.logprobs, logprobs < 0 {
            throw .invalidRequest("the number of top log-probabilities must not be negative")
        }
        let wanted = options.contextLength ?? (promptTokens.count + options.maxTokens)
        let capacity = max(1, min(wanted, lm.contextLength))
        guard promptTokens.count <= capacity else {
            throw .promptTooLong(tokens: promptTokens.count, contextLength: capacity)
        }
        var sampler: Sampler
        do {
            sampler = try Sampler(parameters: options.sampling)
        } catch {
            throw .sampling(error)
        }
        let pool = WorkerPool(threadCount: options.threads ?? Self.defaultThreadCount)
        let context = lm.makeContext(capacity: capacity, pool: pool)
        let logits = UnsafeMutablePointer<Float>.allocate(capacity: lm.vocabularySize)
        defer { logits.deallocate() }

        let clock = ContinuousClock()
        let promptStart = clock.now
        var start = 0
        while start < promptTokens.count {
            let end = min(start + Self.prefillChunk, promptTokens.count)
            let rows = end == promptTokens.count ? [end - start - 1] : []
            try forward(Array(promptTokens[start ..< end]), at: start, context: context, rows: rows, logits: logits)
            start = end
        }
        let generationStart = clock.now

        var tokens: [TokenID] = []
        var text: [UInt8] = []
        var detokenizer = StreamingDetokenizer(tokenizer: model.tokenizer)
        var stops = StopSequenceMatcher(stopStrings: options.stopStrings)
        var reason = StopReason.maxTokens
        func deliver(_ bytes: [UInt8]) {
            guard !bytes.isEmpty else { return }
            text += bytes
            emit(.text(String(decoding: bytes, as: UTF8.self)))
        }
        while tokens.count < options.maxTokens {
            if isCancelled() { reason = .cancelled; break }
            let token: TokenID
            do {
                token = try sampler.sample(logits: UnsafeBufferPointer(start: logits, count: lm.vocabularySize))
            } catch {
                throw .sampling(error)
            }
            tokens.append(token)
            if let topCount = options.logprobs {
                emit(.logprob(TokenLogprob(
                    token: token, logits: UnsafeBufferPointer(start: logits, count: lm.vocabularySize),
                    topCount: topCount)))
            }
            if !options.ignoreEndOfGeneration && model.tokenizer.isEndOfGeneration(token) {
                reason = .endOfGeneration
                break
            }
            let chunk: String
            do {
                chunk = try detokenizer.append(token)
            } catch {
                throw .tokenizer(error)
            }
            let matched = stops.append(Array(chunk.utf8))
            deliver(matched.emit)
            if matched.stopped { reason = .stopString; break }
            guard tokens.count < options.maxTokens else { break }
            guard context.cache.length < capacity else { reason = .contextFull; break }
            try forward([token], at: context.cache.length, context: context, rows: [0], logits: logits)
        }
        if reason != .stopString {
            let tail = stops.append(Array(detokenizer.finish().utf8))
            deliver(tail.emit)
            if tail.stopped { reason = .stopString } else { deliver(stops.finish()) }
        }
        let end = clock.now
        return GenerationSummary(
            promptTokens: promptTokens, tokens: tokens, text: String(decoding: text, as: UTF8.self),
            stopReason: reason, promptDuration: generationStart - promptStart,
            generationDuration: end - generationStart
        )
    }

    private func forward(
        _ tokens: [TokenID], at position: Int, context: ModelContext, rows: [Int],
        logits: UnsafeMutablePointer<Float>
    ) throws(NextTokenError) {
        do {
            try model.languageModel.forward(
                ForwardBatch(tokens: tokens, startingAt: position), context: context, logitRows: rows, logits: logits)
        } catch {
            throw .model(error)
        }
    }

    /// Every core the process may use.
    static var defaultThreadCount: Int { max(1, ProcessInfo.processInfo.activeProcessorCount) }
}
