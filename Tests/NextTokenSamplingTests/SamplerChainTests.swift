import Foundation
import Testing
import NextTokenCore
import NextTokenSampling

/// The history stages (penalties, logit bias) and typical-p against hand-computed distributions.
@Suite("Sampler chain stages")
struct SamplerChainTests {
    /// The processed distribution of `logits` after `history` from a fresh sampler.
    func chain(_ logits: [Float], _ parameters: SamplingParameters, history: [TokenID] = []) throws -> ProcessedDistribution {
        var sampler = try Sampler(parameters: parameters)
        return try logits.withUnsafeBufferPointer { try sampler.distribution(logits: $0, history: history) }
    }

    /// Softmax of `logits` in `Double`.
    func softmax(_ logits: [Double]) -> [Double] {
        let top = logits.max() ?? 0
        let weights = logits.map { exp($0 - top) }
        let total = weights.reduce(0, +)
        return weights.map { $0 / total }
    }

    @Test("repetition penalty divides positive and multiplies negative logits of window tokens only")
    func repetitionPenalty() throws {
        let logits: [Float] = [2, -1, 0.5, 1]
        let result = try chain(logits, SamplingParameters(repetitionPenalty: 2), history: [0, 1, 1])
        #expect(isClose(result.probabilities, softmax([1, -2, 0.5, 1])))
    }

    @Test("frequency and presence penalties subtract count × F + P for each window token")
    func frequencyAndPresence() throws {
        let logits: [Float] = [1, 1, 1, 1]
        let parameters = SamplingParameters(frequencyPenalty: 0.5, presencePenalty: 0.25)
        let result = try chain(logits, parameters, history: [2, 0, 2, 2])
        #expect(isClose(result.probabilities, softmax([1 - 0.5 - 0.25, 1, 1 - 1.5 - 0.25, 1])))
    }

    @Test("the window holds only the last N tokens; -1 holds all, 0 none")
    func window() throws {
        let logits: [Float] = [1, 1, 1]
        let history: [TokenID] = [0, 0, 1]
        let lastOne = try chain(logits, SamplingParameters(presencePenalty: 1, penaltyWindow: 1), history: history)
        #expect(isClose(lastOne.probabilities, softmax([1, 0, 1])))
        let all = try chain(logits, SamplingParameters(frequencyPenalty: 1, penaltyWindow: -1), history: history)
        #expect(isClose(all.probabilities, softmax([-1, 0, 1])))
        let none = try chain(logits, SamplingParameters(frequencyPenalty: 1, penaltyWindow: 0), history: history)
        #expect(isClose(none.probabilities, softmax([1, 1, 1])))
    }

    @Test("logit bias adds after the penalties; -infinity bans a token")
    func logitBias() throws {
        let logits: [Float] = [3, 1, 0]
        let parameters = SamplingParameters(repetitionPenalty: 3, logitBias: [0: 1, 1: -.infinity, 2: 0.5])
        let result = try chain(logits, parameters, history: [0])
        #expect(result.tokenIDs == [0, 2])
        #expect(isClose(result.probabilities, softmax([2, 0.5])))
    }

    @Test("greedy decoding applies penalties and bias before the argmax")
    func greedyAfterPenalties() throws {
        let logits: [Float] = [3, 2, 0]
        var sampler = try Sampler(parameters: SamplingParameters(temperature: 0, repetitionPenalty: 2))
        let token = try logits.withUnsafeBufferPointer { try sampler.sample(logits: $0, history: [0]) }
        #expect(token == 1)
        var biased = try Sampler(parameters: SamplingParameters(temperature: 0, logitBias: [2: 5]))
        #expect(try logits.withUnsafeBufferPointer { try biased.sample(logits: $0) } == 2)
    }

    @Test("the caller's logits are never changed")
    func logitsUntouched() throws {
        let logits: [Float] = [2, -1, 0.5]
        var sampler = try Sampler(parameters: SamplingParameters(seed: 1, repetitionPenalty: 1.5, logitBias: [2: 1]))
        for _ in 0 ..< 3 {
            _ = try logits.withUnsafeBufferPointer { try sampler.sample(logits: $0, history: [0, 1]) }
        }
        #expect(logits == [2, -1, 0.5])
    }

    @Test("typical-p keeps tokens closest to the entropy until the mass is reached")
    func typicalP() throws {
        // p = 0.5, 0.3, 0.15, 0.05: H = 1.1421; |−ln p − H| = 0.4490, 0.0619, 0.7550, 1.8536.
        // Ranked: 1 (0.3), 0, 2, 3. Mass 0.3 < 0.5, then 0.8 >= 0.5: ids {0, 1}.
        let probabilities = [0.5, 0.3, 0.15, 0.05]
        let logits = logLogits(probabilities)
        let result = try chain(logits, SamplingParameters(typicalP: 0.5))
        #expect(result.tokenIDs == [0, 1])
        #expect(isClose(result.probabilities, [0.5 / 0.8, 0.3 / 0.8]))
        let one = try chain(logits, SamplingParameters(typicalP: 0.2))
        #expect(one.tokenIDs == [1])
        let all = try chain(logits, SamplingParameters(typicalP: 1))
        #expect(all.count == 4)
    }

    @Test("invalid chain parameters are typed errors", arguments: [
        (SamplingParameters(repetitionPenalty: 0), SamplingError.invalidRepetitionPenalty(0)),
        (SamplingParameters(frequencyPenalty: .infinity), .invalidFrequencyPenalty(.infinity)),
        (SamplingParameters(presencePenalty: -.infinity), .invalidPresencePenalty(-.infinity)),
        (SamplingParameters(penaltyWindow: -2), .invalidPenaltyWindow(-2)),
        (SamplingParameters(logitBias: [-1: 1]), .invalidLogitBias(token: -1, bias: 1)),
        (SamplingParameters(logitBias: [3: .infinity]), .invalidLogitBias(token: 3, bias: .infinity)),
        (SamplingParameters(typicalP: 0), .invalidTypicalP(0)),
        (SamplingParameters(typicalP: 1.5), .invalidTypicalP(1.5)),
    ])
    func invalidParameters(parameters: SamplingParameters, error: SamplingError) {
        #expect(throws: error) { try parameters.validate() }
        #expect(throws: error) { _ = try Sampler(parameters: parameters) }
    }

    @Test("a logit bias outside the vocabulary is a typed error at sampling time")
    func biasOutsideVocabulary() throws {
        var sampler = try Sampler(parameters: SamplingParameters(seed: 1, logitBias: [7: 1]))
        let logits: [Float] = [0, 0]
        #expect(throws: SamplingError.logitBiasOutOfVocabulary(token: 7, vocabularySize: 2)) {
            _ = try logits.withUnsafeBufferPointer { try sampler.sample(logits: $0) }
        }
    }
}
