import Foundation
import NextToken
import NextTokenCore
import NextTokenKernels
import NextTokenModel
import NextTokenSampling
import NextTokenTestSupport
import Testing

@Suite("In-context navigation prompts")
struct NavigationPromptTests {
    @Test("the plain prompt is the instruction, a blank line, the numbered quoted answers and an open quote")
    func plainPrompt() {
        #expect(NavigationPrompt.plainText(instruction: "Name a fruit.", explored: ["apple", "banana"])
            == "Name a fruit.\n\nAnswer:\n1. \"apple\"\n2. \"banana\"\n3. \"")
        #expect(NavigationPrompt.plainText(instruction: "Name a fruit.", explored: []) == "Name a fruit.\n\nAnswer:\n1. \"")
        #expect(NavigationPrompt.answerList(explored: ["a b"]) == "Answer:\n1. \"a b\"\n2. \"")
    }

    @Test("bad navigation settings are typed errors", arguments: [
        { (o: inout NavigationOptions) in o.runs = 0 },
        { (o: inout NavigationOptions) in o.answersPerRun = 0 },
        { (o: inout NavigationOptions) in o.maxAnswerTokens = 0 },
        { (o: inout NavigationOptions) in o.scanTopK = 0 },
        { (o: inout NavigationOptions) in o.threads = 0 },
    ] as [@Sendable (inout NavigationOptions) -> Void])
    func badSettings(_ change: @Sendable (inout NavigationOptions) -> Void) {
        var options = NavigationOptions()
        change(&options)
        #expect(throws: NextTokenError.self) { try options.validate() }
    }
}

@Suite("In-context navigation on SmolLM2", .serialized)
struct NavigationTests {
    static func options(runs: Int) -> NavigationOptions {
        var options = NavigationOptions()
        options.runs = runs
        options.answersPerRun = 1
        options.maxAnswerTokens = 8
        options.threads = 2
        return options
    }

    @Test("through SmolLM2's chat template the instruction is the user turn and the list opens the assistant's")
    func chatPrompt() throws {
        let model = try Model(path: try TestModels.requireOrSkip("smollm2"))
        let text = try model.navigationPrompt(instruction: "Name a fruit.", explored: ["apple", "kiwi"])
        #expect(text == "<|im_start|>system\nYou are a helpful AI assistant named SmolLM, trained by Hugging Face<|im_end|>\n"
            + "<|im_start|>user\nName a fruit.<|im_end|>\n<|im_start|>assistant\nAnswer:\n1. \"apple\"\n2. \"kiwi\"\n3. \"")
        let tokens = try model.navigationPromptTokens(instruction: "Name a fruit.", explored: ["apple", "kiwi"])
        #expect(tokens == model.tokenize(text, parseSpecial: true))
        var plain = NavigationOptions()
        plain.chat = false
        #expect(try model.navigationPrompt(instruction: "Name a fruit.", explored: [], options: plain)
            == "Name a fruit.\n\nAnswer:\n1. \"")
    }

    @Test("asking 4 times for a fruit gives 4 distinct answers from 4 distinct first tokens, one per run")
    func distinctFruits() throws {
        let model = try Model(path: try TestModels.requireOrSkip("smollm2"))
        let result = try model.navigate("Name a fruit.", options: Self.options(runs: 4))
        let texts = result.answers.map(\.text)
        #expect(texts.count == 4, "\(texts)")
        #expect(Set(texts).count == texts.count)
        #expect(texts.allSatisfy { !$0.isEmpty && !$0.contains("\"") && !$0.contains("\n") })
        #expect(result.answers.map(\.run) == Array(0 ..< 4))
        let firsts = try result.answers.map { try model.detokenize([$0.firstToken]) }
        #expect(Set(firsts).count == firsts.count)
        #expect(result.probedFirstTokens >= 4 && result.forwardRows > 0)
    }

    @Test("one run of K answers is the top K distinct first tokens, each completed greedily (recomputed from scratch)")
    func oneRunIsTopK() throws {
        let model = try Model(path: try TestModels.requireOrSkip("smollm2"))
        var options = Self.options(runs: 1)
        options.answersPerRun = 3
        let result = try model.navigate("Name a fruit.", options: options)
        let prompt = try model.navigationPromptTokens(instruction: "Name a fruit.", explored: [])
        let lm = model.languageModel
        let pool = WorkerPool(threadCount: 2)
        func nextLogits(_ tokens: [TokenID]) throws -> [Float] {
            try lm.logits(ForwardBatch(tokens: tokens, startingAt: 0), context: lm.makeContext(capacity: tokens.count, pool: pool),
                          logitRows: [tokens.count - 1])
        }
        let logits = try nextLogits(prompt)
        let ranking = logits.indices.map { TokenID($0) }
            .filter { !model.tokenizer.isControl($0) && !model.tokenizer.isEndOfGeneration($0) }
            .sorted { logits[Int($0)] > logits[Int($1)] || (logits[Int($0)] == logits[Int($1)] && $0 < $1) }
        var expected: [String] = []
        var probed: Set<String> = []
        for first in ranking where expected.count < 3 {
            guard probed.insert(try model.detokenize([first])).inserted else { continue }
            var tokens = [first]
            var text = try model.detokenize(tokens)
            while !text.contains("\"") && !text.contains("\n") && tokens.count < 8 {
                let next = try nextLogits(prompt + tokens).withUnsafeBufferPointer { try Sampler.greedyToken(logits: $0) }
                if model.tokenizer.isEndOfGeneration(next) { break }
                tokens.append(next)
                text = try model.detokenize(tokens)
            }
            let answer = String(text.prefix { $0 != "\"" && $0 != "\n" }).trimmingCharacters(in: .whitespacesAndNewlines)
            if !answer.isEmpty && !expected.contains(answer) { expected.append(answer) }
        }
        #expect(result.answers.map(\.text) == expected)
    }

    @Test("an empty instruction is a typed error")
    func emptyInstruction() throws {
        let model = try Model(path: try TestModels.requireOrSkip("smollm2"))
        #expect(throws: NextTokenError.self) { try model.navigate("", options: Self.options(runs: 1)) }
    }
}
