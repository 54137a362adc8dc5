import Foundation
import NextToken
import NextTokenCore
import NextTokenSampling
import NextTokenTestSupport
import Testing

/// The full sampler chain (penalties, logit bias, typical-p) in real generations on SmolLM2.
@Suite("Sampler chain on SmolLM2", .serialized)
struct SamplerChainGenerationTests {
    static let prompts = [
        "List the planets of the solar system: Mercury, Venus,",
        "def fibonacci(n):\n    \"\"\"Return the n-th Fibonacci number.\"\"\"\n",
        "Once upon a time, in a small village by the sea,",
    ]

    static let penalised = SamplingParameters(
        temperature: 0, repetitionPenalty: 1.3, frequencyPenalty: 0.2, presencePenalty: 0.3, penaltyWindow: 32,
        logitBias: [28: -2])

    static func options(
        _ sampling: SamplingParameters, method: SpeculationMethod = .none, threads: Int = 2
    ) -> GenerationOptions {
        var options = GenerationOptions()
        options.maxTokens = 32
        options.ignoreEndOfGeneration = true
        options.threads = threads
        options.sampling = sampling
        options.speculation = method
        options.speculationBudget = 12
        options.adaptiveSpeculation = false
        return options
    }

    static func seeded(_ seed: UInt64) -> SamplingParameters {
        SamplingParameters(
            temperature: 0.9, topK: 60, topP: 0.95, minP: 0.02, seed: seed, repetitionPenalty: 1.2,
            frequencyPenalty: 0.1, presencePenalty: 0.2, penaltyWindow: -1, logitBias: [13: 0.5], typicalP: 0.9)
    }

    @Test("greedy with penalties differs from plain greedy and never repeats a token as freely")
    func penaltiesChangeGreedy() throws {
        let model = try Model(path: try TestModels.requireOrSkip("smollm2"))
        let prompt = "1, 1, 1, 1, 1, 1, 1, 1,"
        let plain = try model.complete(prompt, options: Self.options(.greedy))
        var strong = SamplingParameters.greedy
        strong.presencePenalty = 100
        strong.penaltyWindow = -1
        let penalised = try model.complete(prompt, options: Self.options(strong))
        #expect(plain.tokens != penalised.tokens)
        // A presence penalty of 100 makes every token of the history lose to any fresh one.
        let promptTokens = Set(penalised.promptTokens)
        var seen = Set<TokenID>()
        for token in penalised.tokens {
            #expect(!promptTokens.contains(token) && !seen.contains(token), "token \(token) repeated")
            seen.insert(token)
        }
    }

    @Test("a -infinity logit bias bans the greedy token")
    func logitBiasBans() throws {
        let model = try Model(path: try TestModels.requireOrSkip("smollm2"))
        let prompt = Self.prompts[0]
        let plain = try model.complete(prompt, options: Self.options(.greedy))
        let first = try #require(plain.tokens.first)
        var banned = SamplingParameters.greedy
        banned.logitBias = [first: -.infinity]
        let result = try model.complete(prompt, options: Self.options(banned))
        #expect(!result.tokens.contains(first))
    }

    @Test("seeded sampling with every stage on reproduces across runs and thread counts")
    func seededReproducible() throws {
        let model = try Model(path: try TestModels.requireOrSkip("smollm2"))
        for (index, prompt) in Self.prompts.enumerated() {
            let parameters = Self.seeded(UInt64(7 + index))
            let first = try model.complete(prompt, options: Self.options(parameters, threads: 2))
            let again = try model.complete(prompt, options: Self.options(parameters, threads: 2))
            let single = try model.complete(prompt, options: Self.options(parameters, threads: 1))
            #expect(first.tokens.count == 32)
            #expect(again.tokens == first.tokens)
            #expect(single.tokens == first.tokens)
        }
    }

    @Test("speculative decoding with penalties emits exactly the plain tokens (greedy and seeded)")
    func speculativeIdentity() throws {
        let model = try Model(path: try TestModels.requireOrSkip("smollm2"))
        for (index, prompt) in Self.prompts.enumerated() {
            for parameters in [Self.penalised, Self.seeded(UInt64(100 + index))] {
                let plain = try model.complete(prompt, options: Self.options(parameters))
                for method in [SpeculationMethod.lookup, .recycling] {
                    let fast = try model.complete(prompt, options: Self.options(parameters, method: method))
                    #expect(fast.tokens == plain.tokens, "\(method) differs on \(prompt.prefix(30))")
                }
            }
        }
    }
}
