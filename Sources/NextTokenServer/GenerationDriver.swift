import NextToken
import NextTokenCore
import NextTokenOpenAIAPI

/// How one generation ended, in API terms.
struct GenerationResult: Sendable {
    /// The engine's summary: tokens, text, stop reason, timings.
    let summary: GenerationSummary
    /// Log-probabilities of tokens whose text was never passed on (an end-of-generation token,
    /// a swallowed stop string); they belong to the last chunk.
    let trailingLogprobs: [TokenLogprobEntry]
    /// `stop` or `length`.
    let finishReason: FinishReason
}

/// Runs generation jobs on the engine and reports them to the request's record and the metrics.
struct GenerationDriver: Sendable {
    let metrics: ServerMetrics
    /// The continuous-batching loop of each model id; jobs without speculation run in it, the
    /// others (and every job when it is empty) on the model alone.
    let batchers: [String: BatchedDecoder]

    /// Runs `jobs` one after another to their ends, each with every log-probability it reported
    /// (for answers that are not streamed).
    func runCollecting(
        _ jobs: [GenerationJob], record: RequestRecord, arrival: ContinuousClock.Instant
    ) async throws -> [(GenerationResult, [TokenLogprobEntry])] {
        var results: [(GenerationResult, [TokenLogprobEntry])] = []
        for job in jobs {
            var logprobs: [TokenLogprobEntry] = []
            let result = try await run(job, record: record, arrival: arrival) { _, entries in
                logprobs += entries
            }
            results.append((result, logprobs + result.trailingLogprobs))
        }
        return results
    }

    /// Runs `job` to its end, passing each text delta with the log-probabilities of the tokens
    /// sampled since the previous delta.
    ///
    /// Cancelling the calling task (a client that went away) ends the engine's stream, which
    /// stops the generation before its next token.
    /// - Parameter arrival: when the request arrived, for the time to first token.
    /// - Throws: `CancellationError` when cancelled, ``OpenAIError`` (500) when the engine fails,
    ///   or what `onDelta` throws.
    func run(
        _ job: GenerationJob, record: RequestRecord, arrival: ContinuousClock.Instant,
        onDelta: (String, [TokenLogprobEntry]) async throws -> Void
    ) async throws -> GenerationResult {
        let model = job.served.model
        var pending: [TokenLogprobEntry] = []
        var firstToken: ContinuousClock.Instant?
        var summary: GenerationSummary?
        do {
            let events = if job.options.speculation == .none, let batcher = batchers[job.served.id] {
                batcher.generate(tokens: job.promptTokens, options: job.options)
            } else {
                model.generate(tokens: job.promptTokens, options: job.options)
            }
            for try await event in events {
                if firstToken == nil { firstToken = .now }
                switch event {
                case .logprob(let logprob):
                    pending.append(Self.entry(logprob, model: model))
                case .text(let delta):
                    let logprobs = pending
                    pending.removeAll()
                    try await onDelta(delta, logprobs)
                case .finished(let final):
                    summary = final
                }
            }
        } catch let error as NextTokenError {
            throw OpenAIError.server("The engine failed: \(error)")
        }
        try Task.checkCancellation()
        guard let summary, summary.stopReason != .cancelled else { throw CancellationError() }
        let end = ContinuousClock.now
        let timeToFirstToken = firstToken.map { $0 - arrival }
        let timePerOutputToken = firstToken.flatMap { first -> Duration? in
            summary.tokens.count > 1 ? (end - first) / (summary.tokens.count - 1) : nil
        }
        metrics.recordGeneration(
            promptTokens: summary.promptTokens.count, completionTokens: summary.tokens.count,
            timeToFirstToken: timeToFirstToken, timePerOutputToken: timePerOutputToken,
            speculation: summary.speculation.map { (job.options.speculation.rawValue, $0) })
        let finishReason = Self.finishReason(summary.stopReason)
        record.update { fields in
            fields.completionTokens = (fields.completionTokens ?? 0) + summary.tokens.count
            if fields.timeToFirstToken == nil { fields.timeToFirstToken = timeToFirstToken }
            fields.finishReason = finishReason.rawValue
        }
        return GenerationResult(summary: summary, trailingLogprobs: pending, finishReason: finishReason)
    }

    /// `stop` for an end-of-generation token or a stop string, `length` for a token or context limit.
    static func finishReason(_ reason: StopReason) -> FinishReason {
        switch reason {
        case .endOfGeneration, .stopString: .stop
        case .maxTokens, .contextFull, .cancelled: .length
        }
    }

    /// The API form of a token's log-probability: bytes from the tokenizer (none for an id the
    /// tokenizer does not know, such as the padding rows of a larger output layer).
    static func entry(_ logprob: TokenLogprob, model: Model) -> TokenLogprobEntry {
        func alternative(_ token: TokenID, _ value: Double) -> TokenLogprobEntry.Alternative {
            let bytes = (try? model.tokenizer.tokenBytes(token)) ?? []
            return .init(bytes: bytes, logprob: value)
        }
        return TokenLogprobEntry(
            token: alternative(logprob.token, logprob.logprob),
            top: logprob.top.map { alternative($0.token, $0.logprob) })
    }
}
