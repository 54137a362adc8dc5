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
            let ids = tokenizer.encode(record.text, parseSpecial: false)
            #expect(Self.difference(ids, record.ids) == nil, "\(record.name)")
        }
    }

    @Test("all 450 strings encode to the reference ids with special tokens parsed")
    func parseSpecialIDs() throws {
        let tokenizer = try SmolLM2Fixture.tokenizer()
        let records = try SmolLM2Fixture.records()
        #expect(records.filter { $0.ids != $0.idsParseSpecial }.count == 12)
        for record in records {
            let ids = tokenizer.encode(record.text, parseSpecial: true)
            #expect(Self.difference(ids, record.idsParseSpecial) == nil, "\(record.name)")
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
            #expect(text.unicodeScalars.elementsEqual(record.decoded.unicodeScalars), "\(record.name)")
            if record.note == nil {
                #expect(bytes.elementsEqual(record.text.utf8), "\(record.name)")
            }
        }
    }

    /// Where two id sequences first differ, with a few ids of context, or `nil` if they are equal.
    /// Keeps failure reports short for the 20,000-character strings.
    static func difference(_ actual: [TokenID], _ expected: [TokenID]) -> String? {
        guard actual != expected else { return nil }
        let common = min(actual.count, expected.count)
        let first = (0..<common).first { actual[$0] != expected[$0] } ?? common
        let window = max(0, first - 3)..<(first + 8)
        return "first difference at \(first) of \(actual.count) vs \(expected.count) ids: "
            + "\(actual[window.clamped(to: actual.indices)]) vs \(expected[window.clamped(to: expected.indices)])"
    }
}
