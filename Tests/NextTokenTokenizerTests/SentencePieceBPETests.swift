import NextTokenCore
import Testing
@testable import NextTokenTokenizer

@Suite("SentencePiece BPE")
struct SentencePieceBPETests {
    private typealias Inline = InlineSentencePiece

    @Test("the pair whose piece scores highest merges first, wherever it is")
    func mergeOrderByScore() throws {
        let rightFirst = Inline.make(pieces: [("a", -10), ("b", -10), ("c", -10), ("ab", -5), ("bc", -1)])
        #expect(try Inline.encode("abc", rightFirst) == ["a", "bc"])
        let leftFirst = Inline.make(pieces: [("a", -10), ("b", -10), ("c", -10), ("ab", -1), ("bc", -5)])
        #expect(try Inline.encode("abc", leftFirst) == ["ab", "c"])
    }

    @Test("scores rule, not ids: a later piece with a higher score merges first")
    func scoresNotIDs() throws {
        let vocabulary = Inline.make(pieces: [("a", -10), ("b", -10), ("c", -10), ("ab", -3), ("bc", -2)])
        #expect(try Inline.encode("abc", vocabulary) == ["a", "bc"])
    }

    @Test("among equal scores the leftmost pair merges first")
    func leftmostTie() throws {
        let repeated = Inline.make(pieces: [("a", -10), ("aa", -1)])
        #expect(try Inline.encode("aaa", repeated) == ["aa", "a"])
        #expect(try Inline.encode("aaaaa", repeated) == ["aa", "aa", "a"])
        let different = Inline.make(pieces: [("a", -10), ("b", -10), ("c", -10), ("bc", -1), ("ab", -1)])
        #expect(try Inline.encode("abc", different) == ["ab", "c"])
    }

    @Test("merges build on merges; a piece no chain of pairs reaches is never produced")
    func mergeChains() throws {
        let chain = Inline.make(pieces: [
            ("a", -10), ("b", -10), ("c", -10), ("d", -10), ("ab", -1), ("cd", -2), ("abcd", -3),
        ])
        #expect(try Inline.encode("abcd", chain) == ["abcd"])
        #expect(try Inline.encode("abcdab", chain) == ["abcd", "ab"])
        let unreachable = Inline.make(pieces: [("a", -10), ("b", -10), ("c", -10), ("abc", -1)])
        #expect(try Inline.encode("abc", unreachable) == ["a", "b", "c"])
    }

    @Test("a long run merges to the same pieces as short ones (queue, not rescans)")
    func longRun() throws {
        let vocabulary = Inline.make(pieces: [("a", -10), ("aa", -1), ("aaaa", -2)])
        let ids = try Tokenizer(vocabulary: vocabulary).encode(String(repeating: "a", count: 20_001),
                                                               parseSpecial: false)
        #expect(Inline.pieces(ids, vocabulary) == Array(repeating: "aaaa", count: 5000) + ["a"])
    }

    @Test("a symbol that is no piece falls back to its UTF-8 bytes")
    func byteFallback() throws {
        let vocabulary = Inline.make(pieces: [("a", -1), ("▁", -2)])
        #expect(try Inline.encode("x€ a", vocabulary) == ["<0x78>", "<0xE2>", "<0x82>", "<0xAC>", "▁", "a"])
        let tokenizer = try Tokenizer(vocabulary: vocabulary)
        #expect(try tokenizer.decode(tokenizer.encode("x€ a", parseSpecial: false)) == Array("x€ a".utf8))
    }

    @Test("without byte pieces an unknown symbol becomes <unk>, one per symbol")
    func unknownWithoutBytes() throws {
        let vocabulary = Inline.make(pieces: [("a", -1), ("b", -1)], byteFallback: false)
        #expect(try Inline.encode("a€xb", vocabulary) == ["a", "<unk>", "<unk>", "b"])
        var noUnknown = vocabulary
        noUnknown.unknown = nil
        #expect(try Inline.encode("a€xb", noUnknown) == ["a", "b"])
    }

