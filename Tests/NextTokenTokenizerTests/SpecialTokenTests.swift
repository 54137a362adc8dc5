import NextTokenCore
import Testing
@testable import NextTokenTokenizer

@Suite("Special tokens")
struct SpecialTokenTests {
    private let tokenizer: Tokenizer

    init() throws {
        tokenizer = try Tokenizer(vocabulary: InlineVocabulary.make(
            specials: [
                ("<x>", .control), ("<x><y>", .control), ("ab", .control), ("bcd", .control),
                ("[u]", .userDefined), ("[u]!", .userDefined), ("<z>", .normal),
            ]))
    }

    private func texts(_ text: String, parseSpecial: Bool) throws -> [ExactText] {
        try InlineVocabulary.texts(tokenizer.encode(text, parseSpecial: parseSpecial), tokenizer)
    }

    private func isSpecial(_ text: String, parseSpecial: Bool) -> [Bool] {
        tokenizer.encode(text, parseSpecial: parseSpecial).map { tokenizer.tokenType($0) != 1 }
    }

    @Test("control tokens are cut out only when parsing special tokens")
    func controlTokens() throws {
        #expect(try texts("1<x>2", parseSpecial: true) == ["1", "<x>", "2"])
        #expect(isSpecial("1<x>2", parseSpecial: true) == [false, true, false])
        #expect(try texts("1<x>2", parseSpecial: false) == ["1", "<", "x", ">", "2"])
        #expect(isSpecial("1<x>2", parseSpecial: false) == [false, false, false, false, false])
    }

    @Test("the longest token wins among those starting at the same place")
    func longestAtSameStart() throws {
        #expect(try texts("<x><y>.", parseSpecial: true) == ["<x><y>", "."])
        #expect(try texts("<x><y", parseSpecial: true) == ["<x>", "<", "y"])
        #expect(try texts("[u]!?", parseSpecial: false) == ["[u]!", "?"])
    }

    @Test("the leftmost match wins over a longer one starting later")
    func leftmostFirst() throws {
        #expect(try texts("abcd", parseSpecial: true) == ["ab", "c", "d"])
        #expect(isSpecial("abcd", parseSpecial: true) == [true, false, false])
    }

    @Test("user-defined tokens are always cut out; normal tokens never are")
    func userDefinedAlways() throws {
        #expect(isSpecial("a[u]b", parseSpecial: false) == [false, true, false])
        #expect(isSpecial("a[u]b", parseSpecial: true) == [false, true, false])
        #expect(isSpecial("<z>", parseSpecial: true) == [false, false, false])
    }

    @Test("no whitespace is stripped around special tokens")
    func keepsWhitespace() throws {
        #expect(try texts(" <x> \n", parseSpecial: true) == [" ", "<x>", " ", "\n"])
        #expect(try texts("<x><x>", parseSpecial: true) == ["<x>", "<x>"])
    }

    @Test("special tokens decode as their text")
    func decodeText() throws {
        let ids = tokenizer.encode("a<x><y>b", parseSpecial: true)
        #expect(try tokenizer.decode(ids) == Array("a<x><y>b".utf8))
    }
}
