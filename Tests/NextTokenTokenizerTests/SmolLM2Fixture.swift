import Foundation
import NextTokenCore
@testable import NextTokenTokenizer

/// The SmolLM2 tokenizer and its conformance records, loaded once for all tests.
enum SmolLM2Fixture {
    /// The bytes SmolLM2's vocabulary has no token for (testdata/tokenizer/README.md, §4).
    static let droppedBytes: Set<UInt8> = Set([0x04, 0x06, 0x13, 0x14, 0x16, 0x1D, 0xC0, 0xC1, 0xF1, 0xF2])
        .union(0xF5...0xFF)

    private static let loaded = Result { try Tokenizer(vocabulary: DevFixture.smolVocabulary()) }

    /// The tokenizer of SmolLM2-135M-Instruct.
    static func tokenizer() throws -> Tokenizer {
        try loaded.get()
    }

    /// The 450 records of `smollm2.jsonl`.
    static func records() throws -> [ConformanceRecord] {
        try ConformanceRecord.load(
            DevFixture.sharedRoot.appendingPathComponent("testdata/tokenizer/smollm2.jsonl"))
    }
}