    @Test("spaces become ▁; with no dummy prefix the first word has none")
    func spacesAsMetaspace() throws {
        let vocabulary = Inline.make(pieces: [("a", -10), ("b", -10), ("▁", -10), ("▁b", -1), ("▁a", -2)])
        #expect(try Inline.encode("a b", vocabulary) == ["a", "▁b"])
        #expect(try Inline.encode(" a  b", vocabulary) == ["▁a", "▁", "▁b"])
        let tokenizer = try Tokenizer(vocabulary: vocabulary)
        #expect(try tokenizer.decode(tokenizer.encode(" a  b", parseSpecial: false)) == Array(" a  b".utf8))
    }

    @Test("a dummy prefix puts ▁ before the text, and decoding drops it again")
    func dummyPrefix() throws {
        let vocabulary = Inline.make(pieces: [("a", -10), ("b", -10), ("▁", -10), ("▁b", -1), ("▁a", -2)],
                                     addSpacePrefix: true)
        #expect(try Inline.encode("a b", vocabulary) == ["▁a", "▁b"])
        #expect(try Inline.encode(" a", vocabulary) == ["▁", "▁a"])
        #expect(try Inline.encode("", vocabulary) == [])
        let tokenizer = try Tokenizer(vocabulary: vocabulary)
        for text in ["a b", " a", "b", "", "  "] {
            #expect(try tokenizer.decode(tokenizer.encode(text, parseSpecial: false)) == Array(text.utf8))
        }
        let a = TokenID(try #require(vocabulary.tokens.firstIndex(of: "▁a")))
        #expect(try tokenizer.decode([a, a]) == Array("a a".utf8))
        #expect(try tokenizer.decode([1, a]) == Array("<s>a".utf8))
        #expect(try tokenizer.decode([0, a]) == Array("<unk> a".utf8))
    }

    @Test("user-defined pieces are always matched whole and never merge with neighbours")
    func userDefinedAlwaysMatched() throws {
        let vocabulary = Inline.make(pieces: [("a", -10), ("b", -10), ("ab", -1)],
                                     specials: [("<b>", .userDefined), ("<eos>", .control)])
        for parseSpecial in [false, true] {
            #expect(try Inline.encode("a<b>b", vocabulary, parseSpecial: parseSpecial) == ["a", "<b>", "b"])
            #expect(try Inline.encode("ab<b>", vocabulary, parseSpecial: parseSpecial) == ["ab", "<b>"])
        }
    }

    @Test("control pieces are matched only when special tokens are parsed")
    func controlOnlyWithParseSpecial() throws {
        let vocabulary = Inline.make(pieces: [("a", -10)], specials: [("<eos>", .control)])
        #expect(try Inline.encode("a<eos>", vocabulary, parseSpecial: true) == ["a", "<eos>"])
        #expect(try Inline.encode("a<eos>", vocabulary, parseSpecial: false)
            == ["a", "<0x3C>", "<0x65>", "<0x6F>", "<0x73>", "<0x3E>"])
        #expect(try Inline.encode("<s>", vocabulary, parseSpecial: true) == ["<s>"])
    }

    @Test("special pieces: the leftmost match first, the longest of those")
    func leftmostLongest() throws {
        let vocabulary = Inline.make(pieces: [("a", -1), ("b", -1), ("c", -1), ("d", -1)],
                                     specials: [("bc", .userDefined), ("abc", .userDefined), ("cd", .userDefined)])
        #expect(try Inline.encode("abcd", vocabulary) == ["abc", "d"])
        #expect(try Inline.encode("bcd", vocabulary) == ["bc", "d"])
    }

    @Test("space-run pieces (stored with spaces) match spaces and literal ▁ runs alike")
    func spaceRunsMatchMetaspace() throws {
        let vocabulary = Inline.make(pieces: [("a", -10), ("▁", -10), ("b", -10)],
                                     specials: [("  ", .userDefined), ("   ", .userDefined)])
        #expect(try Inline.encode("▁ ▁", vocabulary) == ["   "])
        #expect(try Inline.encode("▁▁", vocabulary) == ["  "])
        #expect(try Inline.encode("a  b", vocabulary) == ["a", "  ", "b"])
        #expect(try Inline.encode("a     b", vocabulary) == ["a", "   ", "  ", "b"])
        #expect(try Inline.encode("a ▁", vocabulary) == ["a", "  "])
        #expect(try Inline.encode("a b", vocabulary) == ["a", "▁", "b"])
        let tokenizer = try Tokenizer(vocabulary: vocabulary)
        #expect(try tokenizer.decode(tokenizer.encode("▁ ▁a", parseSpecial: false)) == Array("   a".utf8))
    }

