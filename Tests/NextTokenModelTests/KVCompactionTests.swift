import NextTokenCore
import NextTokenGGUF
import NextTokenKernels
import NextTokenModel
import NextTokenTestSupport
import Testing

/// algorithms.md §0.4: after a tree step whose accepted path is not contiguous, compaction leaves
/// a cache whose next logits equal those of re-prefilling the committed tokens, bit for bit.
@Suite("KV-cache compaction after a draft tree")
struct KVCompactionTests {
    static func check(_ model: any LanguageModel, prefix: [TokenID]) throws {
        let pool = WorkerPool(threadCount: 2)
        let context = model.makeContext(capacity: 64, pool: pool)
        _ = try model.logits(ForwardBatch(tokens: prefix, startingAt: 0), context: context, logitRows: [])
        // Root 11; children 20, 21, 22; 30 under 22; 31 and 32 under 30. Accept root → 22 → 30 → 32.
        let tokens: [TokenID] = [11, 20, 21, 22, 30, 31, 32]
        let parents = [-1, 0, 0, 0, 3, 4, 4]
        var paths: [[Int]] = []
        var depths: [Int] = []
        for node in tokens.indices {
            var path: [Int] = []
            var current = node
            while current >= 0 { path.insert(current, at: 0); current = parents[current] }
            paths.append(path)
            depths.append(path.count - 1)
        }
        let cached = context.cache.length
        _ = try model.logits(ForwardBatch(tokens: tokens, positions: depths.map { cached + $0 }, mask: .rows(paths)),
                             context: context, logitRows: [])
        let accepted = [0, 3, 4, 6]
        for (slot, row) in accepted.enumerated() { context.cache.moveSlot(cached + row, to: cached + slot) }
        context.cache.truncate(to: cached + accepted.count)
        let next: TokenID = 40
        let compacted = try model.logits(ForwardBatch(tokens: [next], startingAt: context.cache.length),
                                         context: context, logitRows: [0])

        let committed = prefix + accepted.map { tokens[$0] } + [next]
        let fresh = model.makeContext(capacity: 64, pool: pool)
        let refilled = try model.logits(ForwardBatch(tokens: committed, startingAt: 0), context: fresh,
                                        logitRows: [committed.count - 1])
        #expect(compacted.map(\.bitPattern) == refilled.map(\.bitPattern))
    }

    @Test("synthetic model")
    func synthetic() throws {
        try Self.check(try LlamaModel(file: try GGUFFile(bytes: SyntheticLlama().bytes())), prefix: [5, 6, 7, 8, 9])
    }

    @Test("SmolLM2")
    func smollm2() throws {
        let model = try LlamaModel(file: try GGUFFile(path: try TestModels.requireOrSkip("smollm2")))
        try Self.check(model, prefix: [504, 33059, 40061, 30324, 260])
    }
}
