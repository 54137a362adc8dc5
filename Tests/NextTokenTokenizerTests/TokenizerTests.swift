import NextTokenCore
import Testing
@testable import NextTokenTokenizer

@Suite("Tokenizer construction and queries")
struct TokenizerTests {
    @Test("BOS and EOS are added by encodePrompt only, as the vocabulary's flags say")
    func promptFlags() throws {
        var vocabulary = InlineVocabulary.make(specials: [("<s>", .control), ("</s>", .control)])
        vocabulary.bos = 256
        vocabulary.eos = 257
        vocabulary.addBOS = true
        let tokenizer = try Tokenizer(vocabulary: vocabulary)
        let a = TokenID(UInt8(ascii: "a"))
        #expect(tokenizer.encode("a", parseSpecial: false) == [a])
        #expect(tokenizer.encodePrompt("a", parseSpecial: false) == [256, a])
        vocabulary.addEOS = true
        vocabulary.addBOS = false
        #expect(try Tokenizer(vocabulary: vocabulary).encodePrompt("a", parseSpecial: false) == [a, 257])
        vocabulary.bos = nil
        vocabulary.addBOS = true
        #expect(try Tokenizer(vocabulary: vocabulary).encodePrompt("", parseSpecial: false) == [257])
    }

    @Test("end of generation, control and vocabulary queries")
    func queries() throws {
        var vocabulary = InlineVocabulary.make(specials: [("<eos>", .control), ("<eot>", .control)])
        vocabulary.eos = 256
        vocabulary.endOfGeneration = [256, 257]
        let tokenizer = try Tokenizer(vocabulary: vocabulary)
        #expect(tokenizer.vocabularySize == 258)
        #expect(tokenizer.eos == 256)
        #expect(tokenizer.bos == nil)
        #expect(tokenizer.isEndOfGeneration(256))
        #expect(tokenizer.isEndOfGeneration(257))
        #expect(!tokenizer.isEndOfGeneration(0))
        #expect(tokenizer.isControl(257))
        #expect(!tokenizer.isControl(65))
        #expect(!tokenizer.isControl(-1))
        #expect(!tokenizer.isControl(258))
        #expect(tokenizer.tokenType(258) == nil)
    }

    @Test("by default only EOS ends generation")
    func defaultEndOfGeneration() {
        let vocabulary = TokenizerVocabulary(preTokenizer: "gpt2", tokens: ["a", "b"], eos: 1)
        #expect(vocabulary.endOfGeneration == [1])
        #expect(TokenizerVocabulary(preTokenizer: "gpt2", tokens: ["a"]).endOfGeneration.isEmpty)
    }

    @Test("an id outside the vocabulary is a typed error when decoding")
    func decodeOutOfRange() throws {
        let tokenizer = try Tokenizer(vocabulary: InlineVocabulary.make())
        #expect(throws: TokenizerError.tokenOutOfRange(id: 256, vocabularySize: 256)) {
            try tokenizer.decode([65, 256])
        }
        #expect(throws: TokenizerError.tokenOutOfRange(id: -1, vocabularySize: 256)) {
            try tokenizer.tokenBytes(-1)
        }
        #expect(try tokenizer.tokenBytes(0x20) == [0x20])
    }

    @Test("malformed vocabularies are typed errors")
    func malformedVocabularies() {
        let good = InlineVocabulary.make(merges: [("a", "b")])
        func rejects(_ expected: TokenizerError, _ change: (inout TokenizerVocabulary) -> Void) {
            var vocabulary = good
            change(&vocabulary)
            #expect(throws: expected) { try Tokenizer(vocabulary: vocabulary) }
        }
        rejects(.emptyVocabulary) { $0.tokens = []; $0.tokenTypes = [] }
        rejects(.countMismatch(field: "token types", count: 3, tokenCount: 257)) {
            $0.tokenTypes = [1, 1, 1]
        }
        rejects(.countMismatch(field: "scores", count: 1, tokenCount: 257)) { $0.scores = [0] }
        rejects(.unknownPreTokenizer(name: "nope", model: "gpt2")) { $0.preTokenizer = "nope" }
        rejects(.invalidMerge(rank: 1, merge: "ab")) { $0.merges.append("ab") }
        rejects(.invalidMerge(rank: 1, merge: "a zz")) { $0.merges.append("a zz") }
        rejects(.invalidMerge(rank: 1, merge: "b a")) { $0.merges.append("b a") }  // "ba" is no token
        rejects(.invalidMerge(rank: 1, merge: " a")) { $0.merges.append(" a") }
        rejects(.specialTokenOutOfRange(role: "bos", id: 257, vocabularySize: 257)) { $0.bos = 257 }
        rejects(.specialTokenOutOfRange(role: "padding", id: -3, vocabularySize: 257)) { $0.padding = -3 }
        rejects(.specialTokenOutOfRange(role: "end-of-generation", id: 999, vocabularySize: 257)) {
            $0.endOfGeneration = [999]
        }
    }

    @Test("error descriptions name their evidence")
    func descriptions() {
        #expect(TokenizerError.unsupportedModel("llama").description.contains("'llama'"))
        #expect(TokenizerError.invalidMerge(rank: 3, merge: "a b").description.contains("3 'a b'"))
        #expect(TokenizerError.tokenOutOfRange(id: 9, vocabularySize: 2).description
            .contains("9 is outside the vocabulary of 2"))
        #expect(TokenizerError.wrongMetadataType(key: "tokenizer.ggml.tokens", expected: "an array")
            .description.contains("'tokenizer.ggml.tokens' is not an array"))
    }
}
