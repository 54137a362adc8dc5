import NextTokenCore

/// What a generation stream yields: text as it becomes final, then one summary.
public enum GenerationEvent: Sendable {
    /// New text; concatenating every delta gives the whole output.
    case text(String)
    /// A generated token's log-probability, sent (only when ``GenerationOptions/logprobs`` is set)
    /// right after the token is sampled, before any text it completes.
    case logprob(TokenLogprob)
    /// The generation ended; nothing follows.
    case finished(GenerationSummary)
}

/// Why generation stopped.
public enum StopReason: String, Sendable, Codable {
    /// The model produced an end-of-generation token.
    case endOfGeneration = "eos"
    /// The token limit was reached.
    case maxTokens = "max_tokens"
    /// A stop string appeared.
    case stopString = "stop_string"
    /// The KV cache is full.
    case contextFull = "context_full"
    /// The consumer cancelled.
    case cancelled = "cancelled"
}

/// Tokens, text, stop reason and timings of one finished generation.
public struct GenerationSummary: Sendable {
    /// The prompt's token ids, BOS included when the model adds one.
    public var promptTokens: [TokenID]
    /// The generated token ids (an end-of-generation token is included when it ended the run).
    public var tokens: [TokenID]
    /// The generated text, without a matched stop string.
    public var text: String
    /// Why generation stopped.
    public var stopReason: StopReason
    /// Time spent evaluating the prompt.
    public var promptDuration: Duration
    /// Time spent generating after the prompt.
    public var generationDuration: Duration
    /// What speculative decoding did, when it was on.
    public var speculation: SpeculationStatistics?
    /// What cautious decoding did, when it was on.
    public var cautious: CautiousStatistics? = nil

    /// Prompt tokens per second.
    public var promptTokensPerSecond: Double { Self.rate(promptTokens.count, promptDuration) }
    /// Generated tokens per second.
    public var generationTokensPerSecond: Double { Self.rate(tokens.count, generationDuration) }

    static func rate(_ count: Int, _ duration: Duration) -> Double {
        let seconds = Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18
        return seconds > 0 ? Double(count) / seconds : 0
    }
}
