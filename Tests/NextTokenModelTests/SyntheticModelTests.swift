import NextTokenCore
import NextTokenGGUF
import NextTokenKernels
import NextTokenModel
import NextTokenTestSupport
import Testing

@Suite("Llama forward pass on synthetic models")
struct SyntheticModelTests {
    static func load(_ builder: SyntheticLlama = SyntheticLlama()) throws -> LlamaModel {
        try LlamaModel(file: try GGUFFile(bytes: builder.bytes()))
    }

    static let tokens: [TokenID] = (0 ..< 40).map { TokenID(($0 * 37 + 11) % SyntheticLlama.vocabularySize) }

    @Test("the f32 path matches the float64 reference", arguments: ["llama", "qwen2"])
    func matchesReference(architecture: String) throws {
        var builder = SyntheticLlama()
        builder.architecture = architecture
        let model = try Self.load(builder)
        let context = model.makeContext(capacity: 64, pool: WorkerPool(threadCount: 2), precision: .f32)
        let fast = try model.logits(ForwardBatch(tokens: Self.tokens, startingAt: 0), context: context,
                                    logitRows: Array(Self.tokens.indices))
        let reference = ReferenceLlama(model: model).logits(Self.tokens)
        let v = model.vocabularySize
        var worst = 0.0
        for (t, row) in reference.enumerated() {
            let scale = row.map(abs).max() ?? 1
            for i in 0 ..< v { worst = max(worst, abs(Double(fast[t * v + i]) - row[i]) / scale) }
        }
        #expect(worst < 1e-4, "worst relative error \(worst)")
    }

    @Test("a row's logits are bit-identical for every batch size 1…64 and thread count")
    func batchInvariance() throws {
        let model = try Self.load()
        let tokens = Array((Self.tokens + Self.tokens).prefix(64))
        func logits(chunk: Int, threads: Int) throws -> [Float] {
            let context = model.makeContext(capacity: 64, pool: WorkerPool(threadCount: threads))
            var all: [Float] = []
            var start = 0
            while start < tokens.count {
                let end = min(start + chunk, tokens.count)
                all += try model.logits(ForwardBatch(tokens: Array(tokens[start ..< end]), startingAt: start),
                                        context: context, logitRows: Array(0 ..< end - start))
                start = end
            }
            return all
        }
        let baseline = try logits(chunk: 1, threads: 1).map(\.bitPattern)
        for threads in [1, 2] {
            for chunk in 1 ... 64 where !(chunk == 1 && threads == 1) {
                let other = try logits(chunk: chunk, threads: threads).map(\.bitPattern)
                #expect(other == baseline, "chunk \(chunk), threads \(threads)")
            }
        }
    }

    @Test("a draft-tree batch gives each node the logits of decoding its path alone")
    func treeMask() throws {
        let model = try Self.load()
        let prefix: [TokenID] = [5, 77, 200, 13]
        // Tree: root 9; children 40 and 41 of the root; child 99 of node 2.
        let treeTokens: [TokenID] = [9, 40, 41, 99]
        let visible = [[0], [0, 1], [0, 2], [0, 2, 3]]
        let depths = [0, 1, 1, 2]
        let pool = WorkerPool(threadCount: 2)
        let context = model.makeContext(capacity: 16, pool: pool)
        _ = try model.logits(ForwardBatch(tokens: prefix, startingAt: 0), context: context, logitRows: [])
        let tree = try model.logits(
            ForwardBatch(tokens: treeTokens, positions: depths.map { prefix.count + $0 }, mask: .rows(visible)),
            context: context, logitRows: [0, 1, 2, 3])
        let v = model.vocabularySize
        for node in 0 ..< 4 {
            let path = prefix + visible[node].map { treeTokens[$0] }
            let alone = model.makeContext(capacity: 16, pool: pool)
            var sequential: [Float] = []
            for (position, token) in path.enumerated() {
                sequential = try model.logits(ForwardBatch(tokens: [token], startingAt: position),
                                              context: alone, logitRows: [0])
            }
            #expect(Array(tree[node * v ..< (node + 1) * v]).map(\.bitPattern) == sequential.map(\.bitPattern),
                    "node \(node)")
        }
    }

    @Test("truncating the cache and re-decoding reproduces the logits")
    func truncateAndRedo() throws {
        let model = try Self.load()
        let context = model.makeContext(capacity: 64, pool: WorkerPool(threadCount: 1))
        let first = try model.logits(ForwardBatch(tokens: Self.tokens, startingAt: 0), context: context,
                                     logitRows: [Self.tokens.count - 1])
        context.cache.truncate(to: 10)
        let again = try model.logits(ForwardBatch(tokens: Array(Self.tokens[10...]), startingAt: 10),
                                     context: context, logitRows: [Self.tokens.count - 11])
        #expect(first.map(\.bitPattern) == again.map(\.bitPattern))
    }

    @Test("bad batches are typed errors")
    func badBatches() throws {
        let model = try Self.load()
        let context = model.makeContext(capacity: 4, pool: WorkerPool(threadCount: 1))
        #expect(throws: ModelError.tokenOutOfRange(9999, vocabularySize: SyntheticLlama.vocabularySize)) {
            try model.logits(ForwardBatch(tokens: [9999], startingAt: 0), context: context, logitRows: [0])
        }
        #expect(throws: ModelError.contextFull(needed: 5, capacity: 4)) {
            try model.logits(ForwardBatch(tokens: [1, 2, 3, 4, 5], startingAt: 0), context: context, logitRows: [])
        }
        #expect(throws: ModelError.self) {
            try model.logits(ForwardBatch(tokens: [1, 2], positions: [0, 1], mask: .rows([[0], [0]])),
                             context: context, logitRows: [])
        }
    }

    @Test("missing hyper-parameters and tensors are named")
    func missingPieces() throws {
        var writer = GGUFWriter()
        writer.set("general.architecture", .string("llama"))
        let file = try GGUFFile(bytes: writer.bytes())
        #expect(throws: ModelError.missingTensor("token_embd.weight")) { try LlamaModel(file: file) }
        var unknown = GGUFWriter()
        unknown.set("general.architecture", .string("mamba"))
        #expect(throws: ModelError.unsupportedArchitecture("mamba")) {
            try ModelLoader.load(try GGUFFile(bytes: unknown.bytes()))
        }
    }
}
