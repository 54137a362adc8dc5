import NextTokenCore

/// A next-token distribution after the logit pipeline: the surviving tokens and their
/// probabilities, in increasing token id order.
///
/// Invariants: at least one token; ids strictly increasing; probabilities finite, positive for
/// every token that ``TokenDistributionBuilder`` produced (never negative for a hand-built one)
/// and summing to 1 up to rounding. Tokens that are absent have probability 0 and can never be
/// drawn. Speculative decoding caches these per draft-tree node and samples them with
/// ``Sampler/drawIndex(distribution:uniform:)``.
public struct ProcessedDistribution: Sendable, Equatable {
    /// The surviving token ids, strictly increasing.
    public private(set) var tokenIDs: [TokenID]
    /// `probabilities[i]` is the probability of `tokenIDs[i]`.
    public private(set) var probabilities: [Double]

    /// A distribution over `tokenIDs` proportional to `weights`, normalised in `Double`.
    ///
    /// Zero weights are allowed (such tokens are never drawn); at least one must be positive.
    /// - Throws: ``SamplingError/mismatchedCounts(tokenCount:weightCount:)``,
    ///   ``SamplingError/unorderedTokenIDs(index:tokenID:)``,
    ///   ``SamplingError/invalidWeight(index:weight:)`` or
    ///   ``SamplingError/unnormalizableWeights(total:)``.
    public init(tokenIDs: [TokenID], weights: [Double]) throws(SamplingError) {
        guard tokenIDs.count == weights.count else {
            throw .mismatchedCounts(tokenCount: tokenIDs.count, weightCount: weights.count)
        }
        var total = 0.0
        for index in weights.indices {
            let weight = weights[index]
            guard weight.isFinite, weight >= 0 else {
                throw .invalidWeight(index: index, weight: weight)
            }
            if index > 0, tokenIDs[index] <= tokenIDs[index - 1] {
                throw .unorderedTokenIDs(index: index, tokenID: tokenIDs[index])
            }
            total += weight
        }
        guard total > 0, total.isFinite else { throw .unnormalizableWeights(total: total) }
        self.tokenIDs = tokenIDs
        self.probabilities = weights.map { $0 / total }
    }

    /// An empty distribution, only for storage that ``TokenDistributionBuilder`` refills.
    init() {
        tokenIDs = []
        probabilities = []
    }

    /// Number of surviving tokens.
    public var count: Int { tokenIDs.count }

    /// The probability of `token`: `0` if it did not survive.
    ///
    /// - Complexity: O(log ``count``).
    public func probability(of token: TokenID) -> Double {
        var low = 0
        var high = tokenIDs.count
        while low < high {
            let middle = (low + high) / 2
            if tokenIDs[middle] < token { low = middle + 1 } else { high = middle }
        }
        return low < tokenIDs.count && tokenIDs[low] == token ? probabilities[low] : 0
    }

    /// Replaces the contents with `count` entries written by `body`, reusing the storage.
    ///
    /// `body` must write every entry, keeping ids increasing and probabilities normalised.
    /// Makes room for `count` tokens, so that overwriting with up to that many allocates nothing.
    mutating func reserveCapacity(_ count: Int) {
        tokenIDs.reserveCapacity(count)
        probabilities.reserveCapacity(count)
    }

    mutating func overwrite(
        count: Int,
        _ body: (UnsafeMutableBufferPointer<TokenID>, UnsafeMutableBufferPointer<Double>) -> Void
    ) {
        tokenIDs.removeAll(keepingCapacity: true)
        tokenIDs.append(contentsOf: repeatElement(0, count: count))
        probabilities.removeAll(keepingCapacity: true)
        probabilities.append(contentsOf: repeatElement(0, count: count))
        tokenIDs.withUnsafeMutableBufferPointer { ids in
            probabilities.withUnsafeMutableBufferPointer { body(ids, $0) }
        }
    }
}
