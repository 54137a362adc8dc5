import Foundation
import NextToken
import NextTokenCore
import NextTokenSampling
import NextTokenTestSupport
import Testing

/// Continuous batching in the engine, on SmolLM2.
@Suite("Batched decoder on SmolLM2", .serialized)
struct BatchedDecoderTests {
    static func model() throws -> Model {
        try Model(path: try TestModels.requireOrSkip("smollm2"))
    }

    /// Every event of one stream, as comparable values.
    static func events(_ stream: AsyncThrowingStream<GenerationEvent, any Error>) async throws -> (
        text: [String], logprobs: [TokenLogprob], summary: GenerationSummary?
    ) {
        var text: [String] = []
        var logprobs: [TokenLogprob] = []
        var summary: GenerationSummary?
        for try await event in stream {
            switch event {
            case .text(let delta): text.append(delta)
            case .logprob(let logprob): logprobs.append(logprob)
            case .finished(let final): summary = final
            }
        }
        return (text, logprobs, summary)
    }

    @Test("concurrent generations give the events each gives alone, deltas and log-probabilities included")
    func matchesSolo() async throws {
        let model = try Self.model()
        let prompts = ["The capital of France is", "def add(a, b):\n", "Once upon a time,"]
        let options: [GenerationOptions] = prompts.indices.map { index in
            var options = GenerationOptions()
            options.maxTokens = 10 + 4 * index
            options.threads = 2
            options.logprobs = index
            options.sampling = index == 0 ? .greedy : SamplingParameters(temperature: 0.9, seed: UInt64(index), presencePenalty: 0.4)
            return options
        }
        let tokens = try prompts.map { try model.promptTokens(for: $0) }
        var solo: [(text: [String], logprobs: [TokenLogprob], summary: GenerationSummary?)] = []
        for (prompt, option) in zip(tokens, options) {
            solo.append(try await Self.events(model.generate(tokens: prompt, options: option)))
        }
        let decoder = BatchedDecoder(model: model, threads: 2)
        let streams = zip(tokens, options).map { decoder.generate(tokens: $0, options: $1) }
        var batched: [(text: [String], logprobs: [TokenLogprob], summary: GenerationSummary?)] = []
        for stream in streams { batched.append(try await Self.events(stream)) }
        for index in prompts.indices {
            #expect(batched[index].text == solo[index].text, "request \(index)")
            #expect(batched[index].logprobs == solo[index].logprobs, "request \(index)")
            #expect(batched[index].summary?.tokens == solo[index].summary?.tokens)
            #expect(batched[index].summary?.stopReason == solo[index].summary?.stopReason)
        }
        let statistics = decoder.passStatistics
        let generated = solo.reduce(0) { $0 + ($1.summary?.tokens.count ?? 0) }
        #expect(statistics.passes < generated, "the streams shared passes")
    }

    @Test("a cancelled consumer stops its generation without disturbing the others; speculation and bad prompts are refused")
    func cancellationAndErrors() async throws {
        let model = try Self.model()
        let decoder = BatchedDecoder(model: model, threads: 2)
        var options = GenerationOptions()
        options.maxTokens = 200
        options.ignoreEndOfGeneration = true
        let prompt = try model.promptTokens(for: "1, 2, 3,")
        let long = decoder.generate(tokens: prompt, options: options)
        let reader = Task {
            var deltas = 0
            for try await event in long { if case .text = event { deltas += 1 } }
            return deltas
        }
        var short = options
        short.maxTokens = 8
        let result = try await Self.events(decoder.generate(tokens: prompt, options: short))
        #expect(result.summary?.tokens == (try model.complete("1, 2, 3,", options: short)).tokens)
        reader.cancel()
        _ = try? await reader.value
        try await Task.sleep(for: .milliseconds(500))
        let settled = decoder.passStatistics
        try await Task.sleep(for: .seconds(1))
        #expect(decoder.passStatistics.rows == settled.rows, "the cancelled generation stopped and the loop went idle")

        var speculative = short
        speculative.speculation = .lookup
        await #expect(throws: NextTokenError.self) { _ = try await Self.events(decoder.generate(tokens: prompt, options: speculative)) }
        await #expect(throws: NextTokenError.self) { _ = try await Self.events(decoder.generate(tokens: [], options: short)) }
        var bias = short
        bias.sampling.logitBias = [TokenID(model.languageModel.vocabularySize): -1]
        await #expect(throws: NextTokenError.self) { _ = try await Self.events(decoder.generate(tokens: prompt, options: bias)) }
        // The loop still serves after the failures.
        #expect(try await Self.events(decoder.generate(tokens: prompt, options: short)).summary?.tokens == result.summary?.tokens)
    }
}
