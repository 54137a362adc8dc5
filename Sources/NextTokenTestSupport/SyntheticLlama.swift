import NextTokenCore
import NextTokenGGUF

/// Builds a tiny Llama-architecture GGUF with random weights and a byte-level vocabulary, so tests
/// can run the whole pipeline without a real model.
public struct SyntheticLlama {
    /// Width of the residual stream.
    public var embeddingLength = 64
    /// Transformer blocks.
    public var blockCount = 2
    /// Query heads.
    public var headCount = 4
    /// Key/value heads.
    public var kvHeadCount = 2
    /// Hidden width of the feed-forward network.
    public var feedForwardLength = 96
    /// Training context.
    public var contextLength = 256
    /// RoPE base.
    public var ropeBase: Float = 10_000
    /// `general.architecture`: `llama` (adjacent RoPE pairs) or `qwen2` (NeoX pairs).
    public var architecture = "llama"
    /// Element types used for the weight matrices, in turn.
    public var matrixTypes: [GGMLType] = [.q4_1, .q8_0, .q4_0, .f16, .bf16, .f32]
    /// Seed of the weights.
    public var seed: UInt64 = 1

    /// The byte tokens plus `<|im_start|>` and `<|im_end|>` (ids 256 and 257).
    public static let vocabularySize = 258

    /// A builder with the default shape.
    public init() {}

    /// The GGUF file's bytes.
    public func bytes() -> [UInt8] {
        var random = SeededGenerator(seed: seed)
        var writer = GGUFWriter()
        let arch = architecture
        writer.set("general.architecture", .string(arch))
        writer.set("general.name", .string("synthetic"))
        writer.set("\(arch).embedding_length", .uint32(UInt32(embeddingLength)))
        writer.set("\(arch).block_count", .uint32(UInt32(blockCount)))
        writer.set("\(arch).attention.head_count", .uint32(UInt32(headCount)))
        writer.set("\(arch).attention.head_count_kv", .uint32(UInt32(kvHeadCount)))
        writer.set("\(arch).feed_forward_length", .uint32(UInt32(feedForwardLength)))
        writer.set("\(arch).context_length", .uint32(UInt32(contextLength)))
        writer.set("\(arch).rope.freq_base", .float32(ropeBase))
        writer.set("\(arch).attention.layer_norm_rms_epsilon", .float32(1e-5))
        addVocabulary(to: &writer)

        let d = embeddingLength
        let headDimension = d / headCount
        let kvWidth = kvHeadCount * headDimension
        var typeIndex = 0
        func matrix(_ name: String, rows: Int, columns: Int, scale: Float) {
            let type = matrixTypes[typeIndex % matrixTypes.count]
            typeIndex += 1
            writer.addTensor(name: name, dimensions: [columns, rows], type: type,
                             data: RandomBlocks.make(type: type, count: rows * columns, scale: scale, using: &random))
        }
        func vector(_ name: String, count: Int) {
            let values = (0 ..< count).map { _ in 1 + 0.2 * random.nextSigned() }
            writer.addTensor(name: name, dimensions: [count], type: .f32, data: RandomBlocks.f32Bytes(values))
        }
        writer.addTensor(name: "token_embd.weight", dimensions: [d, Self.vocabularySize], type: .q8_0,
                         data: RandomBlocks.make(type: .q8_0, count: d * Self.vocabularySize, scale: 1, using: &random))
        let projectionScale = 1 / Float(d).squareRoot()
        for block in 0 ..< blockCount {
            let p = "blk.\(block)."
            vector(p + "attn_norm.weight", count: d)
            matrix(p + "attn_q.weight", rows: d, columns: d, scale: projectionScale * 2)
            matrix(p + "attn_k.weight", rows: kvWidth, columns: d, scale: projectionScale * 2)
            matrix(p + "attn_v.weight", rows: kvWidth, columns: d, scale: projectionScale)
            matrix(p + "attn_output.weight", rows: d, columns: d, scale: projectionScale)
            vector(p + "ffn_norm.weight", count: d)
            matrix(p + "ffn_gate.weight", rows: feedForwardLength, columns: d, scale: projectionScale)
            matrix(p + "ffn_up.weight", rows: feedForwardLength, columns: d, scale: projectionScale)
            matrix(p + "ffn_down.weight", rows: d, columns: feedForwardLength,
                   scale: 1 / Float(feedForwardLength).squareRoot())
        }
        vector("output_norm.weight", count: d)
        return writer.bytes()
    }

    /// GPT-2 byte-level tokens for all 256 bytes, no merges, and two ChatML control tokens.
    private func addVocabulary(to writer: inout GGUFWriter) {
        let tokens = ByteLevelAlphabet.symbols + ["<|im_start|>", "<|im_end|>"]
        writer.set("tokenizer.ggml.model", .string("gpt2"))
        writer.set("tokenizer.ggml.pre", .string("gpt2"))
        writer.set("tokenizer.ggml.tokens", .array(tokens.map { .string($0) }))
        writer.set("tokenizer.ggml.token_type", .array(tokens.indices.map { .int32($0 < 256 ? 1 : 3) }))
        writer.set("tokenizer.ggml.merges", .array([]))
        writer.set("tokenizer.ggml.bos_token_id", .uint32(256))
        writer.set("tokenizer.ggml.eos_token_id", .uint32(257))
        writer.set("tokenizer.ggml.add_bos_token", .bool(false))
    }
}

/// GPT-2's printable stand-ins for the 256 byte values, in byte order.
enum ByteLevelAlphabet {
    static let symbols: [String] = {
        var printable = Set<Int>()
        for range in [0x21 ... 0x7E, 0xA1 ... 0xAC, 0xAE ... 0xFF] { printable.formUnion(range) }
        var next = 256
        return (0 ..< 256).map { byte in
            if printable.contains(byte) { return String(Character(Unicode.Scalar(UInt8(byte)))) }
            defer { next += 1 }
            return String(Character(Unicode.Scalar(UInt16(next))!))
        }
    }()
}
