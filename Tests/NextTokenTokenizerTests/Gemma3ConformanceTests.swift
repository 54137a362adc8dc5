import Foundation
import NextTokenCore
import Testing
@testable import NextTokenTokenizer

/// The 450 strings of `testdata/tokenizer/gemma3.jsonl` against Gemma 3's own vocabulary.
@Suite("Gemma 3 conformance")
struct Gemma3ConformanceTests {
    @Test("all 450 strings encode to the reference ids, special-token text read as plain text")
    func plainIDs() throws {
        let tokenizer = try Gemma3Fixture.tokenizer()
        let records = try Gemma3Fixture.records()
        #expect(records.count == 450)
        for record in records {
            let ids = tokenizer.encode(record.text, parseSpecial: false)
            #expect(SmolLM2ConformanceTests.difference(ids, record.ids) == nil, "\(record.name)")
        }
    }

    @Test("all 450 strings encode to the reference ids with special tokens parsed")
    func parseSpecialIDs() throws {
        let tokenizer = try Gemma3Fixture.tokenizer()
        let records = try Gemma3Fixture.records()
        #expect(records.filter { $0.ids != $0.idsParseSpecial }.count == 13)
        for record in records {
            let ids = tokenizer.encode(record.text, parseSpecial: true)
            #expect(SmolLM2ConformanceTests.difference(ids, record.idsParseSpecial) == nil, "\(record.name)")
        }
    }

    /// Every text decodes back to its bytes with `▁` read as a space; that is the reference
    /// text itself except in the three records with a note.
    @Test("decoding the reference ids gives back the reference text")
    func decoding() throws {
        let tokenizer = try Gemma3Fixture.tokenizer()
        let records = try Gemma3Fixture.records()
        #expect(records.filter { $0.note != nil }.map(\.name) == ["basic-019", "long-word-014", "odd-unicode-020"])
        for record in records {
            let bytes = try tokenizer.decode(record.ids)
            #expect(bytes.elementsEqual(record.decoded.utf8), "\(record.name)")
            #expect(bytes == Metaspace.unescape(record.text), "\(record.name)")
            #expect(try tokenizer.decode(record.idsParseSpecial) == bytes, "\(record.name)")
        }
    }

    @Test("the space-run pieces match spaces and literal ▁ alike, greedily up to 31")
    func spaceRuns() throws {
        let tokenizer = try Gemma3Fixture.tokenizer()
        #expect(tokenizer.encode("▁ ▁", parseSpecial: false) == [139])
        #expect(tokenizer.encode("  ", parseSpecial: false) == [138])
        #expect(tokenizer.encode(String(repeating: " ", count: 40), parseSpecial: false) == [167, 145])
        #expect(tokenizer.encode("</s>", parseSpecial: false) == [212])
        #expect(tokenizer.encode("<eos>", parseSpecial: true) == [1])
        #expect(tokenizer.encode("<eos>", parseSpecial: false).count > 1)
    }
}
