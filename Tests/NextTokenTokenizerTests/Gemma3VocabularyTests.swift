import NextTokenCore
import Testing
@testable import NextTokenTokenizer

@Suite("Gemma 3 vocabulary")
struct Gemma3VocabularyTests {
    @Test("Gemma 3's metadata, as the conformance README describes it")
    func metadata() throws {
        let vocabulary = try Gemma3Fixture.vocabulary()
        #expect(vocabulary.model == .llama)
        #expect(vocabulary.preTokenizer == "default")
        #expect(vocabulary.tokens.count == 262_144)
        #expect(vocabulary.scores?.count == 262_144)
        #expect(vocabulary.merges.isEmpty)
        #expect(vocabulary.tokenTypes.filter { $0 == TokenType.userDefined.rawValue }.count == 165)
        #expect(vocabulary.tokenTypes.filter { $0 == TokenType.control.rawValue }.count == 6249)
        #expect(vocabulary.tokenTypes[238..<494].allSatisfy { $0 == TokenType.byte.rawValue })
        #expect(vocabulary.bos == 2)
        #expect(vocabulary.eos == 1)
        #expect(vocabulary.unknown == 3)
        #expect(vocabulary.padding == 0)
        #expect(vocabulary.addBOS)
        #expect(!vocabulary.addEOS)
        #expect(!vocabulary.addSpacePrefix)
    }

    @Test("<eos> and <end_of_turn> end generation; </s> (the strike-through tag) does not")
    func endOfGeneration() throws {
        let vocabulary = try Gemma3Fixture.vocabulary()
        let tokenizer = try Gemma3Fixture.tokenizer()
        #expect(vocabulary.tokens[106] == "<end_of_turn>")
        #expect(vocabulary.endOfGeneration == [1, 106])
        #expect(tokenizer.isEndOfGeneration(1) && tokenizer.isEndOfGeneration(106))
        #expect(!tokenizer.isEndOfGeneration(212) && !tokenizer.isEndOfGeneration(105))
        #expect(tokenizer.isControl(106) && !tokenizer.isControl(212))
        #expect(tokenizer.vocabularySize == 262_144)
    }

    @Test("prompts start with <bos>; control tokens decode to their text")
    func prompts() throws {
        let tokenizer = try Gemma3Fixture.tokenizer()
        let ids = tokenizer.encodePrompt("<start_of_turn>user\nHi<end_of_turn>\n", parseSpecial: true)
        #expect(Array(ids.prefix(2)) == [2, 105])
        #expect(ids.contains(106))
        let text = String(decoding: try tokenizer.decode(ids), as: UTF8.self)
        #expect(ExactText(text) == "<bos><start_of_turn>user\nHi<end_of_turn>\n")
    }

    @Test("byte pieces decode to single bytes")
    func bytePieces() throws {
        let tokenizer = try Gemma3Fixture.tokenizer()
        #expect(try tokenizer.tokenBytes(238) == [0x00])
        #expect(try tokenizer.tokenBytes(238 + 0xE2) == [0xE2])
        #expect(try tokenizer.tokenBytes(493) == [0xFF])
        #expect(try tokenizer.tokenBytes(494) == Array(" t".utf8))
    }
}
