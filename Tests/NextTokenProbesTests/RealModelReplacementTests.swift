import NextTokenCore
import NextTokenKernels
import NextTokenModel
import NextTokenProbes
import NextTokenTokenizer
import Testing

@Suite("Replacement probe and encoding mass on SmolLM2 and Gemma 3")
struct RealModelReplacementTests {
    /// The instruction in the model's chat turns, written out here (the engine renders templates).
    static func chatPrompt(_ prompt: ReplacementPrompt, model: String, tokenizer: Tokenizer) -> [TokenID] {
        let (open, close) = model == "gemma3"
            ? ("<start_of_turn>user\n", "<end_of_turn>\n<start_of_turn>model\n")
            : ("<|im_start|>user\n", "<|im_end|>\n<|im_start|>assistant\n")
        return (tokenizer.addsBOS ? [tokenizer.bos].compactMap { $0 } : [])
            + tokenizer.encode(open + prompt.instruction + close, parseSpecial: true)
    }

    @Test("greedy answers are judged consistently, and the mass on their own encodings is a probability",
          arguments: ["smollm2", "gemma3"])
    func trialsAndMass(model name: String) throws {
        let (model, tokenizer) = try ProbeModels.model(name)
        let probe = TokenizationProbe(tokenizer: tokenizer)
        let pool = WorkerPool(threadCount: 2)
        let runner = ReplacementProbe(model: model, probe: probe, pool: pool) {
            Self.chatPrompt($0, model: name, tokenizer: tokenizer)
        }
        let scorer = EncodingMassScorer(model: model, probe: probe, pool: pool)
        var trials: [ReplacementTrial] = []
        for prompt in ReplacementPrompt.standardSet.prefix(3) {
            let trial = try runner.run(prompt)
            trials.append(trial)
            #expect(!trial.outputTokens.isEmpty)
            #expect(trial.differences.isEmpty == (trial.outputTokens == tokenizer.encode(trial.outputText, parseSpecial: false)))
            let unchanged = trial.outputText.trimmingWhitespace == prompt.sentence
            switch trial.outcome {
            case .refusalToEdit: #expect(unchanged && trial.differences.isEmpty)
            case .phantomEdit: #expect(!trial.differences.isEmpty)
            case .edited: #expect(!unchanged && trial.replacement != prompt.target)
            case .collateralChange: #expect(!unchanged)
            }
            let masses = try scorer.score(text: trial.outputText, context: try runner.promptTokens(prompt))
            #expect(masses.count == trial.wordCount)
            for mass in masses {
                #expect(mass.canonicalProbability + mass.alternativeMass <= 1 + 1e-9)
                #expect((0 ... 1).contains(mass.nonCanonicalShare))
                #expect(mass.evaluatedNodes <= 64)
                for alternative in mass.topAlternatives {
                    #expect(try tokenizer.decode(alternative.tokens) == Array(mass.text.utf8))
                    #expect(!alternative.classes.isEmpty)
                }
            }
        }
        let summary = ReplacementSummary(trials)
        #expect(summary.trials == 3)
        #expect(summary.outcomes.values.reduce(0, +) == 3)
    }
}

extension String {
    /// The string without leading and trailing spaces, tabs and line breaks.
    var trimmingWhitespace: String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "\r" || $0 == "\r\n" }
        guard let start = firstIndex(where: { !isSpace($0) }), let end = lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(self[start ... end])
    }
}
