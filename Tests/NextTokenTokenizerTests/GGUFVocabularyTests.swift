import NextTokenCore
import NextTokenGGUF
import Testing
@testable import NextTokenTokenizer

@Suite("Vocabulary from GGUF metadata")
struct GGUFVocabularyTests {
    /// Metadata of a small GGUF file written with `set`, starting from a valid byte vocabulary.
    private func metadata(_ change: (inout GGUFWriter) -> Void = { _ in }) throws -> GGUFMetadata {
        var writer = GGUFWriter()
        writer.set("general.architecture", .string("test"))
        writer.set("tokenizer.ggml.model", .string("gpt2"))
        writer.set("tokenizer.ggml.pre", .string("smollm"))
        let tokens = ["<|endoftext|>", "<|im_end|>", "a", "b", "ab"]
        writer.set("tokenizer.ggml.tokens", .array(tokens.map { .string($0) }))
        writer.set("tokenizer.ggml.token_type", .array([3, 3, 1, 1, 1].map { .int32($0) }))
        writer.set("tokenizer.ggml.merges", .array([.string("a b")]))
        writer.set("tokenizer.ggml.eos_token_id", .uint32(1))
        change(&writer)
        return try GGUFFile(bytes: writer.bytes()).metadata
    }

    @Test("a small file maps key by key onto the vocabulary")
    func smallFile() throws {
        let vocabulary = try TokenizerVocabulary(metadata: metadata { writer in
            writer.set("tokenizer.ggml.bos_token_id", .uint32(0))
            writer.set("tokenizer.ggml.unknown_token_id", .int32(-1))
            writer.set("tokenizer.ggml.add_bos_token", .bool(true))
            writer.set("tokenizer.ggml.scores", .array([0, 0, -1, -2, -3].map { .float32($0) }))
        })
        #expect(vocabulary.model == .gpt2)
        #expect(vocabulary.preTokenizer == "smollm")
        #expect(vocabulary.tokens.count == 5)
        #expect(vocabulary.tokenTypes == [3, 3, 1, 1, 1])
        #expect(vocabulary.merges == ["a b"])
        #expect(vocabulary.scores == [0, 0, -1, -2, -3])
        #expect(vocabulary.bos == 0)
        #expect(vocabulary.eos == 1)
        #expect(vocabulary.unknown == nil)
        #expect(vocabulary.padding == nil)
        #expect(vocabulary.addBOS)
        #expect(!vocabulary.addEOS)
        #expect(!vocabulary.addSpacePrefix)
        #expect(vocabulary.endOfGeneration == [1, 0])
        let tokenizer = try Tokenizer(vocabulary: vocabulary)
        #expect(tokenizer.encodePrompt("ab<|im_end|>", parseSpecial: true) == [0, 4, 1])
    }

    @Test("eot and eom ids end generation too")
    func endOfTurnIDs() throws {
        let vocabulary = try TokenizerVocabulary(metadata: metadata { writer in
            writer.set("tokenizer.ggml.eot_token_id", .uint32(3))
            writer.set("tokenizer.ggml.eom_token_id", .uint32(1))
        })
        #expect(vocabulary.endOfGeneration == [1, 3, 0])
    }

    @Test("a llama vocabulary reads its scores and builds a SentencePiece tokenizer")
    func llamaFile() throws {
        let metadata = try metadata { writer in
            writer.set("tokenizer.ggml.model", .string("llama"))
            writer.set("tokenizer.ggml.pre", .string("default"))
            let tokens = ["<unk>", "<eos>", "\u{2581}", "a", "b", "\u{2581}a", "ab"]
            writer.set("tokenizer.ggml.tokens", .array(tokens.map { .string($0) }))
            writer.set("tokenizer.ggml.token_type", .array([2, 3, 1, 1, 1, 1, 1].map { .int32($0) }))
            writer.set("tokenizer.ggml.scores", .array([0, 0, -5, -6, -7, -1, -0.5].map { .float32($0) }))
            writer.set("tokenizer.ggml.merges", .array([]))
            writer.set("tokenizer.ggml.add_space_prefix", .bool(true))
            writer.set("tokenizer.ggml.unknown_token_id", .uint32(0))
        }
        let vocabulary = try TokenizerVocabulary(metadata: metadata)
        #expect(vocabulary.model == .llama)
        #expect(vocabulary.scores == [0, 0, -5, -6, -7, -1, -0.5])
        #expect(vocabulary.addSpacePrefix)
        let tokenizer = try Tokenizer(vocabulary: vocabulary)
        #expect(tokenizer.encode("a ab", parseSpecial: false) == [5, 2, 6])
        #expect(tokenizer.encode("ab<eos>", parseSpecial: true) == [2, 6, 1])
        #expect(tokenizer.encode("ab<eos>", parseSpecial: false) == [2, 6, 0, 0, 0, 0, 0])
        #expect(try tokenizer.decode([5, 2, 6]) == Array("a ab".utf8))

        var withoutScores = vocabulary
        withoutScores.scores = nil
        #expect(throws: TokenizerError.missingScores(model: "llama")) { try Tokenizer(vocabulary: withoutScores) }
    }

