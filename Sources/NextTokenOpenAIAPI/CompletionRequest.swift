/// The body of `POST /v1/completions` (legacy text completions).
public struct CompletionRequest: Decodable, Sendable, Equatable {
    public var model: String
    /// One prompt, or several: each gets its own choice.
    public var prompt: StringOrStrings
    /// Report each token's log-probability with this many alternatives (0 to 20).
    public var logprobs: Int?
    /// Prepend the prompt to the output: only `false` is accepted.
    public var echo: Bool?
    /// Generate several and return the best: only 1 is accepted.
    public var bestOf: Int?
    /// Text after the insertion point: not implemented.
    public var suffix: String?
    /// Every parameter shared with chat completions.
    public var parameters: GenerationParameters

    enum CodingKeys: String, CodingKey {
        case model, prompt, logprobs, echo, suffix
        case bestOf = "best_of"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        model = try container.decode(String.self, forKey: .model)
        prompt = try container.decode(StringOrStrings.self, forKey: .prompt)
        logprobs = try container.decodeIfPresent(Int.self, forKey: .logprobs)
        echo = try container.decodeIfPresent(Bool.self, forKey: .echo)
        bestOf = try container.decodeIfPresent(Int.self, forKey: .bestOf)
        suffix = try container.decodeIfPresent(String.self, forKey: .suffix)
        parameters = try GenerationParameters(from: decoder)
    }

    /// Most prompts one request may carry.
    public static let maxPrompts = 16

    /// The prompts, checked.
    /// - Throws: ``OpenAIError`` (400) for an empty list, too many prompts, or more choices in all
    ///   (prompts × `n`) than ``GenerationParameters/maxChoices``.
    public func validatedPrompts() throws(OpenAIError) -> [String] {
        guard !prompt.values.isEmpty else {
            throw .invalidRequest("'prompt' must not be an empty array", param: "prompt")
        }
        guard prompt.values.count <= Self.maxPrompts else {
            throw .invalidRequest("'prompt' may hold at most \(Self.maxPrompts) prompts, got \(prompt.values.count)",
                                  param: "prompt")
        }
        let choices = prompt.values.count * (parameters.n ?? 1)
        guard choices <= GenerationParameters.maxChoices else {
            throw .invalidRequest(
                "'n' times the number of prompts may be at most \(GenerationParameters.maxChoices), got \(choices)",
                param: "n")
        }
        return prompt.values
    }

    /// The validated settings, log-probabilities included.
    /// - Throws: ``OpenAIError`` (400).
    public func validatedSettings() throws(OpenAIError) -> GenerationSettings {
        if echo == true { throw .notImplemented("'echo' is not implemented yet; only false is accepted", param: "echo") }
        if let bestOf, bestOf != 1 {
            guard bestOf > 1 else { throw .invalidRequest("'best_of' must be at least 1, got \(bestOf)", param: "best_of") }
            throw .notImplemented("'best_of' > 1 is not implemented yet", param: "best_of")
        }
        if let suffix, !suffix.isEmpty {
            throw .notImplemented("'suffix' (insertion) is not implemented yet", param: "suffix")
        }
        if let logprobs {
            guard logprobs >= 0 && logprobs <= GenerationParameters.maxTopLogprobs else {
                throw .invalidRequest(
                    "'logprobs' must be between 0 and \(GenerationParameters.maxTopLogprobs), got \(logprobs)",
                    param: "logprobs")
            }
        }
        return try parameters.validated(logprobs: logprobs)
    }
}
