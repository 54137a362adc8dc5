import NextTokenCore

/// One cover of the bytes after the anchor (design §6.2): a valid encoding of a shorter prefix
/// (a ``CoverBase``) followed by `token`, which starts where the base ends and reaches past the
/// end of the bytes; `consumed` of its bytes lie inside them, the rest is its overhang.
struct Cover {
    /// The key of its base in the state's table of bases.
    var base: Int
    /// The last token.
    var token: TokenID
    /// How many bytes of `token` the prefix already contains (less than its length).
    var consumed: Int
    /// `log P(base tokens + [token] | anchor)` under the pruned distributions.
    var logProbability: Double
}

/// A valid encoding of the bytes between the anchor and some offset (the canonical one, or one
/// a look-ahead pre-tokenizer produces when more text follows), with the cumulative
/// log-probability of each of its prefixes.
struct CoverBase {
    /// The tokens after the anchor.
    var tokens: [TokenID]
    /// `cumulative[k] = log P(tokens[..<k] | anchor)`; one more entry than `tokens`.
    var cumulative: [Double]

    /// The base of the anchor itself: no tokens, probability 1.
    static let empty = CoverBase(tokens: [], cumulative: [0])

    /// `log P(tokens | anchor)`.
    var logProbability: Double { cumulative[tokens.count] }

    /// This base extended by `token`, whose log-probability after it is `logProbability`.
    func appending(_ token: TokenID, logProbability: Double) -> CoverBase {
        CoverBase(tokens: tokens + [token], cumulative: cumulative + [logProbability])
    }

    /// This base seen from an anchor `count` tokens later (its tokens must start with them).
    func droppingFirst(_ count: Int) -> CoverBase {
        let offset = cumulative[count]
        return CoverBase(tokens: Array(tokens[count...]), cumulative: cumulative[count...].map { $0 - offset })
    }
}

/// A cover whose last token ends exactly at the end of the bytes: an encoding of the bytes so
/// far that may continue, with the pruned next-token distribution after it.
struct Branch {
    var base: CoverBase
    var table: NextTokenTable?
}

/// Unnormalised next-symbol masses: `weights[s] · exp(shift)` is the probability mass (relative
/// to the anchor) of the prefix followed by symbol `s`.
struct SymbolMasses {
    var weights: [Double]
    var shift: Double

    /// `Σ weights`.
    var total: Double { weights.reduce(0, +) }
}
