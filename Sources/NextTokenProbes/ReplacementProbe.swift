import NextTokenCore
import NextTokenKernels
import NextTokenModel
import NextTokenTokenizer

/// What a model did with one replacement request (§7.3).
public enum ReplacementOutcome: String, Sendable, CaseIterable, Codable {
    /// The target was replaced by something else and the rest kept.
    case edited
    /// The text came back unchanged, but in token ids other than its canonical encoding: the
    /// model "edited" the ids, not the text.
    case phantomEdit = "phantom_edit"
    /// The text came back unchanged, in its canonical encoding.
    case refusalToEdit = "refusal_to_edit"
    /// Something other than the target changed (or the output is unrelated).
    case collateralChange = "collateral_change"
}

/// One trial's result.
public struct ReplacementTrial: Sendable {
    /// The request.
    public var prompt: ReplacementPrompt
    /// The generated ids (without the end-of-generation token).
    public var outputTokens: [TokenID]
    /// Their text.
    public var outputText: String
    /// The outcome; a phantom edit is never counted as ``ReplacementOutcome/edited``.
    public var outcome: ReplacementOutcome
    /// What replaced the target, for ``ReplacementOutcome/edited``.
    public var replacement: String?
    /// Where the output's ids differ from the canonical encoding of its text (empty when they
    /// are canonical; one NFC/NFD difference over the sentence when the text is only
    /// canonically equivalent to the input).
    public var differences: [EncodingDifference]
    /// Whether a difference overlaps the target word (for unchanged outputs).
    public var targetTouched: Bool
    /// Words of the output (``TextUnit``s of its canonical encoding), and how many of them were
    /// emitted in non-canonical ids (§7.5).
    public var wordCount: Int
    /// See ``wordCount``.
    public var nonCanonicalWordCount: Int
    /// The union of the differences' classes.
    public var classes: Set<ArtifactClass> { differences.reduce(into: []) { $0.formUnion($1.classes) } }
}

/// The replacement probe: asks a model to replace a word and leave the rest unchanged, decodes
/// greedily, and sorts the result into ``ReplacementOutcome``s.
public struct ReplacementProbe {
    let model: any LanguageModel
    let probe: TokenizationProbe
    let pool: WorkerPool
    /// The prompt tokens for a request: its ``ReplacementPrompt/instruction`` in the model's chat
    /// format (the engine renders its chat template; tests write one inline).
    public let promptTokens: (ReplacementPrompt) throws -> [TokenID]

    /// A probe of `model`, whose vocabulary `probe`'s tokenizer describes, fed the prompts that
    /// `promptTokens` builds.
    public init(
        model: any LanguageModel, probe: TokenizationProbe, pool: WorkerPool,
        promptTokens: @escaping (ReplacementPrompt) throws -> [TokenID]
    ) {
        self.model = model
        self.probe = probe
        self.pool = pool
        self.promptTokens = promptTokens
    }

    /// Runs one trial: greedy decoding of at most `maxTokens` tokens (default: twice the
    /// sentence's tokens plus 16), stopping at the end of the first line of text.
    ///
    /// - Throws: ``ProbeError/targetNotFound(sentence:target:)``, or the model's errors.
    public func run(_ prompt: ReplacementPrompt, maxTokens: Int? = nil) throws -> ReplacementTrial {
        guard prompt.targetRange != nil else {
            throw ProbeError.targetNotFound(sentence: prompt.sentence, target: prompt.target)
        }
        let tokenizer = probe.tokenizer
        let limit = maxTokens ?? 2 * tokenizer.encode(prompt.sentence, parseSpecial: false).count + 16
        let output = try GreedyGenerator(model: model, tokenizer: tokenizer, pool: pool)
            .generate(prompt: try promptTokens(prompt), maxTokens: limit, stopAtLineBreak: true)
        return ReplacementJudge(probe: probe).judge(prompt, output: output)
    }
}
