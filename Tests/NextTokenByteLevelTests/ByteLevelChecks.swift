import Foundation
import NextTokenByteLevel
import NextTokenCore
import NextTokenKernels
import NextTokenModel
import NextTokenSampling
import Testing

/// The real-model properties of design §6.7, shared by the SmolLM2 and Gemma 3 suites.
enum ByteLevelChecks {
    /// The strict state's next-byte distribution after `text` equals `P(text + b) / P(text)`
    /// from ``ReferenceCovers`` for every byte, and those reference ratios (with end of text and
    /// special tokens) sum to 1: no valid probability mass is lost between a prefix and its
    /// one-byte extensions.
    static func distributionMatchesReference(model: RealModel, text: [UInt8]) throws {
        let state = try model.byteLevel.exactState(prompt: text, mode: .strict, tracksPrefixProbability: false)
        let distribution = try state.distribution()
        let reference = ReferenceCovers(model: model, strict: true)
        let prefix = try reference.prefixLogProbability(text)
        var total = 0.0
        var worst = 0.0
        for symbol in 0..<ByteAlphabet.size {
            let logExtended: Double = switch symbol {
            case ..<256: try reference.prefixLogProbability(text + [UInt8(symbol)])
            default: try reference.logProbability(text, thenSymbol: symbol)
            }
            let ratio = exp(logExtended - prefix)
            total += ratio
            worst = max(worst, abs(ratio - distribution[symbol]))
        }
        #expect(abs(total - 1) < 1e-6, "reference next-symbol ratios sum to \(total)")
        #expect(worst < 1e-6, "largest difference from the reference \(worst)")
        #expect(abs(distribution.probabilities.reduce(0, +) - 1) < 1e-12)
        #expect(state.statistics.canonicalFallbacks == 0)
    }

    /// Feeding `text` as prompt `text[..<k]` and then byte by byte gives the same prefix
    /// log-probability for every `k`.
    static func splitInvariance(model: RealModel, text: [UInt8], mode: PruningMode) throws {
        let splits = Array(Set([0, 1, text.count / 4, text.count / 2, text.count - 3, text.count])).sorted()
        var values: [Double] = []
        for split in splits {
            let state = try model.byteLevel.exactState(prompt: Array(text[..<split]), mode: mode, extraBytes: text.count - split)
            for byte in text[split...] { try state.advance(byte) }
            values.append(try #require(state.prefixLogProbability))
            #expect(state.statistics.canonicalFallbacks == 0)
        }
        let spread = (values.max() ?? 0) - (values.min() ?? 0)
        #expect(spread < 1e-6, "prefix log-probabilities \(values) at splits \(splits)")
    }

    /// The byte-level log-probability is at least the canonical encoding's token-level
    /// log-probability, equals the independent enumeration of covers sharing the state's anchor
    /// (so the excess is exactly the non-canonical covers' mass), and exceeds the canonical one
    /// only a little for a text the canonical encoding dominates. The chain of next-byte
    /// probabilities is at least the prefix probability.
    static func atLeastCanonical(model: RealModel, text: [UInt8], dominance: Double = 0.05) throws {
        let state = try model.byteLevel.exactState(prompt: text, mode: .fast)
        let byteLevel = try #require(state.prefixLogProbability)
        let tokenLevel = try model.byteLevel.scoreTokens(text).totalLogProbability
        #expect(byteLevel >= tokenLevel - 1e-9, "byte-level \(byteLevel), token-level \(tokenLevel)")
        let reference = ReferenceCovers(model: model, strict: false)
        let anchorTokens = reference.encode(Array(text[..<state.anchorOffset]))
        let enumerated = try reference.prefixLogProbability(text, anchorTokens: anchorTokens)
        #expect(abs(byteLevel - enumerated) < 1e-6, "state \(byteLevel), enumeration \(enumerated)")
        #expect(byteLevel - tokenLevel < dominance, "the canonical encoding should dominate: excess \(byteLevel - tokenLevel)")
        let walker = try model.byteLevel.exactState(prompt: [], mode: .fast, extraBytes: text.count)
        var chained = 0.0
        for byte in text { chained += try walker.advance(byte) }
        #expect(chained >= byteLevel - 1e-6, "chained \(chained), prefix \(byteLevel)")
        #expect(walker.statistics.canonicalFallbacks == 0)
    }

    /// Greedy byte-level generation after `prompt` starts with `expected`; greedy token-level
    /// generation after the encoded prompt does not.
    static func continuesCutWord(model: RealModel, prompt: String, expected: String) throws {
        let bytes = Array(prompt.utf8)
        let state = try model.byteLevel.exactState(prompt: bytes, mode: .fast, extraBytes: 16, tracksPrefixProbability: false)
        let result = try ByteGenerator.run(
            predictor: state, prompt: bytes, maxBytes: expected.utf8.count + 4,
            sampler: ByteSampler(temperature: 0, seed: 0))
        #expect(result.text.hasPrefix(expected), "byte-level: \(prompt)|\(result.text)")
        let naive = try naiveGreedy(model: model, prompt: bytes, tokens: 3)
        #expect(!naive.hasPrefix(expected), "naive: \(prompt)|\(naive)")
        print("\(prompt)| byte-level: \(result.text.debugDescription)  naive: \(naive.debugDescription)")
    }

    /// Plain greedy decoding of `tokens` tokens after the encoded prompt.
    static func naiveGreedy(model: RealModel, prompt: [UInt8], tokens count: Int) throws -> String {
        var tokens = model.vocabulary.startTokens + model.byteLevel.encode(prompt)
        let lm = model.languageModel
        let context = lm.makeContext(capacity: tokens.count + count, pool: model.byteLevel.pool)
        var logits = try lm.logits(ForwardBatch(tokens: tokens, startingAt: 0), context: context, logitRows: [tokens.count - 1])
        var generated: [UInt8] = []
        for _ in 0..<count {
            let next = try logits.withUnsafeBufferPointer { try Sampler.greedyToken(logits: $0) }
            generated += model.vocabulary.bytes(of: next)
            tokens.append(next)
            logits = try lm.logits(ForwardBatch(tokens: [next], startingAt: tokens.count - 1), context: context, logitRows: [0])
        }
        return String(decoding: generated, as: UTF8.self)
    }
}
