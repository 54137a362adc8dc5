import NextTokenCore

/// Chooses next tokens for one request: greedy, or one seeded random draw per emitted token.
///
/// The chain, in order: penalties (``PenaltyStage``, over the history's window) → logit bias
/// (``LogitBiasStage``) → temperature → top-k → top-p → min-p → typical-p
/// (``TokenDistributionBuilder``) → sample. The first two never touch the caller's logits: when
/// either is on, the logits are copied once into scratch owned by the sampler (reused, so a warm
/// sampler allocates nothing) and only the window's distinct tokens and the biased tokens are
/// changed in the copy. Greedy decoding (temperature 0) takes the argmax after them.
///
/// RNG discipline (design §4.3): at temperature `> 0` every call of ``sample(logits:)`` draws
/// exactly one uniform `u` from the request's ``SeededRandom`` stream and returns the token
/// ``drawIndex(distribution:uniform:)`` picks from the ``ProcessedDistribution`` of the logits.
/// Speculative decoding with deterministic drafts calls ``sample(logits:)`` once per visited
/// tree node, in emission order, and so emits exactly the tokens plain decoding would. Greedy
/// sampling draws no uniforms.
public struct Sampler: Sendable {
    /// The validated parameters.
    public let parameters: SamplingParameters
    /// The seed of the random stream: `parameters.seed`, or a fresh one when that is `nil`.
    public let seed: UInt64
    private var builder: TokenDistributionBuilder
    private var random: SeededRandom
    private var penalties: PenaltyStage
    private let logitBias: LogitBiasStage
    /// The adjusted copy of the logits when penalties or a logit bias are on.
    private var adjusted: [Float] = []

    /// A sampler for `parameters`.
    ///
    /// - Throws: the parameters' validation error (see ``SamplingParameters/validate()``).
    public init(parameters: SamplingParameters) throws(SamplingError) {
        builder = try TokenDistributionBuilder(parameters: parameters)
        self.parameters = parameters
        penalties = PenaltyStage(parameters: parameters)
        logitBias = LogitBiasStage(parameters: parameters)
        var system = SystemRandomNumberGenerator()
        seed = parameters.seed ?? system.next()
        random = SeededRandom(seed: seed)
    }

    /// The next token for `logits` (one entry per token id) with no history: the penalties see
    /// an empty window.
    ///
    /// - Throws: see ``sample(logits:history:)``.
    public mutating func sample(logits: UnsafeBufferPointer<Float>) throws(SamplingError) -> TokenID {
        try sample(logits: logits, history: [])
    }

    /// The next token for `logits` (one entry per token id) after `history` (prompt and
    /// generated tokens so far, oldest first), which the penalties look at.
    ///
    /// - Throws: ``SamplingError/noCandidates(logitCount:)`` when every logit is NaN or
    ///   `-infinity` (or there are none) after the penalties and bias,
    ///   ``SamplingError/vocabularyTooLarge(logitCount:)``,
    ///   ``SamplingError/logitBiasOutOfVocabulary(token:vocabularySize:)``.
    ///   A failed call draws no uniform.
    public mutating func sample(
        logits: UnsafeBufferPointer<Float>, history: [TokenID]
    ) throws(SamplingError) -> TokenID {
        try withAdjustedLogits(logits, history: history) { sampler, adjusted throws(SamplingError) in
            try sampler.choose(adjusted)
        }
    }

    /// The processed distribution the next ``sample(logits:history:)`` call would draw from
    /// (one-hot on the greedy token at temperature 0); draws no uniform.
    ///
    /// - Throws: see ``sample(logits:history:)``.
    public mutating func distribution(
        logits: UnsafeBufferPointer<Float>, history: [TokenID]
    ) throws(SamplingError) -> ProcessedDistribution {
        try withAdjustedLogits(logits, history: history) { sampler, adjusted throws(SamplingError) in
            try sampler.builder.distribution(logits: adjusted)
        }
    }

    /// A token drawn from `distribution` (one from ``distribution(logits:history:)``) with one
    /// uniform of the request's stream, by ``drawIndex(distribution:uniform:)``; used where a step
    /// first inspects the distribution and then samples it (cautious trials, design §5.2).
    public mutating func draw(from distribution: ProcessedDistribution) -> TokenID {
        distribution.tokenIDs[Self.drawIndex(distribution: distribution, uniform: random.nextUniform())]
    }

    /// Runs `body` on `logits` after the penalties and logit bias (stages 1–2): on `logits`
    /// themselves when both are off, else on the sampler's scratch copy.
    private mutating func withAdjustedLogits<Result>(
        _ logits: UnsafeBufferPointer<Float>, history: [TokenID],
        _ body: (inout Sampler, UnsafeBufferPointer<Float>) throws(SamplingError) -> Result
    ) throws(SamplingError) -> Result {
        guard parameters.adjustsLogits else { return try body(&self, logits) }
        if adjusted.count < logits.count { adjusted = [Float](repeating: 0, count: logits.count) }
        // Moved out of `self` for the duration, so that `body` may use `self` meanwhile.
        var copy: [Float] = []
        swap(&copy, &adjusted)
        defer { swap(&copy, &adjusted) }
        return try copy.withUnsafeMutableBufferPointer { buffer throws(SamplingError) in
            let live = UnsafeMutableBufferPointer(rebasing: buffer[..<logits.count])
            _ = live.update(fromContentsOf: logits)
            if parameters.hasPenalties { penalties.apply(history: history, to: live) }
            try logitBias.apply(to: live)
            return try body(&self, UnsafeBufferPointer(live))
        }
    }

    /// Stages 3–8 on already adjusted logits.
    private mutating func choose(_ logits: UnsafeBufferPointer<Float>) throws(SamplingError) -> TokenID {
        if parameters.isGreedy { return try Self.greedyToken(logits: logits) }
        let distribution = try builder.distribution(logits: logits)
        let index = Self.drawIndex(distribution: distribution, uniform: random.nextUniform())
        return distribution.tokenIDs[index]
    }

    /// The greedy token: the highest logit, lowest id on ties; NaN and `-infinity` never win.
    ///
    /// - Throws: ``SamplingError/noCandidates(logitCount:)`` when no logit can win,
    ///   ``SamplingError/vocabularyTooLarge(logitCount:)``.
    public static func greedyToken(logits: UnsafeBufferPointer<Float>) throws(SamplingError) -> TokenID {
        try LogitScan(logits).argmax
    }

    /// Inverse-CDF draw: the index into `distribution` that the uniform `uniform` selects.
    ///
    /// Walks the tokens in increasing id order, summing probabilities in `Double`, and returns
    /// the first index whose cumulative probability exceeds `uniform` (strictly, so a token with
    /// probability 0 is never returned). When rounding leaves the last cumulative value at or
    /// below `uniform`, the last token with non-zero probability is returned (design §4.5).
    /// A `uniform` below 0 selects the first non-zero token; NaN selects the last one.
    public static func drawIndex(distribution: ProcessedDistribution, uniform: Double) -> Int {
        distribution.probabilities.withUnsafeBufferPointer { probabilities in
            var cumulative = 0.0
            var lastNonZero = 0
            for index in probabilities.indices {
                let probability = probabilities[index]
                guard probability > 0 else { continue }
                cumulative += probability
                if uniform < cumulative { return index }
                lastNonZero = index
            }
            return lastNonZero
        }
    }
}
