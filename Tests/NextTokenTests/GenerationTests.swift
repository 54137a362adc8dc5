import Foundation
import NextToken
import NextTokenChatTemplate
import NextTokenCore
import NextTokenModel
import NextTokenSampling
import NextTokenTestSupport
import Testing

@Suite("Generation on SmolLM2", .serialized)
struct GenerationTests {
    static func model() throws -> Model { try Model(path: try TestModels.requireOrSkip("smollm2")) }

    static func options(_ maxTokens: Int, _ configure: (inout GenerationOptions) -> Void = { _ in }) -> GenerationOptions {
        var options = GenerationOptions()
        options.maxTokens = maxTokens
        options.threads = 2
        configure(&options)
        return options
    }

    @Test("greedy generation equals the argmax chain of one full re-evaluation (cached decode = recompute)")
    func greedyMatchesRecompute() throws {
        let model = try Self.model()
        let summary = try model.complete("Once upon a time, in a small village by the sea,",
                                         options: Self.options(24) { $0.ignoreEndOfGeneration = true })
        #expect(summary.tokens.count == 24)
        let all = summary.promptTokens + summary.tokens
        let lm = model.languageModel
        let context = lm.makeContext(capacity: all.count, pool: .init(threadCount: 1))
        let logits = try lm.logits(ForwardBatch(tokens: all, startingAt: 0), context: context,
                                   logitRows: Array(all.indices))
        let v = lm.vocabularySize
        for step in summary.tokens.indices {
            let row = summary.promptTokens.count - 1 + step
            let best = try logits[row * v ..< (row + 1) * v].withUnsafeBufferPointer {
                try Sampler.greedyToken(logits: $0)
            }
            #expect(best == summary.tokens[step], "step \(step)")
        }
        #expect(summary.text == (try model.detokenize(summary.tokens)))
    }

    @Test("chat mode renders SmolLM2's own template (with its default system turn) and tokenizes it with special tokens")
    func chatPromptFromModelTemplate() throws {
        let model = try Self.model()
        let question = "What is the capital of France?"
        let options = Self.options(1) { $0.chat = true }
        let source = try #require(model.chatTemplate)
        let rendered = try ChatTemplate(source: source).render(
            messages: [.user(question)], addGenerationPrompt: true,
            bosToken: model.bosTokenText, eosToken: model.eosTokenText)
        #expect(rendered == "<|im_start|>system\nYou are a helpful AI assistant named SmolLM, trained by Hugging Face"
            + "<|im_end|>\n<|im_start|>user\n\(question)<|im_end|>\n<|im_start|>assistant\n")
        #expect(try model.chatPrompt(for: question, options: options) == rendered)
        let tokens = try model.promptTokens(for: question, options: options)
        #expect(tokens == model.tokenize(rendered, parseSpecial: true))
        #expect(tokens.first == 1, "<|im_start|> is one special token")
        #expect(try model.detokenize(tokens) == rendered)

