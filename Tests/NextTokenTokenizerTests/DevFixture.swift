import Foundation
import NextTokenCore
@testable import NextTokenTokenizer

// TEMPORARY: development-only loader for a JSON dump of the SmolLM2 vocabulary.
enum DevFixture {
    static let sharedRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("shared")

    static func smolVocabulary() throws -> TokenizerVocabulary {
        let data = try Data(contentsOf: URL(fileURLWithPath: "/tmp/smollm2-vocab.json"))
        let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] ?? [:]
        let tokens = object["tokenizer.ggml.tokens"] as? [String] ?? []
        let types = (object["tokenizer.ggml.token_type"] as? [Int] ?? []).map { Int32($0) }
        let merges = object["tokenizer.ggml.merges"] as? [String] ?? []
        return TokenizerVocabulary(
            model: .gpt2, preTokenizer: "smollm", tokens: tokens, tokenTypes: types, merges: merges,
            bos: 1, eos: 2, unknown: 0, padding: 2)
    }
}

struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
