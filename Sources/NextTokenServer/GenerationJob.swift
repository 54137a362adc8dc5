import NextToken
import NextTokenChatTemplate
import NextTokenCore
import NextTokenModel
import NextTokenOpenAIAPI
import NextTokenSampling

/// One generation ready to run: the model, the exact prompt tokens and the engine options, with
/// `maxTokens` already clamped to what fits in the context.
struct GenerationJob: Sendable {
    let served: ServedModel
    let promptTokens: [TokenID]
    let options: GenerationOptions
}

/// Turns validated API settings into engine options and prompt tokens, within the context.
struct GenerationPlanner: Sendable {
    /// The configured per-request context; `nil` uses each model's.
    let contextLength: Int?
    /// Worker threads per generation; `nil` uses every core.
    let threads: Int?
    /// How every generation computes.
    let precision: Precision

    /// Tokens a text completion generates when the request sets no limit (OpenAI's default).
    static let completionDefaultMaxTokens = 16

    /// The jobs for a chat conversation: one per choice.
    func chatJobs(
        messages: [(role: String, content: String)], settings: GenerationSettings, served: ServedModel
    ) async throws -> [GenerationJob] {
        var options = try baseOptions(settings, served: served)
        options.chat = true
        options.messages = messages.map { ChatMessage(role: $0.role, content: $0.content) }
        // Without a limit, a chat answer may fill the rest of the context.
        let job = try await job(prompt: "", options: options, maxTokens: settings.maxTokens, served: served,
                                param: "messages")
        return choices(of: job, settings: settings)
    }

    /// The jobs for one text-completion prompt: one per choice.
    func completionJobs(prompt: String, settings: GenerationSettings, served: ServedModel) async throws -> [GenerationJob] {
        let job = try await job(prompt: prompt, options: try baseOptions(settings, served: served),
                                maxTokens: settings.maxTokens ?? Self.completionDefaultMaxTokens,
                                served: served, param: "prompt")
        return choices(of: job, settings: settings)
    }

    /// `settings.choices` copies of `job`, each with its choice's seed.
    private func choices(of job: GenerationJob, settings: GenerationSettings) -> [GenerationJob] {
        (0 ..< settings.choices).map { index in
            var options = job.options
            options.sampling.seed = settings.seed(forChoice: index)
            return GenerationJob(served: job.served, promptTokens: job.promptTokens, options: options)
        }
    }

    /// The engine options for `settings` on `served`.
    /// - Throws: ``OpenAIError`` (400) for a `logit_bias` id outside the model's vocabulary or an
    ///   unknown `speculate` method.
    private func baseOptions(_ settings: GenerationSettings, served: ServedModel) throws(OpenAIError) -> GenerationOptions {
        var options = GenerationOptions()
        options.sampling = SamplingParameters(
            temperature: settings.temperature, topK: settings.topK, topP: settings.topP, minP: settings.minP,
            seed: settings.seed, repetitionPenalty: settings.repeatPenalty,
            frequencyPenalty: settings.frequencyPenalty, presencePenalty: settings.presencePenalty,
            logitBias: try Self.logitBias(settings.logitBias, served: served))
        options.stopStrings = settings.stopStrings
        options.logprobs = settings.logprobs
        options.threads = threads
        options.precision = precision
        options.speculation = try Self.speculation(settings.speculate)
        return options
    }

    /// Tokenizes the prompt off the cooperative pool, checks it fits, and clamps `maxTokens`
    /// (`nil`: the rest of the context) to what fits.
    /// - Throws: ``OpenAIError`` 400 (`context_length_exceeded`) when the prompt leaves no room.
    private func job(
        prompt: String, options: GenerationOptions, maxTokens: Int?, served: ServedModel, param: String
    ) async throws -> GenerationJob {
        var options = options
        let model = served.model
        let promptOptions = options
        let rendered = try await BlockingWork.run { Result { () throws(NextTokenError) in
            try model.promptTokens(for: prompt, options: promptOptions)
        } }
        let tokens: [TokenID]
        switch rendered {
        case .success(let ids): tokens = ids
        case .failure(let error): throw OpenAIError.invalidRequest("\(error)", param: param, code: "invalid_prompt")
        }
        let context = min(contextLength ?? model.languageModel.contextLength, model.languageModel.contextLength)
        guard tokens.count < context else {
            throw OpenAIError.invalidRequest(
                "The prompt has \(tokens.count) tokens but the context holds \(context) tokens, "
                    + "and at least 1 must be left for the completion",
                param: param, code: "context_length_exceeded")
        }
        options.maxTokens = min(maxTokens ?? Int.max, context - tokens.count)
        return GenerationJob(served: served, promptTokens: tokens, options: options)
    }
}
