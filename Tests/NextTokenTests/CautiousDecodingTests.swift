import Foundation
import NextToken
import NextTokenCore
import NextTokenModel
import NextTokenSampling
import NextTokenTestSupport
import Testing

@Suite("Cautious Next Token Prediction on SmolLM2", .serialized)
struct CautiousDecodingTests {
    static let prompt = "The three most important inventions in history are"

    static func options(_ maxTokens: Int, cautious: CautiousOptions?) -> GenerationOptions {
        var options = GenerationOptions()
        options.maxTokens = maxTokens
        options.threads = 2
        options.ignoreEndOfGeneration = true
        options.sampling = SamplingParameters(temperature: 0.8, topK: 0, topP: 1, minP: 0, seed: 42)
        options.cautious = cautious
        return options
    }

    @Test("with the lower entropy bound above every step's entropy, the output is plain decoding's")
    func untriggeredEqualsPlain() throws {
        let model = try Model(path: try TestModels.requireOrSkip("smollm2"))
        var cautious = CautiousOptions()
        cautious.minEntropy = 50
        cautious.maxEntropy = 60
        let plain = try model.complete(Self.prompt, options: Self.options(16, cautious: nil))
        let careful = try model.complete(Self.prompt, options: Self.options(16, cautious: cautious))
        #expect(careful.tokens == plain.tokens)
        #expect(careful.text == plain.text)
        let statistics = try #require(careful.cautious)
        #expect(statistics.steps == 16 && statistics.triggeredSteps == 0 && statistics.trials == 0)
        #expect(statistics.extraRows == 0 && statistics.emittedTokens == 16)
        #expect(plain.cautious == nil)
    }

