import NextTokenCore

/// Token Recycling's adjacency matrix (algorithms.md §1.2): row `t` holds the `k` most likely next
/// tokens seen the last time token `t` was evaluated, best first; `-1` marks an unwritten entry.
///
/// One matrix is kept per loaded model and reused across requests ("hot start"). Access is
/// serialised by the engine: one speculative run updates it at a time.
public final class RecyclingMatrix: @unchecked Sendable {
    /// Marks an entry no row has written yet.
    public static let sentinel: TokenID = -1
    /// Candidates per row.
    public let k: Int
    /// Rows (the vocabulary size).
    public let vocabularySize: Int
    private var entries: [TokenID]

    /// An empty matrix (every entry the sentinel), or zero-initialised like the reference code.
    public init(vocabularySize: Int, k: Int = 8, zeroInitialised: Bool = false) {
        self.k = k
        self.vocabularySize = vocabularySize
        entries = [TokenID](repeating: zeroInitialised ? 0 : Self.sentinel, count: vocabularySize * k)
    }

    /// Entry `rank` of `token`'s row.
    public func candidate(after token: TokenID, rank: Int) -> TokenID {
        guard token >= 0, Int(token) < vocabularySize, rank < k else { return Self.sentinel }
        return entries[Int(token) * k + rank]
    }

    /// `token`'s whole row.
    public func row(_ token: TokenID) -> ArraySlice<TokenID> {
        guard token >= 0, Int(token) < vocabularySize else { return [] }
        return entries[Int(token) * k ..< Int(token) * k + k]
    }

    /// Replaces `token`'s row with `topTokens` (whole-row replacement, §1.3).
    public func write(_ token: TokenID, topTokens: [TokenID]) {
        guard token >= 0, Int(token) < vocabularySize else { return }
        for rank in 0 ..< k { entries[Int(token) * k + rank] = rank < topTokens.count ? topTokens[rank] : Self.sentinel }
    }

    /// The update of §1.3: every row of the tree in order, then the visited path again so that an
    /// accepted token's row reflects its real context.
    public func update(with outcome: VerificationOutcome) {
        for (index, node) in outcome.tree.nodes.enumerated() { write(node.token, topTokens: outcome.rowTopTokens[index]) }
        for index in outcome.visitedNodes { write(outcome.tree.nodes[index].token, topTokens: outcome.rowTopTokens[index]) }
    }

    /// Bytes of storage: `V · k · 4`.
    public var byteCount: Int { entries.count * MemoryLayout<TokenID>.size }
}
