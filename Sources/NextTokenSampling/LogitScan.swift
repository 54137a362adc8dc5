import NextTokenCore

/// One pass over a logits buffer: the greedy token and its logit.
///
/// A logit is a *candidate* when it is a number above `-infinity`: NaN and `-infinity` logits
/// never win and never get probability. `+infinity` is allowed and beats every finite logit.
struct LogitScan {
    /// The highest candidate logit's token, lowest id on ties.
    let argmax: TokenID
    /// The highest candidate logit.
    let maxLogit: Float

    /// - Throws: ``SamplingError/noCandidates(logitCount:)`` when no logit is a candidate,
    ///   ``SamplingError/vocabularyTooLarge(logitCount:)`` when ids would overflow ``TokenID``.
    init(_ logits: UnsafeBufferPointer<Float>) throws(SamplingError) {
        guard logits.count <= Int(TokenID.max) + 1 else {
            throw .vocabularyTooLarge(logitCount: logits.count)
        }
        var (best, bestIndex) = Self.laneArgmax(logits)
        for index in (logits.count & ~7) ..< logits.count {
            let logit = logits[index]
            // Strict `>`: a tie keeps the earlier, lower id; NaN and `-infinity` never pass, and
            // the first candidate always does because `best` starts at `-infinity`.
            if logit > best {
                best = logit
                bestIndex = index
            }
        }
        guard bestIndex >= 0 else { throw .noCandidates(logitCount: logits.count) }
        argmax = TokenID(truncatingIfNeeded: bestIndex)
        maxLogit = best
    }

    /// The argmax of the first `count & ~7` logits (`(-infinity, -1)` when none is a candidate):
    /// eight lanes each keep their first maximum, then the lanes are merged (lowest id on ties).
    /// Eight independent lanes avoid the one-compare-per-element dependency chain.
    private static func laneArgmax(_ logits: UnsafeBufferPointer<Float>) -> (Float, Int) {
        let blockCount = logits.count / 8
        guard blockCount > 0, let base = logits.baseAddress else { return (-.infinity, -1) }
        let raw = UnsafeRawPointer(base)
        var bestValues = SIMD8<Float>(repeating: -.infinity)
        var bestIndices = SIMD8<Int32>(repeating: -1)
        var laneIndices = SIMD8<Int32>(0, 1, 2, 3, 4, 5, 6, 7)
        for block in 0 ..< blockCount {
            let values = raw.loadUnaligned(fromByteOffset: block &* 32, as: SIMD8<Float>.self)
            let better = values .> bestValues  // false for NaN
            bestValues.replace(with: values, where: better)
            bestIndices.replace(with: laneIndices, where: better)
            laneIndices &+= 8
        }
        var best = -Float.infinity
        var bestIndex = -1
        for lane in 0 ..< 8 where bestIndices[lane] >= 0 {
            let value = bestValues[lane]
            let index = Int(bestIndices[lane])
            if value > best || (value == best && index < bestIndex) {
                best = value
                bestIndex = index
            }
        }
        return (best, bestIndex)
    }
}
