import NextTokenCore

/// Everything that can go wrong while configuring a sampler or sampling a token.
///
/// Cases carry the offending value so that a caller can report it.
public enum SamplingError: Error, Sendable, Equatable {
    /// The temperature is negative, infinite or NaN (valid: finite and `>= 0`; `0` means greedy).
    case invalidTemperature(Double)
    /// The top-k count is negative (valid: `>= 0`; `0` turns top-k off).
    case invalidTopK(Int)
    /// The top-p mass is outside `(0, 1]` or NaN (`1` turns top-p off).
    case invalidTopP(Double)
    /// The min-p ratio is outside `[0, 1)` or NaN (`0` turns min-p off).
    case invalidMinP(Double)
    /// The repetition penalty is not a finite number `> 0` (`1` turns it off).
    case invalidRepetitionPenalty(Double)
    /// The frequency penalty is infinite or NaN.
    case invalidFrequencyPenalty(Double)
    /// The presence penalty is infinite or NaN.
    case invalidPresencePenalty(Double)
    /// The penalty window is below `-1` (`-1` = the whole history).
    case invalidPenaltyWindow(Int)
    /// A logit bias has a negative token id, or a NaN or `+infinity` bias.
    case invalidLogitBias(token: TokenID, bias: Float)
    /// A logit bias names a token outside the vocabulary of `vocabularySize` tokens.
    case logitBiasOutOfVocabulary(token: TokenID, vocabularySize: Int)
    /// The typical-p mass is outside `(0, 1]` or NaN (`1` turns typical-p off).
    case invalidTypicalP(Double)
    /// No logit is a usable number: the buffer is empty or holds only NaN and `-infinity`.
    case noCandidates(logitCount: Int)
    /// The logits buffer has more entries than a ``TokenID`` can index.
    case vocabularyTooLarge(logitCount: Int)
    /// A hand-built distribution has `tokenCount` ids but `weightCount` weights.
    case mismatchedCounts(tokenCount: Int, weightCount: Int)
    /// A hand-built distribution's ids are not strictly increasing at `index`.
    case unorderedTokenIDs(index: Int, tokenID: TokenID)
    /// A hand-built distribution has a negative or non-finite weight at `index`.
    case invalidWeight(index: Int, weight: Double)
    /// A hand-built distribution has no positive weight (or its weights sum to infinity).
    case unnormalizableWeights(total: Double)
}
