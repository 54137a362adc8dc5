import NextTokenCore
import NextTokenGGUF
import NextTokenTestSupport
import Testing

/// Reads the real models; skipped with a notice when they are absent, unless
/// `NEXTTOKEN_REQUIRE_MODELS=1` makes that a failure.
@Suite("GGUF reader on real models")
struct GGUFRealModelTests {
    @Test("SmolLM2-135M Q4_1 has the known metadata and tensors")
    func smolLM2() throws {
        let file = try GGUFFile(path: try TestModels.requireOrSkip("smollm2"))
        #expect(file.version == 3)
        #expect(try file.metadata.string("general.architecture") == "llama")
        #expect(try file.metadata.string("tokenizer.ggml.pre") == "smollm")
        let tokens = try file.metadata.strings("tokenizer.ggml.tokens")
        #expect(tokens.count == 49152)
        #expect(try file.metadata.strings("tokenizer.ggml.merges").count == 48900)
        let embedding = try #require(file.tensor(named: "token_embd.weight"))
        #expect(embedding.type == .q8_0)
        #expect(embedding.dimensions == [576, 49152])
        let query = try #require(file.tensor(named: "blk.0.attn_q.weight"))
        #expect(query.type == .q4_1)
        #expect(query.dimensions == [576, 576])
        #expect(query.byteCount == 576 * 576 / 32 * 20)
        #expect(file.data(of: query).count == query.byteCount)
        #expect(try file.metadata.int("llama.block_count") == 30)
    }

    @Test("Gemma 3 270M Q4_K_M parses with its 262144-token vocabulary")
    func gemma3() throws {
        let file = try GGUFFile(path: try TestModels.requireOrSkip("gemma3"))
        #expect(try file.metadata.string("general.architecture") == "gemma3")
        #expect(try file.metadata.strings("tokenizer.ggml.tokens").count == 262_144)
        #expect(try file.metadata.floats("tokenizer.ggml.scores").count == 262_144)
        #expect(try file.metadata.ints("tokenizer.ggml.token_type").count == 262_144)
        let last = try #require(file.tensors.max { $0.offset < $1.offset })
        #expect(last.offset + last.byteCount <= file.fileSize)
    }
}
