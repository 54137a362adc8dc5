import Foundation
import NextTokenCore
import NextTokenGGUF
import NextTokenTestSupport
@testable import NextTokenTokenizer

/// The SmolLM2 tokenizer, read from the real GGUF file, and its conformance records.
enum SmolLM2Fixture {
    /// The bytes SmolLM2's vocabulary has no token for (testdata/tokenizer/README.md, §4).
    static let droppedBytes: Set<UInt8> = Set([0x04, 0x06, 0x13, 0x14, 0x16, 0x1D, 0xC0, 0xC1, 0xF1, 0xF2])
        .union(0xF5...0xFF)

    /// The model's vocabulary and tokenizer, built once for all tests.
    private static let loaded = Result { () throws -> (TokenizerVocabulary, Tokenizer) in
        guard let path = TestModels.path(for: "smollm2") else {
            throw TestModelError.missing(name: "smollm2", path: TestModels.directory)
        }
        let vocabulary = try TokenizerVocabulary(metadata: GGUFFile(path: path).metadata)
        return (vocabulary, try Tokenizer(vocabulary: vocabulary))
    }

    /// The vocabulary of SmolLM2-135M-Instruct; skips the test when the model is missing, or
    /// fails it when `NEXTTOKEN_REQUIRE_MODELS=1`.
    static func vocabulary() throws -> TokenizerVocabulary {
        _ = try TestModels.requireOrSkip("smollm2")
        return try loaded.get().0
    }

    /// The tokenizer of SmolLM2-135M-Instruct, skipping like ``vocabulary()``.
    static func tokenizer() throws -> Tokenizer {
        _ = try TestModels.requireOrSkip("smollm2")
        return try loaded.get().1
    }

    /// The 450 records of `smollm2.jsonl`.
    static func records() throws -> [ConformanceRecord] {
        try ConformanceRecord.load(SharedData.url("testdata/tokenizer/smollm2.jsonl"))
    }
}
