import Foundation
import NextTokenCore
import NextTokenGGUF
import NextTokenTestSupport
@testable import NextTokenTokenizer

/// The Gemma 3 tokenizer, read from the real GGUF file, and its conformance records.
enum Gemma3Fixture {
    /// The model's vocabulary and tokenizer, built once for all tests.
    private static let loaded = Result { () throws -> (TokenizerVocabulary, Tokenizer) in
        guard let path = TestModels.path(for: "gemma3") else {
            throw TestModelError.missing(name: "gemma3", path: TestModels.directory)
        }
        let vocabulary = try TokenizerVocabulary(metadata: GGUFFile(path: path).metadata)
        return (vocabulary, try Tokenizer(vocabulary: vocabulary))
    }

    /// The vocabulary of Gemma 3 270M; skips the test when the model is missing, or fails it
    /// when `NEXTTOKEN_REQUIRE_MODELS=1`.
    static func vocabulary() throws -> TokenizerVocabulary {
        _ = try TestModels.requireOrSkip("gemma3")
        return try loaded.get().0
    }

    /// The tokenizer of Gemma 3 270M, skipping like ``vocabulary()``.
    static func tokenizer() throws -> Tokenizer {
        _ = try TestModels.requireOrSkip("gemma3")
        return try loaded.get().1
    }

    /// The 450 records of `gemma3.jsonl`.
    static func records() throws -> [ConformanceRecord] {
        try ConformanceRecord.load(SharedData.url("testdata/tokenizer/gemma3.jsonl"))
    }
}
