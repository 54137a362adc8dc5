import NextTokenCore
import NextTokenTestSupport
import Testing
@testable import NextTokenTokenizer

@Suite("Random round trips")
struct RandomRoundTripTests {
    /// 10,000 random byte strings, invalid UTF-8 included, made into text as the CLI does.
    /// Each random pick is one byte, or, now and then, one of `fragments`.
    private static func randomTexts(seed: UInt64, fragments: [String] = []) -> [String] {
        var random = SeededGenerator(seed: seed)
        return (0..<10_000).map { _ in
            let length = Int.random(in: 0...40, using: &random)
            var bytes: [UInt8] = []
            for _ in 0..<length {
                switch Int.random(in: 0..<5, using: &random) {
                case 0: bytes.append(UInt8.random(in: 0x20...0x7E, using: &random))
                case 1: bytes.append([0x20, 0x0A, 0x27, 0x30, 0x39, 0x3C, 0x7C][Int.random(in: 0..<7, using: &random)])
                case 2 where !fragments.isEmpty:
                    bytes += fragments[Int.random(in: 0..<fragments.count, using: &random)].utf8
                default: bytes.append(UInt8.random(in: 0...0xFF, using: &random))
                }
            }
            return String(decoding: bytes, as: UTF8.self)
        }
    }

    @Test("SmolLM2: decode(encode(s)) is s less the bytes without a token")
    func smolLM2() throws {
        let tokenizer = try SmolLM2Fixture.tokenizer()
        for text in Self.randomTexts(seed: 2024) {
            let expected = text.utf8.filter { !SmolLM2Fixture.droppedBytes.contains($0) }
            for parseSpecial in [false, true] {
                let ids = tokenizer.encode(text, parseSpecial: parseSpecial)
                #expect(try tokenizer.decode(ids) == expected, "\(ExactText(text))")
            }
        }
    }

    @Test("a full-byte vocabulary gives back every byte")
    func fullByteVocabulary() throws {
        let tokenizer = try Tokenizer(vocabulary: InlineVocabulary.make(
            preTokenizer: "smollm",
            merges: [("t", "h"), ("th", "e"), (" ", "the"), ("<", "|")],
            specials: [("<|s|>", .control), ("||", .userDefined)]))
        for text in Self.randomTexts(seed: 99) {
            for parseSpecial in [false, true] {
                let ids = tokenizer.encode(text, parseSpecial: parseSpecial)
                #expect(try tokenizer.decode(ids) == Array(text.utf8), "\(ExactText(text))")
            }
        }
    }

    @Test("Gemma 3: decode(encode(s)) is s, with ▁ read back as a space")
    func gemma3() throws {
        let tokenizer = try Gemma3Fixture.tokenizer()
        let fragments = ["▁", " ", "  ", "\t", "\n", "<b>", "</s>", "<eos>", "<end_of_turn>", "é", "😀", "\u{378}"]
        for text in Self.randomTexts(seed: 2025, fragments: fragments) {
            let expected = Metaspace.unescape(text)
            for parseSpecial in [false, true] {
                let ids = tokenizer.encode(text, parseSpecial: parseSpecial)
                #expect(try tokenizer.decode(ids) == expected, "\(ExactText(text))")
            }
        }
    }

    @Test("a SentencePiece vocabulary with a dummy prefix gives back every byte, ▁ as a space")
    func sentencePieceDummyPrefix() throws {
        let tokenizer = try Tokenizer(vocabulary: InlineSentencePiece.make(
            pieces: [("a", -1), ("▁", -2), ("▁a", -3), ("<", -4), ("▁▁", -5)],
            specials: [("<|s|>", .control), ("  ", .userDefined)], addSpacePrefix: true))
        for text in Self.randomTexts(seed: 98, fragments: [" ", "a", "<|s|>", "▁"]) {
            for parseSpecial in [false, true] {
                let ids = tokenizer.encode(text, parseSpecial: parseSpecial)
                #expect(try tokenizer.decode(ids) == Metaspace.unescape(text), "\(ExactText(text))")
            }
        }
    }
}
