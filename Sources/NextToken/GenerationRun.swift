import Foundation
import NextTokenCore
import NextTokenKernels
import NextTokenModel
import NextTokenSampling
import NextTokenSpeculation

/// One synchronous generation: prefill, then plain, speculative or cautious decoding until a stop rule.
///
/// The async API runs it on a thread of its own; everything here is plain blocking code.
struct GenerationRun {
    /// Rows per prefill forward pass; batch invariance makes the split invisible in the logits.
    static let prefillChunk = 256

    let model: Model
    let promptTokens: [TokenID]
    let options: GenerationOptions

    /// Runs to completion, handing each final text delta (and, when asked for, each token's
    /// log-probability) to `emit`; `isCancelled` is polled before every forward pass.
    func run(emit: @escaping (GenerationEvent) -> Void, isCancelled: () -> Bool) throws(NextTokenError) -> GenerationSummary {
        let lm = model.languageModel
        guard !promptTokens.isEmpty else { throw .emptyPrompt }
        guard options.maxTokens >= 0 else { throw .invalidRequest("max tokens must not be negative") }
        if let logprobs = options.logprobs, logprobs < 0 {
            throw .invalidRequest("the number of top log-probabilities must not be negative")
        }
        if options.cautious != nil, options.speculation != .none {
            throw .invalidRequest("cautious decoding does not combine with speculative decoding")
        }
        let drafter = try model.makeDrafter(for: options.speculation, recyclingTemplate: options.recyclingTemplate,
                                            persistLookupCache: options.persistLookupCache)
        let headroom = drafter == nil ? 0 : options.speculationBudget + 1
        let wanted = options.contextLength ?? (promptTokens.count + options.maxTokens + headroom)
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
        let context = lm.makeContext(capacity: capacity, pool: pool, precision: options.precision)
        let logits = UnsafeMutablePointer<Float>.allocate(capacity: lm.vocabularySize)
        defer { logits.deallocate() }

        let clock = ContinuousClock()
        let promptStart = clock.now
        // Warming the recycling matrix needs every prompt row's logits (algorithms.md §1.3).
        let warm = options.warmRecyclingFromPrompt && (options.speculation == .recycling || options.speculation == .goose)
        let v = lm.vocabularySize
        var chunkLogits: [Float] = warm ? [Float](repeating: 0, count: min(Self.prefillChunk, promptTokens.count) * v) : []
        var start = 0
        while start < promptTokens.count {
            let end = min(start + Self.prefillChunk, promptTokens.count)
            let batch = ForwardBatch(tokens: Array(promptTokens[start ..< end]), startingAt: start)
            if warm {
                let count = end - start
                try chunkLogits.withUnsafeMutableBufferPointer { buffer throws(NextTokenError) in
                    // `buffer` holds at least one row, so its base address exists.
                    try Self.forward(lm, batch, context: context, rows: Array(0 ..< count), logits: buffer.baseAddress!)
                }
                chunkLogits.withUnsafeBufferPointer { buffer in
                    for row in 0 ..< count {
                        let top = SpeculativeDecoder.topTokens(buffer.baseAddress! + row * v, count: v,
                                                               k: model.recyclingMatrix.k)
                        model.recyclingMatrix.write(promptTokens[start + row], topTokens: top)
                    }
                    if end == promptTokens.count {
                        logits.update(from: buffer.baseAddress! + (count - 1) * v, count: v)
                    }
                }
            } else {
                let rows = end == promptTokens.count ? [end - start - 1] : []
                try Self.forward(lm, batch, context: context, rows: rows, logits: logits)
            }
            start = end
        }
        let generationStart = clock.now

        var emitter = TokenEmitter(tokenizer: model.tokenizer, options: options, deliver: emit)
        var statistics: SpeculationStatistics?
        var cautiousStatistics: CautiousStatistics?
        // The penalties' history: the prompt, then every emitted token.
        var history = promptTokens
        history.reserveCapacity(promptTokens.count + options.maxTokens + 1)
        if let cautious = options.cautious {
            var decoder = try CautiousDecoder(
                model: lm, context: context, tokenizer: model.tokenizer, generation: options, cautious: cautious,
                seed: sampler.seed, capacity: capacity)
            try decoder.run(history: &history, logits: logits, emitter: &emitter, sampler: &sampler,
                            isCancelled: isCancelled)
            cautiousStatistics = decoder.statistics
        } else {
            if !emitter.isFinished {
                try emitter.emit(try Self.sample(&sampler, logits, lm.vocabularySize, history: history),
                                 logits: UnsafeBufferPointer(start: logits, count: lm.vocabularySize))
            }
            if let drafter {
                var decoder = SpeculativeDecoder(
                    model: lm, context: context, drafter: drafter, maxBudget: options.speculationBudget,
                    capacity: capacity, adaptive: options.adaptiveSpeculation)
                try decoder.run(prompt: promptTokens, emitter: &emitter, sampler: &sampler, isCancelled: isCancelled)
                statistics = decoder.statistics
            } else {
                var decoder = PlainDecoder(model: lm, context: context, logits: logits)
                while !emitter.isFinished {
                    if isCancelled() { emitter.end(.cancelled); break }
                    guard context.cache.length < capacity else { emitter.end(.contextFull); break }
                    let token = try decoder.step(feeding: emitter.tokens[emitter.tokens.count - 1], history: &history,
                                                 sampler: &sampler)
                    try emitter.emit(token, logits: UnsafeBufferPointer(start: logits, count: lm.vocabularySize))
                }
            }
        }
        emitter.flush()
        let end = clock.now
        return GenerationSummary(
            promptTokens: promptTokens, tokens: emitter.tokens, text: String(decoding: emitter.text, as: UTF8.self),
            stopReason: emitter.stopReason ?? .maxTokens, promptDuration: generationStart - promptStart,
            generationDuration: end - generationStart, speculation: statistics, cautious: cautiousStatistics
        )
    }

    static func forward(
        _ lm: any LanguageModel, _ batch: ForwardBatch, context: ModelContext, rows: [Int],
        logits: UnsafeMutablePointer<Float>
    ) throws(NextTokenError) {
        do {
            try lm.forward(batch, context: context, logitRows: rows, logits: logits)
        } catch {
            throw .model(error)
        }
    }

    static func sample(
        _ sampler: inout Sampler, _ logits: UnsafePointer<Float>, _ count: Int, history: [TokenID]
    ) throws(NextTokenError) -> TokenID {
        do {
            return try sampler.sample(logits: UnsafeBufferPointer(start: logits, count: count), history: history)
        } catch {
            throw .sampling(error)
        }
    }

    /// Every core the process may use.
    static var defaultThreadCount: Int { max(1, ProcessInfo.processInfo.activeProcessorCount) }
}
