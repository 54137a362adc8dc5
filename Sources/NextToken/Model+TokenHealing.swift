import NextTokenByteLevel
import NextTokenCore
import NextTokenKernels
import NextTokenModel
import NextTokenSampling

extension Model {
    /// Token-level generation with token healing (design §6.5), the baseline the byte-level
    /// method is compared with: the prompt's last token is removed and the first generated
    /// token must start with its bytes; the healed bytes are not emitted again. Stop strings,
    /// the token limit and end-of-generation tokens work as in ``complete(_:options:)``.
    ///
    /// - Throws: ``NextTokenError/invalidRequest(_:)`` with `chat` or speculation (healing
    ///   applies to the end of raw text), and the errors of ``complete(_:options:)``.
    public func completeWithTokenHealing(
        _ prompt: String, options: GenerationOptions = GenerationOptions(), onText: @escaping (String) -> Void = { _ in }
    ) throws(NextTokenError) -> GenerationSummary {
        guard !options.chat else { throw .invalidRequest("token healing applies to raw prompts, not chat turns") }
        guard options.speculation == .none else { throw .invalidRequest("token healing does not combine with speculation") }
        guard options.maxTokens >= 0 else { throw .invalidRequest("max tokens must not be negative") }
        let byteLevel = try byteLevel(threads: options.threads)
        let full = try promptTokens(for: prompt, options: options)
        let fixed = full.count - tokenize(prompt, parseSpecial: options.parseSpecial).count
        let healing = TokenHealing(promptTokens: full, fixedCount: fixed, vocabulary: byteLevel.vocabulary)
        let context = healing.contextTokens.isEmpty ? byteLevel.vocabulary.startTokens : healing.contextTokens
        let lm = languageModel
        let capacity = min(lm.contextLength, context.count + options.maxTokens + 1)
        guard context.count <= capacity else { throw .promptTooLong(tokens: context.count, contextLength: capacity) }
        var sampler: Sampler
        do {
            sampler = try Sampler(parameters: options.sampling)
        } catch {
            throw .sampling(error)
        }
        let modelContext = lm.makeContext(capacity: capacity, pool: byteLevel.pool)
        var logits = [Float](repeating: 0, count: lm.vocabularySize)
        let clock = ContinuousClock()
        let promptStart = clock.now
        var start = 0
        while start < context.count {
            let end = min(start + GenerationRun.prefillChunk, context.count)
            try run(ForwardBatch(tokens: Array(context[start..<end]), startingAt: start), modelContext,
                    rows: end == context.count ? [end - start - 1] : [], &logits)
            start = end
        }
        let generationStart = clock.now
        if let allowed = healing.allowedFirstTokens {
            var masked = [Float](repeating: -.infinity, count: logits.count)
            for token in allowed { masked[Int(token)] = logits[Int(token)] }
            logits = masked
        }
        var skip = healing.healedBytes.count
        var emitter = TokenEmitter(tokenizer: tokenizer, options: options) { event in
            guard case .text(let text) = event else { return }
            var bytes = Array(text.utf8)
            let dropped = min(skip, bytes.count)
            bytes.removeFirst(dropped)
            skip -= dropped
            if !bytes.isEmpty { onText(String(decoding: bytes, as: UTF8.self)) }
        }
        var history = context
        while !emitter.isFinished {
            let token = try logits.withUnsafeBufferPointer { buffer throws(NextTokenError) in
                guard let base = buffer.baseAddress else { throw NextTokenError.invalidRequest("the model has no logits") }
                let token = try GenerationRun.sample(&sampler, base, buffer.count, history: history)
                try emitter.emit(token, logits: buffer)
                return token
            }
            history.append(token)
            guard !emitter.isFinished else { break }
            guard modelContext.cache.length < capacity else { emitter.end(StopReason.contextFull); break }
            try run(ForwardBatch(tokens: [token], startingAt: modelContext.cache.length), modelContext, rows: [0], &logits)
        }
        emitter.flush()
        let text = emitter.text.dropFirst(min(healing.healedBytes.count, emitter.text.count))
        return GenerationSummary(
            promptTokens: context, tokens: emitter.tokens, text: String(decoding: text, as: UTF8.self),
            stopReason: emitter.stopReason ?? .maxTokens, promptDuration: generationStart - promptStart,
            generationDuration: clock.now - generationStart, speculation: nil)
    }

    private func run(
        _ batch: ForwardBatch, _ context: ModelContext, rows: [Int], _ logits: inout [Float]
    ) throws(NextTokenError) {
        var thrown: NextTokenError?
        logits.withUnsafeMutableBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            do throws(NextTokenError) {
                try GenerationRun.forward(languageModel, batch, context: context, rows: rows, logits: base)
            } catch {
                thrown = error
            }
        }
        if let thrown { throw thrown }
    }
}