    @Test("forced trials: the emitted trial has the lowest perplexity, recomputed by a fresh forward pass")
    func chosenTrialHasMinimumPerplexity() throws {
        let model = try Model(path: try TestModels.requireOrSkip("smollm2"))
        var cautious = CautiousOptions()
        cautious.minEntropy = 0
        cautious.maxEntropy = 0.001
        cautious.maxTrials = 3
        cautious.maxTrialTokens = 5
        cautious.recordsTrials = true
        var options = Self.options(12, cautious: cautious)
        options.sampling.temperature = 1
        let summary = try model.complete(Self.prompt, options: options)
        let statistics = try #require(summary.cautious)
        #expect(summary.tokens.count == 12)
        #expect(statistics.triggeredSteps >= 2)
        #expect(statistics.recorded.count == statistics.triggeredSteps)
        #expect(statistics.trials == statistics.recorded.map(\.trials.count).reduce(0, +))
        #expect(statistics.emittedTokens == 12)
        let stops = Set([".", ",", "\n", "?", "!", ":", ";", ")", "]", "}"].compactMap { model.tokenize($0).first })

        var covered = 0
        for step in statistics.recorded {
            #expect(step.offset >= covered, "steps follow each other")
            #expect(step.trials.count == cautious.trialCount(entropy: step.entropy) && step.trials.count > 1)
            let prefix = summary.promptTokens + summary.tokens[..<step.offset]
            var perplexities: [Double] = []
            for trial in step.trials {
                let last = try #require(trial.tokens.last)
                #expect(stops.contains(last) || model.tokenizer.isEndOfGeneration(last)
                        || trial.tokens.count == min(5, 12 - step.offset),
                        "a trial ends at punctuation, end of generation or the cap")
                #expect(trial.tokens.dropLast().allSatisfy { !stops.contains($0) })
                let scored = try Self.logProbabilities(of: trial.tokens, after: Array(prefix), model: model)
                for (recorded, fresh) in zip(trial.logProbabilities, scored) {
                    #expect(abs(recorded - fresh) < 1e-3)
                }
                perplexities.append(exp(-scored.reduce(0, +) / Double(scored.count)))
            }
            let minimum = try #require(perplexities.min())
            #expect(perplexities[step.chosen] <= minimum * (1 + 1e-6), "chosen \(step.chosen) of \(perplexities)")
            let chosen = step.trials[step.chosen].tokens
            let emitted = Array(summary.tokens[step.offset ..< min(summary.tokens.count, step.offset + chosen.count)])
            #expect(emitted == Array(chosen.prefix(emitted.count)))
            covered = step.offset + chosen.count
        }
        #expect(statistics.extraRows > 0)
    }

    @Test("stop mode contains-punctuation ends a trial at the first token whose text holds punctuation")
    func containsPunctuationStops() throws {
        let model = try Model(path: try TestModels.requireOrSkip("smollm2"))
        var cautious = CautiousOptions()
        cautious.minEntropy = 0
        cautious.maxEntropy = 0.001
        cautious.maxTrials = 3
        cautious.maxTrialTokens = 6
        cautious.stopMode = .containsPunctuation
        cautious.recordsTrials = true
        var options = Self.options(10, cautious: cautious)
        options.sampling.temperature = 1.2
        let summary = try model.complete("List: apples, pears, plums, figs,", options: options)
        let statistics = try #require(summary.cautious)
        let punctuation = Set(".,\n?!:;)]}")
        func hasPunctuation(_ token: Int32) throws -> Bool { try model.detokenize([token]).contains(where: punctuation.contains) }
        var endedAtPunctuation = 0
        for step in statistics.recorded {
            for trial in step.trials {
                #expect(try trial.tokens.dropLast().allSatisfy { try !hasPunctuation($0) })
                let last = try #require(trial.tokens.last)
                if try hasPunctuation(last) {
                    endedAtPunctuation += 1
                } else {
                    #expect(model.tokenizer.isEndOfGeneration(last) || trial.tokens.count == min(6, 10 - step.offset))
                }
            }
        }
        #expect(endedAtPunctuation > 0)
    }

    @Test("log-probability events follow the emitted trial tokens, with the log-softmax of their own logits")
    func logprobsOfTrials() async throws {
        let model = try Model(path: try TestModels.requireOrSkip("smollm2"))
        var cautious = CautiousOptions()
        cautious.minEntropy = 0
        cautious.maxEntropy = 0.001
        cautious.maxTrials = 2
        cautious.maxTrialTokens = 3
        var options = Self.options(6, cautious: cautious)
        options.logprobs = 1
        var events: [TokenLogprob] = []
        var summary: GenerationSummary?
        for try await event in model.generate(Self.prompt, options: options) {
            switch event {
            case .logprob(let logprob): events.append(logprob)
            case .finished(let final): summary = final
            case .text: break
            }
        }
        let final = try #require(summary)
        #expect((final.cautious?.triggeredSteps ?? 0) > 0)
        #expect(events.map(\.token) == final.tokens)
        var context = final.promptTokens
        for event in events {
            let fresh = try Self.logProbabilities(of: [event.token], after: context, model: model)
            #expect(abs(fresh[0] - event.logprob) < 1e-3)
            #expect(event.top.count == 1)
            context.append(event.token)
        }
    }

    @Test("cautious decoding with speculation is a typed error")
    func rejectsSpeculation() throws {
        let model = try Model(path: try TestModels.requireOrSkip("smollm2"))
        var options = Self.options(4, cautious: CautiousOptions())
        options.speculation = .lookup
        #expect(throws: NextTokenError.self) { try model.complete(Self.prompt, options: options) }
    }

    /// The natural-log probability of each of `tokens` after `context`, by one fresh forward pass and a
    /// log-softmax in `Double`.
    static func logProbabilities(of tokens: [TokenID], after context: [TokenID], model: Model) throws -> [Double] {
        let lm = model.languageModel
        let all = context + tokens
        let fresh = lm.makeContext(capacity: all.count, pool: .init(threadCount: 2))
        let rows = Array(context.count - 1 ..< all.count - 1)
        let logits = try lm.logits(ForwardBatch(tokens: all, startingAt: 0), context: fresh, logitRows: rows)
        let v = lm.vocabularySize
        return tokens.indices.map { index in
            let row = logits[index * v ..< (index + 1) * v]
            let maximum = Double(row.max() ?? 0)
            let normalizer = maximum + log(row.reduce(0.0) { $0 + exp(Double($1) - maximum) })
            return Double(row[row.startIndex + Int(tokens[index])]) - normalizer
        }
    }
}
