import Foundation
import NextTokenByteLevel
import NextTokenCore
import Testing

@Suite("Exact byte-level probabilities on the toy Markov source (design §6.7)")
struct ToyExactnessTests {
    static let a = UInt8(ascii: "A")
    static let b = UInt8(ascii: "B")

    /// Every A/B string of length `0 ... maximum`.
    static func prefixes(upTo maximum: Int) -> [[UInt8]] {
        var all: [[UInt8]] = [[]]
        var layer: [[UInt8]] = [[]]
        for _ in 0..<maximum {
            layer = layer.flatMap { [$0 + [a], $0 + [b]] }
            all += layer
        }
        return all
    }

    static func state(_ oracle: ToyMarkovOracle, _ prompt: [UInt8], mode: PruningMode = .fast) throws -> ExactByteState {
        let vocabulary = try ByteVocabulary(tokenizer: oracle.tokenizer, modelVocabularySize: oracle.vocabularySize)
        return try ExactByteState(vocabulary: vocabulary, evaluator: oracle, mode: mode, prompt: prompt)
    }

    @Test("next-byte probabilities equal the Markov transitions for every prefix up to 10 bytes", arguments: [PruningMode.fast, .strict])
    func nextByteExact(mode: PruningMode) throws {
        let oracle = try ToyMarkovOracle()
        var worst = 0.0
        for prefix in Self.prefixes(upTo: 10) {
            let distribution = try Self.state(oracle, prefix, mode: mode).distribution()
            let expected = oracle.nextA(after: prefix)
            worst = max(worst, abs(distribution[Int(Self.a)] - expected), abs(distribution[Int(Self.b)] - (1 - expected)))
            #expect(distribution[ByteAlphabet.endOfText] == 0)
        }
        #expect(worst < 1e-9, "largest error \(worst)")
    }

    @Test("the prefix probability is the source's probability of the prefix")
    func prefixProbabilityExact() throws {
        let oracle = try ToyMarkovOracle()
        for prefix in Self.prefixes(upTo: 8) {
            let state = try Self.state(oracle, prefix)
            let logP = try #require(state.prefixLogProbability)
            #expect(abs(logP - log(oracle.markovProbability(prefix))) < 1e-9, "\(String(decoding: prefix, as: UTF8.self))")
        }
    }

    @Test("naive prompting gives P(A) = 0 after a lone A token, where the source gives 0.7")
    func naivePromptingIsBiased() throws {
        let oracle = try ToyMarkovOracle()
        var biased = 0
        for prefix in Self.prefixes(upTo: 10) where !prefix.isEmpty {
            let tokens = [ToyMarkovOracle.bos] + oracle.tokenizer.encode(String(decoding: prefix, as: UTF8.self), parseSpecial: false)
            let row = oracle.row(after: Array(tokens.dropFirst()))
            let naiveA = exp(row[Int(ToyMarkovOracle.tokenA)]) + exp(row[Int(ToyMarkovOracle.tokenAA)])
            guard tokens.last == ToyMarkovOracle.tokenA else { continue }
            #expect(naiveA == 0)
            #expect(abs(naiveA - oracle.nextA(after: prefix)) > 0.6)
            biased += 1
        }
        #expect(biased > 100)
    }

    @Test("chain rule: advancing byte by byte multiplies to the ratio of prefix probabilities", arguments: [PruningMode.fast, .strict])
    func chainRule(mode: PruningMode) throws {
        let oracle = try ToyMarkovOracle()
        var random = SystemRandomNumberGenerator()
        for _ in 0..<40 {
            let length = Int.random(in: 0...6, using: &random)
            let x = (0..<length).map { _ in Bool.random(using: &random) ? Self.a : Self.b }
            let y = (0..<Int.random(in: 1...5, using: &random)).map { _ in Bool.random(using: &random) ? Self.a : Self.b }
            let state = try Self.state(oracle, x, mode: mode)
            var chained = 0.0
            for byte in y { chained += try state.advance(byte) }
            let direct = try #require(try Self.state(oracle, x + y, mode: mode).prefixLogProbability)
                - (try #require(try Self.state(oracle, x, mode: mode).prefixLogProbability))
            #expect(abs(chained - direct) < 1e-9)
            #expect(abs(try #require(state.prefixLogProbability) - log(oracle.markovProbability(x + y))) < 1e-9)
        }
    }

    @Test("strict pruning restores exactness when the model puts mass on invalid encodings; fast mode does not")
    func strictPruningRemovesInvalidMass() throws {
        let oracle = try ToyMarkovOracle(noise: 0.2)
        var strictWorst = 0.0
        var fastWorst = 0.0
        for prefix in Self.prefixes(upTo: 8) {
            let expected = oracle.nextA(after: prefix)
            strictWorst = max(strictWorst, abs(try Self.state(oracle, prefix, mode: .strict).distribution()[Int(Self.a)] - expected))
            fastWorst = max(fastWorst, abs(try Self.state(oracle, prefix, mode: .fast).distribution()[Int(Self.a)] - expected))
        }
        #expect(strictWorst < 1e-9)
        #expect(fastWorst > 0.01)
    }

    @Test("after every byte exactly one landed cover is the canonical encoding, and no canonical fallback is needed")
    func canonicalCoverInvariant() throws {
        let oracle = try ToyMarkovOracle()
        let state = try Self.state(oracle, [])
        let text = Array("AABABAAABBAB".utf8.prefix(10))
        for (index, byte) in text.enumerated() {
            try state.advance(byte)
            let expected = oracle.tokenizer.encode(String(decoding: text[...index], as: UTF8.self), parseSpecial: false)
            #expect(state.canonicalTokens == expected)
        }
        #expect(state.statistics.canonicalFallbacks == 0)
    }
}
