import NextTokenCore

/// An append-only index from n-grams (1…`maxN` tokens) of the committed sequence to the positions
/// right after each occurrence (algorithms.md §2.3).
public struct ContextIndex: Sendable {
    /// Longest n-gram indexed.
    public let maxN: Int
    private var ends: [[TokenID]: [Int]] = [:]
    /// The indexed tokens.
    public private(set) var tokens: [TokenID] = []

    /// An empty index.
    public init(maxN: Int = 3) { self.maxN = maxN }

    /// Indexes every token of `history` not indexed yet.
    public mutating func extend(to history: [TokenID]) {
        guard history.count > tokens.count else { return }
        for index in tokens.count ..< history.count {
            tokens.append(history[index])
            for n in 1 ... maxN where index + 1 - n >= 0 {
                ends[Array(tokens[index + 1 - n ... index]), default: []].append(index + 1)
            }
        }
    }

    /// A match of the history's last tokens and the chain that followed it.
    public struct Match: Sendable, Equatable {
        /// Length of the matched n-gram.
        public var length: Int
        /// The continuation after the earlier occurrence.
        public var continuation: [TokenID]

        /// A match of `length` tokens followed by `continuation`.
        public init(length: Int, continuation: [TokenID]) {
            self.length = length
            self.continuation = continuation
        }
    }

    /// The longest suffix n-gram (from `maxN` down to `minN`) with an earlier occurrence that has a
    /// continuation; the most recent occurrence wins. Up to `altCount` extra chains whose first
    /// token differs follow.
    public func matches(minN: Int = 1, maxLength: Int, altCount: Int = 0) -> [Match] {
        let count = tokens.count
        for n in stride(from: min(maxN, count), through: minN, by: -1) {
            guard let positions = ends[Array(tokens[(count - n)...])] else { continue }
            var found: [Match] = []
            var firstTokens = Set<TokenID>()
            for end in positions.reversed() where end < count {
                let continuation = Array(tokens[end ..< min(count, end + maxLength)])
                guard let first = continuation.first, firstTokens.insert(first).inserted else { continue }
                found.append(Match(length: n, continuation: continuation))
                if found.count > altCount { break }
            }
            if !found.isEmpty { return found }
        }
        return []
    }
}
