import NextTokenCore

/// One pass over a logits buffer: the greedy token and how many logits are usable.
///
/// A logit is a *candidate* when it is a number above `-infinity`: NaN and `-infinity` logits
/// never win and never get probability. `+infinity` is allowed and beats every finite logit.
struct LogitScan {
    /// The highest candidate logit's token, lowest id on ties.
    let argmax: TokenID
    /// The highest candidate logit.
    let maxLogit: Float
    /// Number of candidate logits.
    let candidateCount: Int

    /// - Throws: ``SamplingError/noCandidates(logitCount:)`` when no logit is a candidate,
    ///   ``SamplingError/vocabularyTooLarge(logitCount:)`` when ids would overflow ``TokenID``.
    init(_ logits: UnsafeBufferPointer<Float>) throws(SamplingError) {
        guard logits.count <= Int(TokenID.max) + 1 else {
            throw .vocabularyTooLarge(logitCount: logits.count)
        }
        var best = -Float.infinity
        var bestIndex = -1
        var count = 0
        for index in logits.indices {
            let logit = logits[index]
            guard logit > -.infinity else { continue }
            count &+= 1
            // Strict `>`: a tie keeps the earlier, lower id. The first candidate always passes
            // because `best` starts at `-infinity` and candidates are above it.
            if logit > best {
                best = logit
                bestIndex = index
            }
        }
        guard bestIndex >= 0 else { throw .noCandidates(logitCount: logits.count) }
        argmax = TokenID(truncatingIfNeeded: bestIndex)
        maxLogit = best
        candidateCount = count
    }
}
