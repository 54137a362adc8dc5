import NextTokenChatTemplate
import NextTokenModel
import NextTokenSampling

/// Everything one generation request can set, as one value.
public struct GenerationOptions: Sendable, Equatable {
    /// Most tokens to generate.
    public var maxTokens: Int = 256
    /// Temperature, top-k, top-p, min-p and seed; temperature 0 is greedy decoding.
    public var sampling = SamplingParameters.greedy
    /// Generation stops before any of these strings, which are not emitted.
    public var stopStrings: [String] = []
    /// Keep generating past end-of-generation tokens.
    public var ignoreEndOfGeneration = false
    /// Let special-token text in the prompt become special tokens.
    public var parseSpecial = false
    /// Render the prompt as a user message with the chat template (with `add_generation_prompt`), so the
    /// model answers as the assistant.
    public var chat = false
    /// The Jinja chat template for chat mode; `nil` uses the model's own `tokenizer.chat_template`, or
    /// ``Model/builtInChatTemplate`` (ChatML) when the model has none.
    public var chatTemplate: String?
    /// The system message for chat mode.
    public var systemPrompt: String?
    /// A whole conversation for chat mode: when set, its turns replace the system message and the
    /// prompt, and the assistant's turn follows them.
    public var messages: [ChatMessage]?
    /// When set, every generated token is also reported as a ``GenerationEvent/logprob(_:)``
    /// event with its log-probability and this many most likely alternatives (0 or more).
    public var logprobs: Int?
    /// Worker threads for the forward pass; `nil` uses every core.
    public var threads: Int?
    /// How the forward pass computes: `.int8` (8-bit activations, f16 KV cache; the default) or
    /// `.f32` (exact).
    public var precision = Precision.default
    /// KV-cache positions; `nil` uses prompt + `maxTokens`, capped at the model's context.
    public var contextLength: Int?

    /// Lossless speculative decoding without a draft model; `.none` decodes one token per step.
    public var speculation = SpeculationMethod.none
    /// Most draft nodes verified per step. The default comes from the batch-cost curve
    /// (`nexttoken bench --batch-curve`): on the 2-core AVX-512 machines this was measured on, a
    /// pass of 4 rows costs 1.75 single-row passes and one of 8 rows 2.87, and budget 3 beat 7 and 16
    /// for every method on the copy-task workload.
    public var speculationBudget = 3
    /// Cut each draft to the depth with the most expected tokens per unit of verification cost,
    /// dropping it when a plain step is expected to do better (`DraftGate`); off: verify every
    /// draft whole.
    public var adaptiveSpeculation = true
    /// Token Recycling's static tree template by name (`cpu8`, `cpu16`, `2.2.2`); `nil` uses `cpu16`.
    public var recyclingTemplate: String?
    /// Token Recycling and Goose: after prefill, write every prompt position's top-k into the
    /// shared matrix (algorithms.md §1.3 `warmFromPrompt`; off in the reference). Costs the output
    /// projection of every prompt row.
    public var warmRecyclingFromPrompt = false
    /// llama-lookup: load and save the dynamic n-gram cache under `$NEXTTOKEN_HOME/lookup/`
    /// (llama.cpp's behaviour); off, each request starts from an empty one kept in memory.
    public var persistLookupCache = true

    /// Cautious Next Token Prediction (design §5): at uncertain steps, emit the most likely of
    /// several sampled trials; `nil` decodes normally. Does not combine with ``speculation``.
    public var cautious: CautiousOptions?

    /// Default options: greedy, 256 tokens.
    public init() {}
}