    @Test("missing keys, wrong types and unsupported models are typed errors")
    func errors() throws {
        func rejects(_ expected: TokenizerError, _ change: (inout GGUFWriter) -> Void) throws {
            let metadata = try metadata(change)
            #expect(throws: expected) { try TokenizerVocabulary(metadata: metadata) }
        }
        var bare = GGUFWriter()
        bare.set("general.architecture", .string("test"))
        let bareMetadata = try GGUFFile(bytes: bare.bytes()).metadata
        #expect(throws: TokenizerError.missingMetadata(key: "tokenizer.ggml.model")) {
            try TokenizerVocabulary(metadata: bareMetadata)
        }
        try rejects(.unsupportedModel("bert")) { $0.set("tokenizer.ggml.model", .string("bert")) }
        try rejects(.wrongMetadataType(key: "tokenizer.ggml.model", expected: "a string")) {
            $0.set("tokenizer.ggml.model", .uint8(1))
        }
        try rejects(.wrongMetadataType(key: "tokenizer.ggml.tokens", expected: "an array of strings")) {
            $0.set("tokenizer.ggml.tokens", .array([.uint8(1)]))
        }
        try rejects(.wrongMetadataType(key: "tokenizer.ggml.token_type", expected: "an array of 32-bit integers")) {
            $0.set("tokenizer.ggml.token_type", .array([.int64(1 << 40)]))
        }
        try rejects(.wrongMetadataType(key: "tokenizer.ggml.add_bos_token", expected: "a bool")) {
            $0.set("tokenizer.ggml.add_bos_token", .string("yes"))
        }
        try rejects(.specialTokenOutOfRange(role: "bos", id: 1 << 40, vocabularySize: 5)) {
            $0.set("tokenizer.ggml.bos_token_id", .uint64(1 << 40))
        }
    }

    @Test("SmolLM2's metadata, as the conformance README describes it")
    func smolLM2() throws {
        let vocabulary = try SmolLM2Fixture.vocabulary()
        #expect(vocabulary.model == .gpt2)
        #expect(vocabulary.preTokenizer == "smollm")
        #expect(vocabulary.tokens.count == 49152)
        #expect(vocabulary.merges.count == 48900)
        #expect(vocabulary.tokenTypes.prefix(17).allSatisfy { $0 == TokenType.control.rawValue })
        #expect(vocabulary.tokenTypes.dropFirst(17).allSatisfy { $0 == TokenType.normal.rawValue })
        #expect(vocabulary.bos == 1)
        #expect(vocabulary.eos == 2)
        #expect(vocabulary.unknown == 0)
        #expect(vocabulary.padding == 2)
        #expect(!vocabulary.addBOS)
        #expect(!vocabulary.addSpacePrefix)
        #expect(vocabulary.endOfGeneration == [2, 0])
        let tokenizer = try SmolLM2Fixture.tokenizer()
        #expect(tokenizer.vocabularySize == 49152)
        #expect(tokenizer.isEndOfGeneration(2) && tokenizer.isEndOfGeneration(0))
        #expect(!tokenizer.isEndOfGeneration(1))
        #expect(tokenizer.isControl(16) && !tokenizer.isControl(17))
        #expect(tokenizer.encodePrompt("<|im_start|>user", parseSpecial: true).first == 1)
    }
}
