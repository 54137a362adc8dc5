import Foundation
import NextTokenCore

/// llama.cpp's lookup decoding (algorithms.md §3.2): a chain drafted one token at a time from a
/// context n-gram cache (lax thresholds), a dynamic cache persisted across runs (strict
/// thresholds), and an optional static 2-gram cache.
public final class LlamaLookupDrafter: Drafter {
    /// Minimum continuation count and share (percent) an n-gram needs, per n-gram size 1…4.
    public struct Thresholds: Sendable {
        /// Minimum total count, index n-1.
        public var minSamples: [Int32]
        /// Minimum share of the best continuation in percent, index n-1.
        public var minPercent: [Int32]

        /// The context cache's thresholds.
        public static let lax = Thresholds(minSamples: [2, 2, 1, 1], minPercent: [66, 50, 50, 50])
        /// The dynamic cache's thresholds.
        public static let strict = Thresholds(minSamples: [4, 3, 2, 2], minPercent: [75, 66, 66, 66])
    }

    /// Built from the prompt and every committed token.
    public private(set) var context = NGramCache()
    /// Accumulates across runs; loaded from and saved to ``dynamicCacheURL``.
    public private(set) var dynamic = NGramCache()
    /// Read-only 2-gram statistics from a corpus (empty unless loaded).
    public var staticCache = NGramCache()
    /// Where the dynamic cache persists (`nil`: in memory only).
    public let dynamicCacheURL: URL?
    /// Longest chain drafted.
    public var maxDraft: Int
    private var recordedCount = 0

    public var name: String { "llama-lookup" }

    /// A drafter whose dynamic cache lives at `dynamicCacheURL` (loaded now if the file exists).
    public init(dynamicCacheURL: URL?, maxDraft: Int = 16) {
        self.dynamicCacheURL = dynamicCacheURL
        self.maxDraft = maxDraft
        if let url = dynamicCacheURL, let data = try? Data(contentsOf: url),
           let cache = NGramCache(serialized: [UInt8](data)) {
            dynamic = cache
        }
    }

    public func start(prompt: [TokenID]) {
        context = NGramCache()
        context.record(prompt, from: 1)
        recordedCount = prompt.count
    }

    public func draft(history: [TokenID], budget: Int) -> DraftTree {
        var tree = DraftTree(root: history.last ?? 0)
        var sequence = history
        var parent = 0
        while tree.draftCount < min(budget, maxDraft), let token = nextToken(after: sequence) {
            guard let index = tree.add(token: token, parent: parent, source: .ngramCache) else { break }
            parent = index
            sequence.append(token)
        }
        return tree
    }

    public func observe(_ outcome: VerificationOutcome) {
        let history = outcome.history
        for index in max(recordedCount, 1) ..< history.count { context.record(history, at: index) }
        recordedCount = history.count
    }

    public func finish(history: [TokenID]) {
        dynamic.merge(context)
        guard let url = dynamicCacheURL else { return }
        try? FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try? Data(dynamic.serialized()).write(to: url, options: .atomic)
    }

    /// The next draft token after `sequence`, or `nil` when no cache is confident enough.
    public func nextToken(after sequence: [TokenID]) -> TokenID? {
        let staticPart = sequence.count >= 2 ? staticCache.continuations(of: sequence.suffix(2)) : nil
        if let token = Self.pick(sequence, cache: context, thresholds: .lax, staticPart: staticPart) { return token }
        if let token = Self.pick(sequence, cache: dynamic, thresholds: .strict, staticPart: staticPart) { return token }
        guard let staticPart else { return nil }
        return Self.best(staticPart, weights: nil, minSamples: 2, minPercent: 50)
    }

    /// The cache's choice for the longest qualifying n-gram suffix of `sequence`.
    package static func pick(
        _ sequence: [TokenID], cache: NGramCache, thresholds: Thresholds, staticPart: [TokenID: Int32]?
    ) -> TokenID? {
        for n in stride(from: min(NGramCache.sizes.upperBound, sequence.count), through: 1, by: -1) {
            guard let continuations = cache.continuations(of: sequence.suffix(n)) else { continue }
            if let token = best(continuations, weights: staticPart,
                                minSamples: thresholds.minSamples[n - 1], minPercent: thresholds.minPercent[n - 1]) {
                return token
            }
        }
        return nil
    }

    /// The continuation with the largest `count × weight` (weight = 100 × static count when the
    /// static part has the token, else 1), if the total and its share pass the thresholds.
    package static func best(_ continuations: [TokenID: Int32], weights: [TokenID: Int32]?, minSamples: Int32, minPercent: Int32) -> TokenID? {
        var total: Int64 = 0
        var bestToken: TokenID?
        var bestScore: Int64 = -1
        var bestCount: Int64 = 0
        for token in continuations.keys.sorted() {
            let count = Int64(continuations[token] ?? 0)
            total += count
            let weight = weights?[token].map { 100 * Int64($0) } ?? 1
            if count * weight > bestScore {
                bestScore = count * weight
                bestToken = token
                bestCount = count
            }
        }
        guard total >= Int64(minSamples), 100 * bestCount >= Int64(minPercent) * total else { return nil }
        return bestToken
    }
}
