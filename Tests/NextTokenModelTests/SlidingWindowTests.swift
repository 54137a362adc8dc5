import NextTokenCore
import NextTokenGGUF
import NextTokenKernels
import NextTokenModel
import NextTokenTestSupport
import Testing

/// Gemma 3's local layers see only the last `sliding_window` positions. The real window (512) is
/// too long for a float64 reference, so the test rewrites the real model's GGUF with a window of 6.
@Suite("Gemma 3 sliding-window attention")
struct SlidingWindowTests {
    static func gemma(window: Int) throws -> Gemma3Model {
        let original = try GGUFFile(path: try TestModels.requireOrSkip("gemma3"))
        var writer = GGUFWriter()
        for key in original.metadata.keys {
            guard let value = original.metadata[key], key != "general.alignment" else { continue }
            writer.set(key, key == "gemma3.attention.sliding_window" ? .uint32(UInt32(window)) : value)
        }
        for tensor in original.tensors {
            writer.addTensor(name: tensor.name, dimensions: tensor.dimensions, type: tensor.type,
                             data: Array(original.data(of: tensor)))
        }
        return try Gemma3Model(file: try GGUFFile(bytes: writer.bytes()))
    }

    @Test("with a window of 6, the f32 path matches the float64 reference beyond the window")
    func matchesReference() throws {
        let model = try Self.gemma(window: 6)
        #expect(model.hyperparameters.slidingWindow == 6)
        let tokens: [TokenID] = [2, 818, 5279, 529, 7001, 563, 9079, 236761, 1018, 3617, 529, 506, 7001]
        let checked: Set<Int> = [5, 9, 12]
        let context = model.makeContext(capacity: tokens.count, pool: WorkerPool(threadCount: 2), precision: .f32)
        let fast = try model.logits(ForwardBatch(tokens: tokens, startingAt: 0), context: context,
                                    logitRows: checked.sorted())
        let reference = ReferenceGemma(model: model).logits(tokens, at: checked)
        let v = model.vocabularySize
        for (slot, row) in reference.enumerated() {
            var worst = 0.0
            for i in 0 ..< v { worst = max(worst, abs(Double(fast[slot * v + i]) - row[i])) }
            #expect(worst < 1e-2, "row \(slot): \(worst)")
        }
        // The window matters: the full-window model gives other logits at the last position.
        let full = try Self.gemma(window: 512)
        let fullContext = full.makeContext(capacity: tokens.count, pool: WorkerPool(threadCount: 2))
        let unwindowed = try full.logits(ForwardBatch(tokens: tokens, startingAt: 0), context: fullContext,
                                         logitRows: [tokens.count - 1])
        let last = Array(fast[2 * v ..< 3 * v])
        #expect(zip(last, unwindowed).map { abs($0 - $1) }.max() ?? 0 > 1e-3)
    }

    @Test("with a window of 6, decoding one token at a time equals batched prefill bit for bit")
    func decodeEqualsPrefill() throws {
        let model = try Self.gemma(window: 6)
        let tokens: [TokenID] = (0 ..< 16).map { TokenID(1000 + $0 * 37) }
        let pool = WorkerPool(threadCount: 2)
        let batched = try model.logits(ForwardBatch(tokens: tokens, startingAt: 0),
                                       context: model.makeContext(capacity: 16, pool: pool), logitRows: [15])
        let context = model.makeContext(capacity: 16, pool: pool)
        var single: [Float] = []
        for (position, token) in tokens.enumerated() {
            single = try model.logits(ForwardBatch(tokens: [token], startingAt: position), context: context,
                                      logitRows: [0])
        }
        #expect(single.map(\.bitPattern) == batched.map(\.bitPattern))
    }
}
