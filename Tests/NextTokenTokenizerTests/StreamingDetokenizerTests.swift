import NextTokenCore
import NextTokenTestSupport
import Testing
@testable import NextTokenTokenizer

@Suite("Streaming detokenizer")
struct StreamingDetokenizerTests {
    /// A vocabulary whose token `b` is the single byte `b`.
    private let bytes: Tokenizer

    init() throws {
        bytes = try Tokenizer(vocabulary: InlineVocabulary.make())
    }

    /// The chunks streamed for `ids`, then what `finish()` flushes.
    private func stream(_ ids: [TokenID], _ tokenizer: Tokenizer) throws -> (chunks: [String], rest: String) {
        var detokenizer = StreamingDetokenizer(tokenizer: tokenizer)
        let chunks = try ids.map { id throws(TokenizerError) in try detokenizer.append(id) }
        return (chunks, detokenizer.finish())
    }

    private func byteIDs(_ bytes: [UInt8]) -> [TokenID] { bytes.map(TokenID.init) }

    @Test("a character split across tokens comes out whole once complete")
    func splitCharacters() throws {
        let (chunks, rest) = try stream(byteIDs(Array("a😀b€".utf8)), bytes)
        #expect(chunks.map { ExactText($0) } == ["a", "", "", "", "😀", "b", "", "", "€"])
        #expect(rest.isEmpty)
    }

    @Test("bytes that can never form a character come out as U+FFFD")
    func invalidSequences() throws {
        #expect(try stream(byteIDs([0x80, 0x41]), bytes).chunks == ["\u{FFFD}", "A"])
        #expect(try stream(byteIDs([0xE0, 0x80]), bytes).chunks == ["", "\u{FFFD}\u{FFFD}"])
        #expect(try stream(byteIDs([0xED, 0xA0]), bytes).chunks == ["", "\u{FFFD}\u{FFFD}"])
        #expect(try stream(byteIDs([0xF4, 0x90]), bytes).chunks == ["", "\u{FFFD}\u{FFFD}"])
        #expect(try stream(byteIDs([0xF0, 0x9F, 0x41]), bytes).chunks == ["", "", "\u{FFFD}A"])
        #expect(try stream(byteIDs([0xFF]), bytes).chunks == ["\u{FFFD}"])
        let truncated = try stream(byteIDs([0x41, 0xE2, 0x82]), bytes)
        #expect(truncated.chunks == ["A", "", ""])
        #expect(truncated.rest == "\u{FFFD}")
    }

    @Test("an id outside the vocabulary throws and keeps the held-back bytes")
    func outOfRange() throws {
        var detokenizer = StreamingDetokenizer(tokenizer: bytes)
        #expect(try detokenizer.append(0xE2) == "")
        #expect(throws: TokenizerError.tokenOutOfRange(id: 4096, vocabularySize: 256)) {
            try detokenizer.append(4096)
        }
        #expect(try detokenizer.append(0x82) == "")
        #expect(try detokenizer.append(0xAC) == "€")
    }

    @Test("random byte tokens stream to exactly the lossy decoding of all bytes", arguments: [7, 8])
    func randomBytes(seed: UInt64) throws {
        var random = SeededGenerator(seed: seed)
        for _ in 0..<500 {
            let length = Int.random(in: 0...24, using: &random)
            let all = (0..<length).map { _ in
                Bool.random(using: &random) ? UInt8.random(in: 0x80...0xF4, using: &random)
                    : UInt8.random(in: 0...0xFF, using: &random)
            }
            let (chunks, rest) = try stream(byteIDs(all), bytes)
            let streamed = (chunks + [rest]).flatMap { Array($0.unicodeScalars) }
            #expect(streamed == Array(String(decoding: all, as: UTF8.self).unicodeScalars))
        }
    }

    @Test("SmolLM2: each conformance string streams back to its full decode")
    func smolLM2() throws {
        let tokenizer = try SmolLM2Fixture.tokenizer()
        for record in try SmolLM2Fixture.records() {
            let (chunks, rest) = try stream(record.ids, tokenizer)
            let streamed = (chunks + [rest]).flatMap { Array($0.utf8) }
            let full = try tokenizer.decode(record.ids)
            if record.note == nil {
                #expect(streamed == full, "\(record.name)")
            } else {
                #expect(streamed == Array(String(decoding: full, as: UTF8.self).utf8), "\(record.name)")
            }
        }
    }

    @Test("SmolLM2: an emoji split over byte tokens is held back until complete")
    func smolLM2Emoji() throws {
        let tokenizer = try SmolLM2Fixture.tokenizer()
        let ids = tokenizer.encode("🦙🧑‍🚀", parseSpecial: false)
        let (chunks, rest) = try stream(ids, tokenizer)
        #expect(ids.count > 2)
        #expect(chunks.contains(""))
        #expect(ExactText(chunks.joined() + rest) == "🦙🧑‍🚀")
        for chunk in chunks where !chunk.isEmpty {
            #expect(chunk.unicodeScalars.allSatisfy { $0 != "\u{FFFD}" })
        }
    }

    @Test("Gemma 3: each conformance string streams back to its full decode, in valid chunks")
    func gemma3() throws {
        let tokenizer = try Gemma3Fixture.tokenizer()
        for record in try Gemma3Fixture.records() {
            let (chunks, rest) = try stream(record.ids, tokenizer)
            let streamed = (chunks + [rest]).flatMap { Array($0.utf8) }
            #expect(streamed == (try tokenizer.decode(record.ids)), "\(record.name)")
            #expect(rest.isEmpty, "\(record.name)")
            let replacements = record.text.unicodeScalars.filter { $0 == "\u{FFFD}" }.count
            #expect(chunks.joined().unicodeScalars.filter { $0 == "\u{FFFD}" }.count == replacements,
                    "\(record.name)")
        }
    }

    @Test("Gemma 3: byte pieces of one character arrive one at a time and come out together")
    func gemma3BytePieces() throws {
        let tokenizer = try Gemma3Fixture.tokenizer()
        // Unassigned U+0378 and private-use U+F0000 have no piece of their own.
        let text = "a\u{378}\u{F0000}b"
        let ids = tokenizer.encode(text, parseSpecial: false)
        let bytePieces = ids.filter { (238..<494).contains($0) }
        #expect(bytePieces.count == 6)
        let (chunks, rest) = try stream(ids, tokenizer)
        #expect(chunks.filter(\.isEmpty).count == 4)
        #expect(ExactText(chunks.joined() + rest) == ExactText(text))
        #expect(chunks.allSatisfy { !$0.unicodeScalars.contains("\u{FFFD}") })
    }

    @Test("a dummy prefix's space is dropped at a sequence start only, not when continuing")
    func dummyPrefix() throws {
        let vocabulary = InlineSentencePiece.make(pieces: [("a", -1), ("▁a", -1)], addSpacePrefix: true)
        let tokenizer = try Tokenizer(vocabulary: vocabulary)
        let spaceA = TokenID(vocabulary.tokens.count - 1)
        #expect(try stream([1, spaceA, spaceA], tokenizer).chunks == ["<s>", "a", " a"])
        var continuing = StreamingDetokenizer(tokenizer: tokenizer, continuing: true)
        #expect(try continuing.append(spaceA) == " a")
        var fresh = StreamingDetokenizer(tokenizer: tokenizer)
        #expect(try fresh.append(spaceA) == "a")
        _ = fresh.finish()
        #expect(try fresh.append(spaceA) == "a")
    }
}
