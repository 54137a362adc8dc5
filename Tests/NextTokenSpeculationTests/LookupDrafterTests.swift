import Foundation
import NextTokenCore
import NextTokenSpeculation
import Testing

@Suite("Prompt lookup and llama.cpp lookup")
struct LookupDrafterTests {
    @Test("prompt lookup copies the continuation of the longest, most recent n-gram match")
    func promptLookup() {
        let drafter = PromptLookupDrafter(maxNgram: 3, maxDraft: 3)
        // "1 2 3 4 5 ... 1 2 3 9 9 ... 1 2 3" → the most recent "1 2 3" continues with 9 9.
        let history: [TokenID] = [1, 2, 3, 4, 5, 6, 1, 2, 3, 9, 9, 7, 1, 2, 3]
        #expect(drafter.continuation(in: history, length: 3) == [9, 9, 7])
        let earliest = PromptLookupDrafter(maxNgram: 3, maxDraft: 3, preferRecent: false)
        #expect(earliest.continuation(in: history, length: 3) == [4, 5, 6])
        #expect(drafter.continuation(in: [1, 2, 3], length: 3) == [])
        let tree = drafter.draft(history: history, budget: 2)
        #expect(tree.tokens == [3, 9, 9])
        #expect(tree.nodes.map(\.depth) == [0, 1, 2])
    }

    @Test("prompt lookup falls back to shorter n-grams and, optionally, short continuations")
    func shorterMatches() {
        let drafter = PromptLookupDrafter(maxNgram: 3, maxDraft: 4)
        #expect(drafter.continuation(in: [5, 8, 6, 7, 8], length: 4) == [6, 7, 8])
        let strict = PromptLookupDrafter(maxNgram: 3, maxDraft: 4, allowShort: false)
        #expect(strict.continuation(in: [5, 8, 6, 7, 8], length: 4) == [])
    }

    @Test("llama.cpp thresholds: {a:2,b:1} drafts a (66.7% ≥ 66), {a:1,b:1} does not (50% < 66)")
    func thresholds() {
        #expect(LlamaLookupDrafter.best([10: 2, 11: 1], weights: nil, minSamples: 2, minPercent: 66) == 10)
        #expect(LlamaLookupDrafter.best([10: 1, 11: 1], weights: nil, minSamples: 2, minPercent: 66) == nil)
        #expect(LlamaLookupDrafter.best([10: 1], weights: nil, minSamples: 2, minPercent: 66) == nil)
        #expect(LlamaLookupDrafter.best([10: 2, 11: 2], weights: nil, minSamples: 2, minPercent: 50) == 10)
        // Static weights multiply by 100 × static count and can flip the choice.
        #expect(LlamaLookupDrafter.best([10: 3, 11: 1], weights: [11: 1], minSamples: 2, minPercent: 25) == 11)
        let lax = LlamaLookupDrafter.Thresholds.lax
        let strict = LlamaLookupDrafter.Thresholds.strict
        #expect(lax.minSamples == [2, 2, 1, 1] && lax.minPercent == [66, 50, 50, 50])
        #expect(strict.minSamples == [4, 3, 2, 2] && strict.minPercent == [75, 66, 66, 66])
    }

    @Test("the context cache drafts from the longest qualifying n-gram")
    func contextDrafting() {
        let drafter = LlamaLookupDrafter(dynamicCacheURL: nil)
        drafter.start(prompt: [1, 2, 3, 1, 2, 3, 1, 2])
        // 2-gram (1,2) was followed by 3 twice: 100% ≥ 50, count 2 ≥ 2.
        #expect(drafter.nextToken(after: [1, 2]) == 3)
        let tree = drafter.draft(history: [1, 2, 3, 1, 2], budget: 4)
        #expect(tree.tokens.prefix(3) == [2, 3, 1])
    }

    @Test("the dynamic cache file round-trips and merging adds counts")
    func dynamicCacheRoundTrip() throws {
        var cache = NGramCache()
        cache.record([1, 2, 3, 2, 3], from: 1)
        let restored = try #require(NGramCache(serialized: cache.serialized()))
        #expect(restored == cache)
        var merged = cache
        merged.merge(cache)
        #expect(merged.continuations(of: [2])?[3] == 2 * (cache.continuations(of: [2])?[3] ?? 0))
        #expect(NGramCache(serialized: Array(cache.serialized().dropLast())) == nil)
        #expect(NGramCache(serialized: [255, 255, 255, 127]) == nil)

        let url = FileManager.default.temporaryDirectory.appendingPathComponent("lookup-\(UUID()).ngram")
        defer { try? FileManager.default.removeItem(at: url) }
        let first = LlamaLookupDrafter(dynamicCacheURL: url)
        first.start(prompt: [4, 5, 6, 4, 5, 6])
        first.finish(history: [4, 5, 6, 4, 5, 6])
        let second = LlamaLookupDrafter(dynamicCacheURL: url)
        #expect(second.dynamic == first.dynamic)
        #expect(second.dynamic.continuations(of: [4, 5])?[6] == 2)
    }
}
