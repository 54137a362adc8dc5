import NextTokenCore
import NextTokenTestSupport
import Testing
@testable import NextTokenTokenizer

@Suite("Byte-level BPE")
struct ByteLevelBPETests {
    private func encodedTexts(
        _ text: String, merges: [(String, String)], preTokenizer: String = "gpt2"
    ) throws -> [ExactText] {
        let tokenizer = try Tokenizer(
            vocabulary: InlineVocabulary.make(preTokenizer: preTokenizer, merges: merges))
        return try InlineVocabulary.texts(tokenizer.encode(text, parseSpecial: false), tokenizer)
    }

    @Test("the lowest rank merges first, wherever it is")
    func rankOrder() throws {
        #expect(try encodedTexts("abc", merges: [("b", "c"), ("a", "b")]) == ["a", "bc"])
        #expect(try encodedTexts("abc", merges: [("a", "b"), ("b", "c")]) == ["ab", "c"])
        #expect(try encodedTexts("abcd", merges: [("c", "d"), ("b", "cd"), ("a", "b")]) == ["a", "bcd"])
    }

    @Test("among equal ranks the leftmost merges first")
    func leftmostFirst() throws {
        #expect(try encodedTexts("aaa", merges: [("a", "a")]) == ["aa", "a"])
        #expect(try encodedTexts("aaaaa", merges: [("a", "a"), ("aa", "aa")]) == ["aaaa", "a"])
        #expect(try encodedTexts("aaaaaaa", merges: [("a", "a"), ("aa", "a")]) == ["aa", "aa", "aaa"])
    }

    @Test("words are encoded separately: merges never cross pieces")
    func mergesStayInsidePieces() throws {
        #expect(try encodedTexts("a b", merges: [("a", " "), (" ", "b")]) == ["a", " b"])
        #expect(try encodedTexts("ab1", merges: [("b", "1")]) == ["a", "b", "1"])
    }

    @Test("multi-byte characters start as one token per byte")
    func multiByte() throws {
        let tokenizer = try Tokenizer(vocabulary: InlineVocabulary.make())
        let ids = tokenizer.encode("€éx", parseSpecial: false)
        #expect(ids.count == 3 + 2 + 1)
        #expect(try tokenizer.decode(ids) == Array("€éx".utf8))
    }

    @Test("a byte without a token is dropped before merging")
    func droppedBytes() throws {
        let vocabulary = InlineVocabulary.make(merges: [("!", "!")], missingBytes: [0x04, 0xF1])
        let tokenizer = try Tokenizer(vocabulary: vocabulary)
        let ids = tokenizer.encode("!\u{04}! x\u{04}", parseSpecial: false)
        #expect(try InlineVocabulary.texts(ids, tokenizer) == ["!!", " ", "x"])
        #expect(try tokenizer.decode(ids) == Array("!! x".utf8))
        // U+40000 is F1 80 80 80: the lead byte goes, the three continuation bytes stay.
        let plane4 = tokenizer.encode("\u{40000}", parseSpecial: false)
        #expect(try tokenizer.decode(plane4) == [0x80, 0x80, 0x80])
    }

    @Test("Llama 3 emits a word that is a token whole, without its merges")
    func ignoreMerges() throws {
        var vocabulary = InlineVocabulary.make(preTokenizer: "llama-bpe", merges: [("a", "b")])
        vocabulary.tokens.append(InlineVocabulary.spell("abc"))
        vocabulary.tokenTypes.append(TokenType.normal.rawValue)
        let llama = try Tokenizer(vocabulary: vocabulary)
        #expect(try InlineVocabulary.texts(llama.encode("abc", parseSpecial: false), llama) == ["abc"])
        vocabulary.preTokenizer = "gpt2"
        let gpt2 = try Tokenizer(vocabulary: vocabulary)
        #expect(try InlineVocabulary.texts(gpt2.encode("abc", parseSpecial: false), gpt2) == ["ab", "c"])
    }

    @Test("the merge queue gives the same result as a naive BPE on random words", arguments: [1, 2, 3])
    func matchesNaiveMerging(seed: UInt64) throws {
        var random = SeededGenerator(seed: seed)
        let alphabet = ["a", "b", "c", "d"]
        // Random merges over a 4-letter alphabet, each joining two existing tokens.
        var known = alphabet
        var merges: [(String, String)] = []
        while merges.count < 60 {
            let left = known[Int.random(in: 0..<known.count, using: &random)]
            let right = known[Int.random(in: 0..<known.count, using: &random)]
            guard left.count + right.count <= 12,
                  !merges.contains(where: { $0 == left && $1 == right }) else { continue }
            merges.append((left, right))
            if !known.contains(left + right) { known.append(left + right) }
        }
        let tokenizer = try Tokenizer(vocabulary: InlineVocabulary.make(merges: merges))
        for length in [1, 2, 3, 7, 40, 300, 3000] {
            let word = (0..<length).map { _ in alphabet[Int.random(in: 0..<4, using: &random)] }.joined()
            let expected = Self.naiveBPE(word, merges: merges).map { ExactText($0) }
            let actual = try InlineVocabulary.texts(tokenizer.encode(word, parseSpecial: false), tokenizer)
            #expect(actual == expected, "length \(length)")
        }
    }

    /// Textbook BPE: repeatedly merge the adjacent pair with the lowest rank, leftmost first.
    private static func naiveBPE(_ word: String, merges: [(String, String)]) -> [String] {
        var rank: [String: Int] = [:]
        for (index, merge) in merges.enumerated() where rank[merge.0 + " " + merge.1] == nil {
            rank[merge.0 + " " + merge.1] = index
        }
        var symbols = word.map(String.init)
        while true {
            var best: (rank: Int, position: Int)?
            for position in 0..<max(0, symbols.count - 1) {
                if let r = rank[symbols[position] + " " + symbols[position + 1]],
                   best.map({ r < $0.rank }) ?? true {
                    best = (r, position)
                }
            }
            guard let (_, position) = best else { return symbols }
            symbols[position] += symbols[position + 1]
            symbols.remove(at: position + 1)
        }
    }
}
