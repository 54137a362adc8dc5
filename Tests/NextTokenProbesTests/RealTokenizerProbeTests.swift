import NextTokenCore
import NextTokenProbes
import NextTokenTestSupport
import NextTokenTokenizer
import Testing

/// One record of the shared tokenizer conformance data.
struct ConformanceRecord: Decodable {
    let category: String
    let text: String
    let ids: [Int32]
}

@Suite("Non-canonical encodings on SmolLM2 and Gemma 3")
struct RealTokenizerProbeTests {
    static let categories: Set = ["basic", "prose", "contractions", "numbers", "code", "whitespace", "punctuation",
                                  "url", "emoji", "cjk", "scripts", "nfc-nfd", "special-like"]

    static func records(_ name: String) throws -> [ConformanceRecord] {
        try SharedData.jsonLines(ConformanceRecord.self, "testdata/tokenizer/\(name).jsonl")
            .filter { categories.contains($0.category) }
    }

    @Test("each word's canonical encoding is one of its encodings and the units add up to the reference ids",
          arguments: ["smollm2", "gemma3"])
    func canonicalInTheSet(model: String) throws {
        let tokenizer = try ProbeModels.tokenizer(model)
        let probe = TokenizationProbe(tokenizer: tokenizer)
        let records = try Self.records(model)
        #expect(records.count > 200)
        var words = 0
        for record in records {
            let reports = probe.probe(text: record.text, limit: 20)
            #expect(reports.flatMap(\.canonical) == record.ids, "\(record.text.debugDescription)")
            let bytes = try tokenizer.decode(record.ids)
            for report in reports {
                words += 1
                #expect(report.canonicalFound, "\(report.text.debugDescription) in \(record.text.debugDescription)")
                #expect(report.count >= 1)
                let unitBytes = Array(bytes[report.byteRange ?? 0 ..< 0])
                for encoding in report.encodings {
                    #expect(try tokenizer.decode(encoding) == unitBytes, "\(encoding)")
                    #expect(encoding != report.canonical)
                }
            }
        }
        #expect(words > 1000)
    }

    @Test("short words: the full listing holds the tokenizer's output, and the count is the listing's size",
          arguments: ["smollm2", "gemma3"])
    func fullListings(model: String) throws {
        let tokenizer = try ProbeModels.tokenizer(model)
        let probe = TokenizationProbe(tokenizer: tokenizer)
        let words = try Self.records(model).filter { $0.category == "prose" }
            .flatMap { $0.text.split(separator: " ").map(String.init) }.filter { $0.utf8.count <= 7 }
        #expect(words.count > 50)
        for word in words {
            for leadingSpace in [true, false] {
                let text = leadingSpace ? " " + word : word
                let bytes = Array(text.utf8)
                let listed = probe.enumerator.encodings(of: bytes, atSequenceStart: true, limit: 50_000)
                #expect(probe.enumerator.count(of: bytes, atSequenceStart: true) == UInt64(listed.count))
                #expect(listed.contains(tokenizer.encode(text, parseSpecial: false)), "\(text.debugDescription)")
                #expect(Set(listed).count == listed.count)
                let report = probe.probe(word: word, leadingSpace: leadingSpace, limit: 50_000)
                #expect(report.isComplete && report.canonicalFound)
                #expect(report.encodings.count + 1 == listed.count)
            }
        }
    }

    @Test("brute force over the whole vocabulary agrees on a few short strings", arguments: ["smollm2", "gemma3"])
    func bruteForceOnRealVocabulary(model: String) throws {
        let tokenizer = try ProbeModels.tokenizer(model)
        let enumerator = EncodingEnumerator(tokenizer: tokenizer)
        for text in [" the", "a,", "é", "12", "\n "] {
            let bytes = Array(text.utf8)
            let expected = ProbeVocabularies.bruteForceEncodings(of: bytes, tokenizer: tokenizer, atSequenceStart: true)
            #expect(Set(enumerator.encodings(of: bytes, atSequenceStart: true, limit: 10_000)) == expected,
                    "\(text.debugDescription)")
        }
    }
}
