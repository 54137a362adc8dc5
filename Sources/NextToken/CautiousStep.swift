import Foundation
import NextTokenCore

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
