import Foundation
import NextTokenByteLevel
import NextTokenCore
import NextTokenTestSupport
import Testing

/// Byte-level probabilities on Gemma 3 (SentencePiece BPE with byte fallback): the checks of
/// ``SmolLM2ByteLevelTests`` on the other tokenizer kind, on shorter texts (Gemma 3's 262k-row
/// output head makes each forward row costly). Run in release: `swift test -c release --filter ByteLevel`.
@Suite("Byte-level probabilities on Gemma 3", .serialized)
struct Gemma3ByteLevelTests {
    static func model() throws -> RealModel { try RealModel.load("gemma3") }

    @Test("strict next-byte distribution matches an independent cover enumeration and sums to 1",
          arguments: ["The capital of Fra", "Done.\n\n"])
    func distributionMatchesReference(text: String) throws {
        try ByteLevelChecks.distributionMatchesReference(model: try Self.model(), text: Array(text.utf8))
    }

    @Test("the byte-level log-probability of a text does not depend on where it is split into prompt and continuation",
          arguments: [PruningMode.fast, .strict])
    func splitInvariance(mode: PruningMode) throws {
        try ByteLevelChecks.splitInvariance(model: try Self.model(), text: Array("The cat sat on the mat.".utf8), mode: mode)
    }

    // Prose only: on Gemma 3 the canonical encoding of "print(1)\n" does not dominate (its
    // non-canonical covers carry 0.32 nats), so the dominance bound does not apply to it.
    @Test("byte-level log-probability ≥ canonical token-level log-probability, within the non-canonical cover mass",
          arguments: ["The capital of France is Paris.", "She opened the window and looked outside."])
    func atLeastCanonical(text: String) throws {
        try ByteLevelChecks.atLeastCanonical(model: try Self.model(), text: Array(text.utf8))
    }

    @Test("greedy byte-level generation continues a word cut mid-token where naive prompting does not",
          arguments: [("The capital of Fra", "nce")])
    func continuesCutWord(prompt: String, expected: String) throws {
        try ByteLevelChecks.continuesCutWord(model: try Self.model(), prompt: prompt, expected: expected)
    }
}
