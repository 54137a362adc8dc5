import NextTokenCore
import NextTokenProbes
import NextTokenTestSupport
import NextTokenTokenizer
import Testing

@Suite("Non-canonical encodings on hand-made vocabularies")
struct EncodingEnumeratorTests {
    static let byteLevelTexts = [" abc", "abc,", " ab12", "<x>ab", "é", "  a", "abcabc", " a b", "c,12", "bc ab"]
    static let sentencePieceTexts = ["ab c", "abc", "é,", " ab", "a  b", "12,é", "<x>ab", "ab", "e\u{301}"]

    @Test("the enumeration equals brute force over every segmentation, and every sequence decodes to the text",
          arguments: [false, true])
    func byteLevelMatchesBruteForce(atSequenceStart: Bool) throws {
        let tokenizer = try ProbeVocabularies.byteLevel()
        try Self.checkAgainstBruteForce(tokenizer, texts: Self.byteLevelTexts, atSequenceStart: atSequenceStart)
    }

    @Test("SentencePiece with byte fallback, with and without a dummy prefix", arguments: [false, true])
    func sentencePieceMatchesBruteForce(addSpacePrefix: Bool) throws {
        let tokenizer = try ProbeVocabularies.sentencePiece(addSpacePrefix: addSpacePrefix)
        for atSequenceStart in [false, true] {
            try Self.checkAgainstBruteForce(tokenizer, texts: Self.sentencePieceTexts, atSequenceStart: atSequenceStart)
        }
    }

    static func checkAgainstBruteForce(_ tokenizer: Tokenizer, texts: [String], atSequenceStart: Bool) throws {
        let enumerator = EncodingEnumerator(tokenizer: tokenizer)
        for text in texts {
            let bytes = Array(text.utf8)
            let expected = ProbeVocabularies.bruteForceEncodings(of: bytes, tokenizer: tokenizer,
                                                                 atSequenceStart: atSequenceStart)
            let listed = enumerator.encodings(of: bytes, atSequenceStart: atSequenceStart, limit: 100_000)
            #expect(Set(listed) == expected, "\(text)")
            #expect(listed.count == expected.count, "duplicates listed for \(text)")
            #expect(enumerator.count(of: bytes, atSequenceStart: atSequenceStart) == UInt64(expected.count), "\(text)")
            #expect(expected.count > 1, "\(text) should have alternatives")
            // Inside a text (not at its start), decode after a neutral token "c".
            let lead = ProbeVocabularies.id("c", tokenizer)
            for encoding in listed {
                let decoded = atSequenceStart ? try tokenizer.decode(encoding) : try tokenizer.decode([lead] + encoding)
                #expect(decoded == (atSequenceStart ? bytes : Array("c".utf8) + bytes), "\(encoding) for \(text)")
            }
            if atSequenceStart {
                let canonical = tokenizer.encode(text, parseSpecial: false)
                if try tokenizer.decode(canonical) == bytes { #expect(listed.contains(canonical), "\(text)") }
            }
        }
    }

    @Test("listing is fewest tokens first and stops at the limit")
    func orderAndLimit() throws {
        let tokenizer = try ProbeVocabularies.byteLevel()
        let enumerator = EncodingEnumerator(tokenizer: tokenizer)
        let bytes = Array(" abcabc".utf8)
        let all = enumerator.encodings(of: bytes, limit: 10_000)
        #expect(all.map(\.count) == all.map(\.count).sorted())
        #expect(all.first?.count == 3)
        #expect(all.last?.count == bytes.count)
        let some = enumerator.encodings(of: bytes, limit: 5)
        #expect(some == Array(all.prefix(5)))
        #expect(enumerator.count(of: bytes) == UInt64(all.count))
    }

    @Test("counts saturate instead of overflowing")
    func countSaturates() throws {
        let tokenizer = try ProbeVocabularies.sentencePiece(addSpacePrefix: false)
        let enumerator = EncodingEnumerator(tokenizer: tokenizer)
        // Each "a" has two spellings (piece and byte), "ab" a third: far more than 2^64 paths.
        #expect(enumerator.count(of: Array(String(repeating: "ab", count: 60).utf8)) == .max)
        #expect(enumerator.encodings(of: Array(String(repeating: "ab", count: 60).utf8), limit: 3).count == 3)
    }

    @Test("the canonical encoding of random strings is canonical, and a non-canonical one is not")
    func isCanonical() throws {
        let tokenizer = try ProbeVocabularies.byteLevel()
        let enumerator = EncodingEnumerator(tokenizer: tokenizer)
        var random = SeededGenerator(seed: 7)
        let alphabet = Array("abc12, é")
        for _ in 0 ..< 200 {
            let text = String((0 ..< Int(random.next() % 9)).map { _ in alphabet[Int(random.next() % UInt64(alphabet.count))] })
            #expect(enumerator.isCanonical(tokenizer.encode(text, parseSpecial: false)), "\(text)")
        }
        let a = ProbeVocabularies.id("a", tokenizer)
        let b = ProbeVocabularies.id("b", tokenizer)
        #expect(!enumerator.isCanonical([a, b]))
        #expect(!enumerator.isCanonical([-1]))
    }
}
