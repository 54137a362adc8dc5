import NextTokenCore
import NextTokenKernels
import NextTokenSampling

/// The search of in-context navigation (design §8.3): each round ranks first tokens under the
/// prompt that lists the answers found so far, and greedily completes the best first tokens not
/// tried before, each up to its closing quote.
///
/// Engine choices beside the reference: a completion also ends at a newline (a list item is one
/// line); control and end-of-generation tokens are never first tokens; an empty answer, or one
/// already found, is not counted and the scan goes on, so the answers are distinct.
struct InContextNavigator {
    let model: Model
    let options: NavigationOptions
    /// The prompt's tokens for a list of explored answers.
    let promptTokens: ([String]) throws(NextTokenError) -> [TokenID]

    func run() throws(NextTokenError) -> NavigationResult {
        try options.validate()
        let initial = try promptTokens([])
        let lm = model.languageModel
        var runner = PrefixCachedRunner(
            model: lm, pool: WorkerPool(threadCount: options.threads ?? GenerationRun.defaultThreadCount),
            capacity: initial.count + 16 * (options.maxAnswerTokens + 8))
        var answers: [NavigationResult.Answer] = []
        var probed: Set<String> = []
        for run in 0 ..< options.runs {
            let explored = answers.map(\.text)
            let prompt = try promptTokens(explored)
            try runner.evaluate(prompt)
            let base = options.regularized ? initial : prompt
            var found = 0
            for token in ranking(runner.logits) {
                let key = try text(of: [token])
                guard probed.insert(key).inserted else { continue }
                let answer = try complete(base, first: token, runner: &runner)
                guard !answer.isEmpty, !answers.contains(where: { $0.text == answer }) else { continue }
                answers.append(.init(text: answer, firstToken: token, run: run))
                found += 1
                if found == options.answersPerRun { break }
            }
        }
        return NavigationResult(answers: answers, probedFirstTokens: probed.count, forwardRows: runner.forwardRows)
    }

    /// Candidate first tokens, highest logit first (lowest id on ties), without control and
    /// end-of-generation tokens, at most ``NavigationOptions/scanTopK``.
    private func ranking(_ logits: [Float]) -> [TokenID] {
        let tokenizer = model.tokenizer
        var candidates: [TokenID] = []
        for id in 0 ..< min(logits.count, tokenizer.vocabularySize) {
            let token = TokenID(truncatingIfNeeded: id)
            if !tokenizer.isControl(token), !tokenizer.isEndOfGeneration(token), !logits[id].isNaN {
                candidates.append(token)
            }
        }
        let order = candidates.sorted { a, b in
            let (x, y) = (logits[Int(a)], logits[Int(b)])
            return x > y || (x == y && a < b)
        }
        return Array(order.prefix(options.scanTopK ?? order.count))
    }

    /// The greedy completion of `base` + `first`, up to a closing quote or newline, trimmed.
    private func complete(
        _ base: [TokenID], first: TokenID, runner: inout PrefixCachedRunner
    ) throws(NextTokenError) -> String {
        var tokens = [first]
        while true {
            let text = try text(of: tokens)
            if let end = text.firstIndex(where: { $0 == "\"" || $0 == "\n" }) {
                return Self.trimmed(text[..<end])
            }
            guard tokens.count < options.maxAnswerTokens else { return Self.trimmed(text[...]) }
            try runner.evaluate(base + tokens)
            let next: TokenID
            do throws(SamplingError) {
                next = try runner.logits.withUnsafeBufferPointer { logits throws(SamplingError) in
                    try Sampler.greedyToken(logits: logits)
                }
            } catch {
                throw .sampling(error)
            }
            if model.tokenizer.isEndOfGeneration(next) { return Self.trimmed(text[...]) }
            tokens.append(next)
        }
    }

    private func text(of tokens: [TokenID]) throws(NextTokenError) -> String {
        do {
            return String(decoding: try model.tokenizer.decode(tokens), as: UTF8.self)
        } catch {
            throw .tokenizer(error)
        }
    }

    private static func trimmed(_ text: Substring) -> String {
        String(text.drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
    }
}
