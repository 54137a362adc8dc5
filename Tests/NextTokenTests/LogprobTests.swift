import Foundation
@testable import NextToken
import NextTokenChatTemplate
import NextTokenCore
import NextTokenTestSupport
import Testing

@Suite("Per-token log-probabilities and chat messages")
struct LogprobTests {
    @Test("log-softmax and top alternatives of a small logits row: ties to the lower id, NaN and -inf excluded")
    func smallRow() {
        let logits: [Float] = [1, 3, .nan, 3, -.infinity, 0.5, 2]
        let entry = logits.withUnsafeBufferPointer { TokenLogprob(token: 6, logits: $0, topCount: 4) }
        let finite = logits.filter { $0.isFinite }.map(Double.init)
        let normalizer = log(finite.map(exp).reduce(0, +))
        #expect(abs(entry.logprob - (2 - normalizer)) < 1e-12)
        #expect(entry.top.map(\.token) == [1, 3, 6, 0])
        #expect(abs(entry.top[0].logprob - (3 - normalizer)) < 1e-12)
        let impossible = logits.withUnsafeBufferPointer { TokenLogprob(token: 4, logits: $0, topCount: 0) }
        #expect(impossible.logprob == -.infinity)
        #expect(impossible.top.isEmpty)
        let all = logits.withUnsafeBufferPointer { TokenLogprob(token: 0, logits: $0, topCount: 100) }
        #expect(all.top.count == 5)
    }

    @Test("generate reports one log-probability per token, equal to a log-softmax of recomputed logits")
    func engineLogprobs() async throws {
        let model = try Model(path: try TestModels.requireOrSkip("smollm2"))
        var options = GenerationOptions()
        options.maxTokens = 3
        options.logprobs = 2
        options.threads = 2
        var entries: [TokenLogprob] = []
        var summary: GenerationSummary?
        for try await event in model.generate("Hello, my name is", options: options) {
            switch event {
            case .logprob(let entry): entries.append(entry)
            case .finished(let final): summary = final
            case .text: break
            }
        }
        let final = try #require(summary)
        #expect(entries.map(\.token) == final.tokens)
        let lm = model.languageModel
        let all = final.promptTokens + final.tokens
        let context = lm.makeContext(capacity: all.count, pool: .init(threadCount: 1))
        let logits = try lm.logits(.init(tokens: all, startingAt: 0), context: context, logitRows: Array(all.indices))
        let v = lm.vocabularySize
        for (step, entry) in entries.enumerated() {
            let start = (final.promptTokens.count - 1 + step) * v
            let row = logits[start ..< start + v].map(Double.init)
            let maximum = row.max() ?? 0
            let normalizer = maximum + log(row.map { exp($0 - maximum) }.reduce(0, +))
            #expect(abs(entry.logprob - (row[Int(entry.token)] - normalizer)) < 1e-4)
            let order = row.indices.sorted { row[$0] != row[$1] ? row[$0] > row[$1] : $0 < $1 }
            #expect(entry.top.map(\.token) == order.prefix(2).map { TokenID($0) })
            #expect(entry.top.first?.token == entry.token, "greedy picks the most likely token")
        }
    }

    @Test("chat messages render the same turns as the system prompt and prompt")
    func messagesMatchSystemAndPrompt() throws {
        let model = try Model(path: try TestModels.requireOrSkip("smollm2"))
        var plain = GenerationOptions()
        plain.chat = true
        plain.systemPrompt = "Be brief."
        var listed = GenerationOptions()
        listed.chat = true
        listed.messages = [ChatMessage(role: "system", content: "Be brief."), ChatMessage(role: "user", content: "Hi!")]
        #expect(try model.promptTokens(for: "Hi!", options: plain) == model.promptTokens(for: "ignored", options: listed))
        listed.messages?.append(ChatMessage(role: "assistant", content: "Hello."))
        listed.messages?.append(ChatMessage(role: "user", content: "Bye."))
        let text = try model.detokenize(try model.promptTokens(for: "", options: listed))
        #expect(text.hasSuffix("<|im_start|>assistant\nHello.<|im_end|>\n<|im_start|>user\nBye.<|im_end|>\n<|im_start|>assistant\n"))
    }
}