        let withSystem = Self.options(1) {
            $0.chat = true
            $0.systemPrompt = "Be brief."
        }
        #expect(try model.chatPrompt(for: question, options: withSystem)
            == "<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\n\(question)<|im_end|>\n<|im_start|>assistant\n")
    }

    @Test("the built-in ChatML fallback builds SmolLM2's ChatML prompt exactly as llama.cpp tokenized it")
    func chatPromptTokens() throws {
        struct Record: Decodable { let prompt_kind: String; let prompt: String; let prompt_tokens: [TokenID] }
        let model = try Self.model()
        let records = try SharedData.jsonLines(Record.self, "testdata/reference/smollm2-135m-instruct-q4_1-greedy.jsonl")
        let chat = records.filter { $0.prompt_kind == "chatml" }
        #expect(chat.count == 3)
        for record in chat {
            let user = record.prompt
                .replacingOccurrences(of: "<|im_start|>user\n", with: "")
                .replacingOccurrences(of: "<|im_end|>\n<|im_start|>assistant\n", with: "")
            let options = Self.options(1) {
                $0.chat = true
                $0.chatTemplate = Model.builtInChatTemplate
            }
            #expect(try model.chatPrompt(for: user, options: options) == record.prompt)
            #expect(try model.promptTokens(for: user, options: options) == record.prompt_tokens)
        }
    }

    @Test("a chat template that fails is a typed error from every entry point")
    func brokenChatTemplate() async throws {
        let model = try Self.model()
        let options = Self.options(1) {
            $0.chat = true
            $0.chatTemplate = "{{ raise_exception('no chat here') }}"
        }
        let error = #expect(throws: NextTokenError.self) { try model.promptTokens(for: "Hi", options: options) }
        guard case .chatTemplate(.raised(let message, let location))? = error else {
            Issue.record("unexpected \(String(describing: error))")
            return
        }
        #expect(message == "no chat here")
        #expect(location == TemplateSourceLocation(line: 1, column: 4))
        #expect(throws: NextTokenError.self) { try model.complete("Hi", options: options) }
        await #expect(throws: NextTokenError.self) {
            for try await _ in model.generate("Hi", options: options) {}
        }
    }

    @Test("a stop string spanning tokens ends generation before it and is not emitted")
    func stopStrings() throws {
        let model = try Self.model()
        let prompt = "The capital of France is"
        let free = try model.complete(prompt, options: Self.options(20) { $0.ignoreEndOfGeneration = true })
        // A stop made of the last character of one token and the first two of the next.
        let pieces = try free.tokens.map { try model.detokenize([$0]) }
        let boundary = try #require(pieces.indices.dropLast().first { index in
            pieces[index].count >= 2 && pieces[index + 1].count >= 2
        })
        let stop = String(pieces[boundary].suffix(1)) + String(pieces[boundary + 1].prefix(2))
        let stopped = try model.complete(prompt, options: Self.options(20) {
            $0.ignoreEndOfGeneration = true
            $0.stopStrings = [stop]
        })
        let expected = free.text.components(separatedBy: stop)[0]
        #expect(stopped.stopReason == .stopString)
        #expect(Array(stopped.text.utf8) == Array(expected.utf8))
    }

    @Test("seeded sampling reproduces exactly; another seed differs")
    func seededSampling() throws {
        let model = try Self.model()
        func run(_ seed: UInt64) throws -> [TokenID] {
            try model.complete("My favourite food is", options: Self.options(24) {
                $0.ignoreEndOfGeneration = true
                $0.sampling = SamplingParameters(temperature: 1.0, topK: 50, topP: 0.95, minP: 0.01, seed: seed)
            }).tokens
        }
        let first = try run(42)
        #expect(try run(42) == first)
        #expect(try run(43) != first)
    }

    @Test("the stream yields deltas that add up to the summary text, then stops on cancellation")
    func streamingAndCancellation() async throws {
        let model = try Self.model()
        var text = ""
        var summary: GenerationSummary?
        for try await event in model.generate("def add(a, b):", options: Self.options(12)) {
            switch event {
            case .text(let delta): text += delta
            case .finished(let final): summary = final
            }
        }
        #expect(summary?.text == text)

        // Break out after two deltas: the stream ends and the generation thread stops early.
        var deltas = 0
        let stream = model.generate("Count: 1, 2, 3,", options: Self.options(100_000) { $0.ignoreEndOfGeneration = true })
        for try await event in stream {
            if case .text = event { deltas += 1 }
            if deltas == 2 { break }
        }
        #expect(deltas == 2)
    }

    @Test("bad requests are typed errors")
    func badRequests() throws {
        let model = try Self.model()
        #expect(throws: NextTokenError.self) {
            try model.complete(String(repeating: "word ", count: 600), options: Self.options(1) { $0.contextLength = 64 })
        }
        #expect(throws: NextTokenError.self) {
            try model.complete("x", options: Self.options(1) { $0.sampling.temperature = -1 })
        }
        #expect(throws: NextTokenError.self) { try model.complete("", options: Self.options(1)) }
        #expect(throws: NextTokenError.self) { try Model(path: "/nonexistent/model.gguf") }
    }
}
