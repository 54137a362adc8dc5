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
    /// Worker threads for the forward pass; `nil` uses every core.
    public var threads: Int?
    /// KV-cache positions; `nil` uses prompt + `maxTokens`, capped at the model's context.
    public var contextLength: Int?

    /// Lossless speculative decoding without a draft model; `.none` decodes one token per step.
    public var speculation = SpeculationMethod.none
    /// Most draft nodes verified per step.
    public var speculationBudget = 16
    /// Shrink or pause speculation when it measures slower than plain decoding.
    public var adaptiveSpeculation = true

    /// Default options: greedy, 256 tokens.
    public init() {}
}
