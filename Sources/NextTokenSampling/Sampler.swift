import NextTokenCore

/// Chooses next tokens for one request: greedy, or one seeded random draw per emitted token.
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

    /// A sampler for `parameters`.
    ///
    /// - Throws: the parameters' validation error (see ``SamplingParameters/validate()``).
    public init(parameters: SamplingParameters) throws(SamplingError) {
        builder = try TokenDistributionBuilder(parameters: parameters)
        self.parameters = parameters
        var system = SystemRandomNumberGenerator()
        seed = parameters.seed ?? system.next()
        random = SeededRandom(seed: seed)
    }

    /// The next token for `logits` (one entry per token id).
    ///
    /// - Throws: ``SamplingError/noCandidates(logitCount:)`` when every logit is NaN or
    ///   `-infinity` (or there are none), ``SamplingError/vocabularyTooLarge(logitCount:)``.
    ///   A failed call draws no uniform.
    public mutating func sample(logits: UnsafeBufferPointer<Float>) throws(SamplingError) -> TokenID {
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
