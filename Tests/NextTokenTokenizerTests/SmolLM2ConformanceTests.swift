import Foundation
import NextTokenCore
import Testing
@testable import NextTokenTokenizer

/// The 450 strings of `testdata/tokenizer/smollm2.jsonl` against SmolLM2's own vocabulary.
@Suite("SmolLM2 conformance")
struct SmolLM2ConformanceTests {
    @Test("all 450 strings encode to the reference ids, special-token text read as plain text")
    func plainIDs() throws {
        let tokenizer = try SmolLM2Fixture.tokenizer()
        let records = try SmolLM2Fixture.records()
        #expect(records.count == 450)
        for record in records {
            #expect(tokenizer.encode(record.text, parseSpecial: false) == record.ids, "\(record.name)")
        }
    }

    @Test("all 450 strings encode to the reference ids with special tokens parsed")
    func parseSpecialIDs() throws {
        let tokenizer = try SmolLM2Fixture.tokenizer()
        let records = try SmolLM2Fixture.records()
        #expect(records.filter { $0.ids != $0.idsParseSpecial }.count == 12)
        for record in records {
            #expect(tokenizer.encode(record.text, parseSpecial: true) == record.idsParseSpecial,
                    "\(record.name)")
        }
    }

    /// The reference decoder returns text, its invalid bytes as U+FFFD; ``Tokenizer/decode(_:)``
    /// returns the bytes themselves, which equal the text's bytes wherever the record has no note.
    @Test("decoding the reference ids gives back the reference text")
    func decoding() throws {
        let tokenizer = try SmolLM2Fixture.tokenizer()
        let records = try SmolLM2Fixture.records()
        #expect(records.filter { $0.note != nil }.map(\.name) == ["odd-unicode-023", "odd-unicode-024"])
        for record in records {
            let bytes = try tokenizer.decode(record.ids)
            let text = String(decoding: bytes, as: UTF8.self)
            #expect(Array(text.unicodeScalars) == Array(record.decoded.unicodeScalars), "\(record.name)")
            if record.note == nil {
                #expect(bytes == Array(record.text.utf8), "\(record.name)")
            }
        }
    }
}
