import Foundation
import NextTokenCore

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

/// One triggered step: its trials and the one that was emitted.
public struct CautiousStep: Sendable, Equatable {
    /// How many tokens had been generated before the step (the chosen trial starts there).
    public var offset: Int
    /// The entropy of the step's distribution, in nats.
    public var entropy: Double
    /// The trials, in the order they were sampled.
    public var trials: [CautiousTrial]
    /// The index of the emitted trial: the lowest perplexity, the first one on ties.
    public var chosen: Int
}

/// One sampled continuation of a triggered step.
public struct CautiousTrial: Sendable, Equatable {
    /// The sampled tokens.
    public var tokens: [TokenID]
    /// The natural log of each token's probability under the processed distribution it was drawn from.
    public var logProbabilities: [Double]

    /// `exp(−mean(logProbabilities))`.
    public var perplexity: Double {
        guard !logProbabilities.isEmpty else { return .infinity }
        return exp(-logProbabilities.reduce(0, +) / Double(logProbabilities.count))
    }
}
