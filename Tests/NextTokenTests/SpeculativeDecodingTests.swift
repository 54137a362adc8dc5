import Foundation
import NextToken
import NextTokenCore
import NextTokenSampling
import NextTokenSpeculation
import NextTokenTestSupport
import Testing

/// Speculative decoding on SmolLM2 emits exactly what plain decoding emits (algorithms.md §1.8,
/// §2.8, §3.3, §4.6 level 4).
@Suite("Speculative decoding on SmolLM2", .serialized)
struct SpeculativeDecodingTests {
    struct Workload: Decodable {
        let prompt: String?
        let turns: [String]?
        var text: String { prompt ?? turns?.first ?? "" }
    }

    /// 20 prompts drawn from the three workload files, cut to keep prefill short.
    static func prompts() throws -> [String] {
        let copy = try SharedData.jsonLines(Workload.self, "bench/copy-tasks.jsonl")
        let code = try SharedData.jsonLines(Workload.self, "bench/humaneval-dev.jsonl")
        let spec = try SharedData.jsonLines(Workload.self, "bench/specbench-dev.jsonl")
        let picked = copy.prefix(8).map(\.text) + code.prefix(6).map(\.text)
            + stride(from: 0, to: spec.count, by: spec.count / 6).prefix(6).map { spec[$0].text }
        return picked.map { String($0.prefix(600)) }
    }

    static func options(_ method: SpeculationMethod, sampling: SamplingParameters = .greedy) -> GenerationOptions {
        var options = GenerationOptions()
        options.maxTokens = 64
        options.ignoreEndOfGeneration = true
        options.threads = 2
        options.sampling = sampling
        options.speculation = method
        options.speculationBudget = 12
        options.adaptiveSpeculation = false
        return options
    }

    @Test("greedy: every method's tokens equal plain greedy on 20 prompts × 64 tokens")
    func greedyIdentity() throws {
        let model = try Model(path: try TestModels.requireOrSkip("smollm2"))
        let prompts = try Self.prompts()
        #expect(prompts.count == 20)
        var accepted: [SpeculationMethod: Int] = [:]
        for prompt in prompts {
            let plain = try model.complete(prompt, options: Self.options(.none))
            #expect(plain.tokens.count == 64)
            for method in [SpeculationMethod.lookup, .llamaLookup, .recycling, .goose] {
                let fast = try model.complete(prompt, options: Self.options(method))
                #expect(fast.tokens == plain.tokens, "\(method) differs on \(prompt.prefix(40))")
                #expect(fast.text == plain.text)
                accepted[method, default: 0] += fast.speculation?.accepted ?? 0
            }
        }
        // The drafts were really used: every method accepted some tokens.
        for (method, count) in accepted { #expect(count > 0, "\(method) accepted nothing") }
    }

    @Test("seeded sampling (T=0.8, top-p 0.95): every method's tokens equal plain sampling with the same seed")
    func samplingIdentity() throws {
        let model = try Model(path: try TestModels.requireOrSkip("smollm2"))
        for (index, prompt) in try Self.prompts().prefix(6).enumerated() {
            let sampling = SamplingParameters(temperature: 0.8, topP: 0.95, seed: UInt64(100 + index))
            let plain = try model.complete(prompt, options: Self.options(.none, sampling: sampling))
            for method in [SpeculationMethod.lookup, .llamaLookup, .recycling, .goose] {
                let fast = try model.complete(prompt, options: Self.options(method, sampling: sampling))
                #expect(fast.tokens == plain.tokens, "\(method) differs with seed \(100 + index)")
            }
        }
    }

    @Test("warm-from-prompt and the tree templates keep greedy outputs identical; warming fills the prompt's rows")
    func recyclingOptions() throws {
        let model = try Model(path: try TestModels.requireOrSkip("smollm2"))
        let prompts = try Self.prompts()
        for prompt in [prompts[0], prompts[9], prompts[15]] {
            let plain = try model.complete(prompt, options: Self.options(.none))
            for (template, warm) in [("2.2.2", true), ("cpu8", false), ("cpu16", true)] {
                for method in [SpeculationMethod.recycling, .goose] {
                    var options = Self.options(method)
                    options.recyclingTemplate = template
                    options.warmRecyclingFromPrompt = warm
                    options.speculationBudget = template == "2.2.2" ? 80 : 16
                    let fast = try model.complete(prompt, options: options)
                    #expect(fast.tokens == plain.tokens, "\(method) \(template) warm \(warm) differs")
                }
            }
            // Every prompt token's row was written by the warm-up (no sentinel left at rank 0).
            let tokens = try model.complete(prompt, options: Self.options(.none)).promptTokens
            #expect(tokens.allSatisfy { model.recyclingMatrix.candidate(after: $0, rank: 0) >= 0 })
        }
        var bad = Self.options(.recycling)
        bad.recyclingTemplate = "nope"
        #expect(throws: (any Error).self) { try model.complete(prompts[0], options: bad) }
    }

    @Test("EOS and the token limit inside an accepted path end the request there")
    func stopsInsidePaths() throws {
        let model = try Model(path: try TestModels.requireOrSkip("smollm2"))
        let prompt = "<|im_start|>user\nRepeat exactly: red green blue red green blue<|im_end|>\n<|im_start|>assistant\n"
        for limit in [1, 2, 5, 13] {
            var plainOptions = Self.options(.none)
            plainOptions.parseSpecial = true
            plainOptions.maxTokens = limit
            plainOptions.ignoreEndOfGeneration = false
            let plain = try model.complete(prompt, options: plainOptions)
            for method in [SpeculationMethod.lookup, .recycling, .goose] {
                var options = plainOptions
                options.speculation = method
                let fast = try model.complete(prompt, options: options)
                #expect(fast.tokens == plain.tokens && fast.stopReason == plain.stopReason, "\(method), limit \(limit)")
                #expect(fast.tokens.count <= limit)
            }
        }
    }

    @Test("statistics add up: τ = emitted / steps, accepted = drafted hits, per-depth counts consistent")
    func statistics() throws {
        let model = try Model(path: try TestModels.requireOrSkip("smollm2"))
        let prompt = try Self.prompts()[0]
        let summary = try model.complete(prompt, options: Self.options(.goose))
        let stats = try #require(summary.speculation)
        #expect(stats.method == "goose")
        #expect(stats.emitted == summary.tokens.count - 1)  // the first token comes from prefill
        #expect(stats.accepted == stats.emitted - stats.steps)
        #expect(stats.accepted <= stats.drafted)
        #expect(stats.acceptedBySource.values.reduce(0, +) == stats.accepted)
        #expect(stats.draftedBySource.values.reduce(0, +) == stats.drafted)
        #expect(abs(stats.meanAcceptedTokens - Double(stats.emitted) / Double(stats.steps)) < 1e-12)
        #expect(zip(stats.acceptedByDepth, stats.testedByDepth).allSatisfy { $0 <= $1 })
    }
}
