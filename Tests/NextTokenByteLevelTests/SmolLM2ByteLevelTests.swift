import Foundation
import NextTokenByteLevel
import NextTokenCore
import NextTokenSampling
import NextTokenTestSupport
import Testing

/// Byte-level probabilities on SmolLM2 (byte-level BPE). Run in release:
/// `swift test -c release --filter ByteLevel`.
@Suite("Byte-level probabilities on SmolLM2", .serialized)
struct SmolLM2ByteLevelTests {
    static func model() throws -> RealModel { try RealModel.load("smollm2") }

    @Test("strict next-byte distribution matches an independent cover enumeration and sums to 1",
          arguments: ["The capital of Fra", "Done.\n\n"])
    func distributionMatchesReference(text: String) throws {
        let model = try Self.model()
        try ByteLevelChecks.distributionMatchesReference(model: model, text: Array(text.utf8))
    }

    @Test("the byte-level log-probability of a text does not depend on where it is split into prompt and continuation",
          arguments: [PruningMode.fast, .strict])
    func splitInvariance(mode: PruningMode) throws {
        let model = try Self.model()
        let text = Array((mode == .strict ? "The cat sat on the mat." : "The capital of France is Paris, and its river is the Seine.").utf8)
        try ByteLevelChecks.splitInvariance(model: model, text: text, mode: mode)
    }

    @Test("byte-level log-probability ≥ canonical token-level log-probability, within the non-canonical cover mass",
          arguments: ["The capital of France is Paris.", "Return it.\n\n```python\nprint(1)\n```\n"])
    func atLeastCanonical(text: String) throws {
        let model = try Self.model()
        try ByteLevelChecks.atLeastCanonical(model: model, text: Array(text.utf8))
    }

    @Test("greedy byte-level generation continues a word cut mid-token where naive prompting does not",
          arguments: [("https:/", "/"), ("The capital of Fra", "nce"), ("def fibonac", "ci")])
    func continuesCutWords(prompt: String, expected: String) throws {
        let model = try Self.model()
        try ByteLevelChecks.continuesCutWord(model: model, prompt: prompt, expected: expected)
    }
}
