/// Settings of Cautious Next Token Prediction (design §5): at uncertain steps, sample several
/// short trials up to punctuation and emit the one with the lowest perplexity.
public struct CautiousOptions: Sendable, Equatable {
    /// Which tokens end a trial.
    public enum StopMode: String, Sendable, Equatable, CaseIterable {
        /// The first token id of each of `.` `,` `\n` `?` `!` `:` `;` `)` `]` `}` encoded alone (the
        /// reference's set).
        case referenceIDs = "reference-ids"
        /// Every token whose text contains one of those characters.
        case containsPunctuation = "contains-punctuation"
    }

    /// Entropy (nats) at or below which a step decodes normally.
    public var minEntropy = 0.01
    /// Entropy (nats) at or above which a step runs ``maxTrials`` trials.
    public var maxEntropy = 1.5
    /// Most trials at one step.
    public var maxTrials = 10
    /// Most tokens in one trial.
    public var maxTrialTokens = 64
    /// Which tokens end a trial.
    public var stopMode = StopMode.referenceIDs
    /// Keep every trial of every triggered step in ``CautiousStatistics/steps`` (for inspection
    /// and tests; costs memory on long runs).
    public var recordsTrials = false

    /// The reference defaults: entropy bounds 0.01 and 1.5 nats, 10 trials, 64 tokens per trial.
    public init() {}

    /// The number of trials at a step whose distribution has entropy `entropy`:
    /// `floor(1 + (maxTrials − 1) · clamp((H − minEntropy) / (maxEntropy − minEntropy), 0, 1))`.
    public func trialCount(entropy: Double) -> Int {
        let fraction = min(max((entropy - minEntropy) / (maxEntropy - minEntropy), 0), 1)
        guard fraction.isFinite else { return 1 }
        return Int((1 + Double(maxTrials - 1) * fraction).rounded(.down))
    }

    /// Checks the settings.
    /// - Throws: ``NextTokenError/invalidRequest(_:)`` naming the first bad setting.
    public func validate() throws(NextTokenError) {
        guard minEntropy.isFinite, maxEntropy.isFinite, minEntropy >= 0 else {
            throw .invalidRequest("cautious entropy bounds must be finite and non-negative")
        }
        guard minEntropy < maxEntropy else {
            throw .invalidRequest("the cautious lower entropy bound must be below the upper one")
        }
        guard maxTrials >= 1 else { throw .invalidRequest("cautious decoding needs at least 1 trial") }
        guard maxTrialTokens >= 1 else { throw .invalidRequest("a cautious trial needs at least 1 token") }
    }
}
