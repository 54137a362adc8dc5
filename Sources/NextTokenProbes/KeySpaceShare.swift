/// How often next-token ranks share a key-space cluster with the top tokens (design §8.5).
///
/// For one logits row, the "main" clusters are those of the `topCount` highest-ranked tokens. For each
/// band of ranks after them, the share is the fraction of the band's tokens whose cluster is a main
/// one; the baseline is the fraction of the whole vocabulary in the main clusters, what a band of
/// random tokens would show.
public struct KeySpaceShare: Sendable, Equatable {
    /// One band of ranks (1-based, inclusive) and its share.
    public struct Band: Sendable, Equatable {
        /// First rank of the band.
        public var firstRank: Int
        /// Last rank of the band.
        public var lastRank: Int
        /// Fraction of the band's tokens in a main cluster.
        public var share: Double
    }

    /// The top-ranked token ids, highest logit first.
    public var topTokens: [Int]
    /// The bands after the top ranks, in order.
    public var bands: [Band]
    /// Fraction of the vocabulary in the main clusters.
    public var baseline: Double
    /// Distinct main clusters.
    public var mainClusterCount: Int

    /// The shares for `logits` (one per token) with token `t` in cluster `clusters[t]`.
    /// - Parameters:
    ///   - topCount: ranks whose clusters are the main ones.
    ///   - bandEnds: last rank of each band, increasing, each beyond `topCount` (e.g. `[20, 50, 100]`).
    /// - Throws: ``ProbeError/invalidParameter(name:value:)`` when the counts do not fit the vocabulary.
    public init(logits: [Float], clusters: [Int], topCount: Int, bandEnds: [Int]) throws(ProbeError) {
        guard !logits.isEmpty, logits.count == clusters.count else {
            throw .invalidParameter(name: "logits", value: "\(logits.count) logits for \(clusters.count) clustered tokens")
        }
        guard topCount >= 1, let last = bandEnds.last, last <= logits.count,
              zip([topCount] + bandEnds, bandEnds).allSatisfy({ $0 < $1 })
        else {
            throw .invalidParameter(name: "ranks", value: "top \(topCount), bands ending at \(bandEnds)")
        }
        let ranking = Self.ranking(logits, count: last)
        topTokens = Array(ranking.prefix(topCount))
        let main = Set(topTokens.map { clusters[$0] })
        mainClusterCount = main.count
        baseline = Double(clusters.lazy.filter(main.contains).count) / Double(clusters.count)
        var first = topCount + 1
        bands = bandEnds.map { end in
            let members = ranking[(first - 1) ..< end]
            let band = Band(firstRank: first, lastRank: end,
                            share: Double(members.lazy.filter { main.contains(clusters[$0]) }.count) / Double(members.count))
            first = end + 1
            return band
        }
    }

    /// Indices of the `count` highest logits, highest first, lowest index on ties; NaN ranks last.
    static func ranking(_ logits: [Float], count: Int) -> [Int] {
        let key = logits.map { $0.isNaN ? -Float.infinity : $0 }
        return Array(key.indices.sorted { key[$0] > key[$1] || (key[$0] == key[$1] && $0 < $1) }.prefix(count))
    }
}
