import NextTokenCore
import NextTokenGGUF
import NextTokenKernels
import NextTokenModel
import NextTokenTestSupport
import Testing

@Suite("Multi-sequence forward passes (continuous batching)")
struct MultiSequenceForwardTests {
    static let prompts: [[TokenID]] = [
        (0 ..< 9).map { TokenID(($0 * 37 + 11) % SyntheticLlama.vocabularySize) },
        (0 ..< 4).map { TokenID(($0 * 53 + 7) % SyntheticLlama.vocabularySize) },
        (0 ..< 13).map { TokenID(($0 * 19 + 3) % SyntheticLlama.vocabularySize) },
    ]

    /// Logits of every row of `prompts[i]` fed in `chunks` sizes, each sequence alone.
    static func solo(_ model: LlamaModel, _ prompt: [TokenID]) throws -> [Float] {
        let context = model.makeContext(capacity: 32, pool: WorkerPool(threadCount: 1))
        return try model.logits(ForwardBatch(tokens: prompt, startingAt: 0), context: context,
                                logitRows: Array(prompt.indices))
    }

    @Test("sequences fed together in uneven steps give bit-identical logits to each alone")
    func matchesSolo() throws {
        let model = try LlamaModel(file: try GGUFFile(bytes: SyntheticLlama().bytes()))
        let v = model.vocabularySize
        let expected = try Self.prompts.map { try Self.solo(model, $0).map(\.bitPattern) }
        let contexts = Self.prompts.map { _ in model.makeContext(capacity: 32, pool: WorkerPool(threadCount: 1)) }
        let workspace = ForwardWorkspace(pool: WorkerPool(threadCount: 2))
        var got: [[UInt32]] = Self.prompts.map { _ in [] }
        var fed = Self.prompts.map { _ in 0 }
        var step = 0
        // Each step feeds a different number of rows per sequence (prefill chunks beside single decode rows).
        while zip(fed, Self.prompts).contains(where: { $0 < $1.count }) {
            var sequences: [SequenceBatch] = []
            var owners: [Int] = []
            for (index, prompt) in Self.prompts.enumerated() where fed[index] < prompt.count {
                let count = min(prompt.count - fed[index], 1 + (step + index) % 4)
                let tokens = Array(prompt[fed[index] ..< fed[index] + count])
                sequences.append(SequenceBatch(batch: ForwardBatch(tokens: tokens, startingAt: fed[index]),
                                               context: contexts[index], logitRows: Array(0 ..< count)))
                owners.append(index)
                fed[index] += count
            }
            let total = sequences.reduce(0) { $0 + $1.logitRows.count }
            var logits = [Float](repeating: 0, count: total * v)
            try logits.withUnsafeMutableBufferPointer { buffer in
                try model.forward(sequences, workspace: workspace, logits: buffer.baseAddress!)
            }
            var offset = 0
            for (sequence, owner) in zip(sequences, owners) {
                let count = sequence.logitRows.count * v
                got[owner] += logits[offset ..< offset + count].map(\.bitPattern)
                offset += count
            }
            step += 1
        }
        #expect(got == expected)
        #expect(zip(contexts, Self.prompts).allSatisfy { $0.cache.length == $1.count })
    }

    @Test("two sequences on one cache, or a sequence beyond its capacity, are refused")
    func refused() throws {
        let model = try LlamaModel(file: try GGUFFile(bytes: SyntheticLlama().bytes()))
        let context = model.makeContext(capacity: 4, pool: WorkerPool(threadCount: 1))
        let workspace = ForwardWorkspace(pool: WorkerPool(threadCount: 1))
        var logits = [Float](repeating: 0, count: 2 * model.vocabularySize)
        let shared = [SequenceBatch(batch: ForwardBatch(tokens: [1], startingAt: 0), context: context, logitRows: [0]),
                      SequenceBatch(batch: ForwardBatch(tokens: [2], startingAt: 0), context: context, logitRows: [0])]
        #expect(throws: ModelError.self) {
            try logits.withUnsafeMutableBufferPointer { try model.forward(shared, workspace: workspace, logits: $0.baseAddress!) }
        }
        let long = [SequenceBatch(batch: ForwardBatch(tokens: [1, 2, 3, 4, 5], startingAt: 0), context: context,
                                  logitRows: [])]
        #expect(throws: ModelError.self) {
            try logits.withUnsafeMutableBufferPointer { try model.forward(long, workspace: workspace, logits: $0.baseAddress!) }
        }
        #expect(context.cache.length == 0, "a refused pass changes no cache")
    }
}
