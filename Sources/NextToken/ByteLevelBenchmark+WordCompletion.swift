import NextTokenByteLevel

extension ByteLevelBenchmark {
    /// Completes every cut's word greedily with each of `methods` on `model`.
    ///
    /// Every method stops once the completion is decided (``WordCompletion/isDecided(against:)``)
    /// or at a limit that decides it: tokens (naive prompting, token healing) at the true rest's
    /// length plus 2, bytes (the exact method) at that length plus 4.
    ///
    /// - Throws: ``NextTokenError`` from generation.
    public func completeWords(
        _ model: Model, cuts: [WordCut], methods: [ByteScoringMethod] = [.naive, .tokenHealing, .exact]
    ) throws(NextTokenError) -> WordCompletionResult {
        let byteLevel = try model.byteLevel(threads: threads)
        var samples: [WordCompletionResult.Sample] = []
        var durations = [Duration](repeating: .zero, count: methods.count)
        let clock = ContinuousClock()
        for cut in cuts {
            var completions: [WordCompletion] = []
            for (index, method) in methods.enumerated() {
                let start = clock.now
                completions.append(try complete(cut, by: method, model: model, byteLevel: byteLevel))
                durations[index] += clock.now - start
            }
            samples.append(.init(cut: cut, completions: completions))
        }
        return WordCompletionResult(methods: methods, samples: samples, durations: durations)
    }

    private func complete(
        _ cut: WordCut, by method: ByteScoringMethod, model: Model, byteLevel: ByteLevelModel
    ) throws(NextTokenError) -> WordCompletion {
        let prompt = String(decoding: cut.prompt, as: UTF8.self)
        var options = GenerationOptions()
        options.maxTokens = cut.rest.count + 2
        options.threads = threads
        switch method {
        case .naive:
            var generated: [UInt8] = []
            let run = GenerationRun(model: model, promptTokens: try model.promptTokens(for: prompt), options: options)
            let summary = try run.run(
                emit: { event in if case .text(let text) = event { generated += text.utf8 } },
                isCancelled: { WordCompletion(continuation: generated, textEnded: false).isDecided(against: cut.rest) })
            return WordCompletion(continuation: Array(summary.text.utf8), textEnded: summary.stopReason == .endOfGeneration)
        case .tokenHealing:
            let summary = try model.completeWithTokenHealing(prompt, options: options)
            return WordCompletion(continuation: Array(summary.text.utf8), textEnded: summary.stopReason == .endOfGeneration)
        case .exact:
            return try completeExactly(cut, byteLevel: byteLevel)
        }
    }

    private func completeExactly(_ cut: WordCut, byteLevel: ByteLevelModel) throws(NextTokenError) -> WordCompletion {
        var generated: [UInt8] = []
        do {
            let maxBytes = cut.rest.count + 4
            let state = try byteLevel.exactState(prompt: cut.prompt, extraBytes: maxBytes, tracksPrefixProbability: false)
            let result = try ByteGenerator.run(
                predictor: state, prompt: cut.prompt, maxBytes: maxBytes,
                sampler: ByteSampler(temperature: 0, seed: 0),
                emit: { generated += $0.utf8 },
                isCancelled: { WordCompletion(continuation: generated, textEnded: false).isDecided(against: cut.rest) })
            return WordCompletion(continuation: result.bytes, textEnded: result.stopReason == .endOfText)
        } catch {
            throw .byteLevel(error)
        }
    }
}
