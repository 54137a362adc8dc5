/// What Cautious Next Token Prediction did during one generation.
public struct CautiousStatistics: Sendable, Equatable {
    /// Decoding steps taken (each emits one token or one trial).
    public var steps = 0
    /// Steps whose entropy asked for more than one trial.
    public var triggeredSteps = 0
    /// Trials sampled over all triggered steps.
    public var trials = 0
    /// Forward rows beyond plain decoding's one per token: rows spent inside trials, plus rows
    /// that rebuilt the KV cache of a chosen trial that was not the last one run.
    public var extraRows = 0
    /// Tokens emitted.
    public var emittedTokens = 0
    /// Every triggered step, when ``CautiousOptions/recordsTrials`` is on.
    public var recorded: [CautiousStep] = []

    /// Fraction of steps that ran trials.
    public var triggerRate: Double { steps > 0 ? Double(triggeredSteps) / Double(steps) : 0 }
    /// Extra forward rows per emitted token.
    public var extraRowsPerToken: Double { emittedTokens > 0 ? Double(extraRows) / Double(emittedTokens) : 0 }
}
