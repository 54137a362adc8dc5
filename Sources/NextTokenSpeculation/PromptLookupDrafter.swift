import NextTokenCore

/// Prompt-lookup decoding (algorithms.md §3.1): copy the continuation of an earlier occurrence of
/// the last n tokens as one draft chain.
public final class PromptLookupDrafter: Drafter {
    /// Longest n-gram tried first.
    public var maxNgram: Int
    /// Longest chain drafted.
    public var maxDraft: Int
    /// Prefer the most recent earlier occurrence (engine default) instead of the earliest.
    public var preferRecent: Bool
    /// Accept a continuation shorter than `maxDraft` near the end of the history.
    public var allowShort: Bool

    public var name: String { "lookup" }

    /// A drafter with the reference defaults (3-grams, 10 tokens) and the engine's options.
    public init(maxNgram: Int = 3, maxDraft: Int = 10, preferRecent: Bool = true, allowShort: Bool = true) {
        self.maxNgram = maxNgram
        self.maxDraft = maxDraft
        self.preferRecent = preferRecent
        self.allowShort = allowShort
    }

    public func draft(history: [TokenID], budget: Int) -> DraftTree {
        var tree = DraftTree(root: history.last ?? 0)
        let chain = continuation(in: history, length: min(budget, maxDraft))
        var parent = 0
        for token in chain {
            guard let index = tree.add(token: token, parent: parent, source: .context(matchLength: 0)) else { break }
            parent = index
        }
        return tree
    }

    /// The drafted chain for `history` (empty when nothing matches).
    public func continuation(in history: [TokenID], length: Int) -> [TokenID] {
        guard length > 0 else { return [] }
        let count = history.count
        for n in stride(from: min(maxNgram, count - 1), through: 1, by: -1) {
            let keyStart = count - n
            // Windows ending before the key itself; `start` is the window's first index.
            let starts = preferRecent
                ? Array(stride(from: keyStart - 1, through: 0, by: -1))
                : Array(0 ..< keyStart)
            for start in starts {
                var equal = true
                for offset in 0 ..< n where history[start + offset] != history[keyStart + offset] {
                    equal = false
                    break
                }
                guard equal else { continue }
                let from = start + n
                let available = count - from
                if available <= 0 { continue }
                if !allowShort && available < length { continue }
                return Array(history[from ..< min(count, from + length)])
            }
        }
        return []
    }
}