    @Test("a vocabulary without scores, or with too few, is a typed error")
    func missingScores() {
        var vocabulary = Inline.make(pieces: [("a", -1)])
        vocabulary.scores = nil
        #expect(throws: TokenizerError.missingScores(model: "llama")) { try Tokenizer(vocabulary: vocabulary) }
        vocabulary.scores = [0]
        #expect(throws: TokenizerError.countMismatch(field: "scores", count: 1, tokenCount: 260)) {
            try Tokenizer(vocabulary: vocabulary)
        }
        #expect(TokenizerError.missingScores(model: "llama").description.contains("'llama'"))
    }

    @Test("ranks order scores highest first, equal scores (and ±0) equally, NaN last")
    func ranks() {
        let scores: [Float] = [3, 0.5, 0, -0.25, -1, -236_280, -.infinity]
        let ranks = scores.map(SentencePieceBPE.rank(ofScore:))
        #expect(ranks == ranks.sorted() && Set(ranks).count == ranks.count)
        #expect(SentencePieceBPE.rank(ofScore: -0.0) == SentencePieceBPE.rank(ofScore: 0))
        #expect(SentencePieceBPE.rank(ofScore: .nan) == .max)
        #expect(SentencePieceBPE.rank(ofScore: .infinity) < SentencePieceBPE.rank(ofScore: 3))
    }

    @Test("byte piece texts and token bytes")
    func tokenBytes() {
        #expect(SentencePieceBPE.byteValue(ofPiece: "<0x0A>") == 0x0A)
        #expect(SentencePieceBPE.byteValue(ofPiece: "<0xff>") == 0xFF)
        #expect(SentencePieceBPE.byteValue(ofPiece: "<0x1G>") == nil)
        #expect(SentencePieceBPE.byteValue(ofPiece: "<0x100>") == nil)
        let byte = TokenType.byte.rawValue
        #expect(SentencePieceBPE.bytes(ofToken: "<0xE2>", type: byte) == [0xE2])
        #expect(SentencePieceBPE.bytes(ofToken: "<0xZZ>", type: byte) == Array("<0xZZ>".utf8))
        #expect(SentencePieceBPE.bytes(ofToken: "▁a▁", type: TokenType.normal.rawValue) == Array(" a ".utf8))
        #expect(SentencePieceBPE.bytes(ofToken: "▁<s>", type: TokenType.control.rawValue) == Array("▁<s>".utf8))
    }

    @Test("escaping and unescaping ▁")
    func metaspace() {
        #expect(Metaspace.escape(Array("a b ".utf8), addingPrefix: false) == Array("a▁b▁".utf8))
        #expect(Metaspace.escape(Array("a".utf8), addingPrefix: true) == Array("▁a".utf8))
        #expect(Metaspace.escape([UInt8](), addingPrefix: true).isEmpty)
        #expect(Metaspace.unescape("▁x▁▁€▂") == Array(" x  €▂".utf8))
    }

    @Test("the piece table finds exact spans only; the first of two equal texts keeps them")
    func pieceTable() {
        let table = PieceTable(pieces: [("ab", 5), ("a", 6), ("ab", 7), ("€", 8)])
        #expect(table.count == 3)
        #expect(table.longestPieceLength == 3)
        func find(_ text: String) -> TokenID? {
            Array(text.utf8).withUnsafeBufferPointer { table.id(of: $0) }
        }
        #expect(find("ab") == 5)
        #expect(find("a") == 6)
        #expect(find("€") == 8)
        #expect(find("b") == nil)
        #expect(find("abc") == nil)
        #expect(find("") == nil)
    }
}
