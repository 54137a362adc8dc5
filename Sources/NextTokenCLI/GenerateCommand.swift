import ArgumentParser
import Foundation
import NextToken
import NextTokenByteLevel
import NextTokenSampling

/// `nexttoken generate`: stream a continuation of a prompt.
struct GenerateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Generate a continuation of a prompt (stdin when no prompt is given).")

    @Argument(help: "The prompt. Read from stdin, byte for byte, when omitted.")
    var prompt: String?

    @OptionGroup var modelOptions: ModelOptions
    @OptionGroup var precisionOption: PrecisionOption

    @Flag(help: "Render the prompt as a user message with the model's chat template (ChatML if it has none) and answer as the assistant.")
    var chat = false

    @Option(help: "System message for --chat.")
    var system: String?

    @Flag(help: "Let special-token text in the prompt (e.g. <|im_start|>) become special tokens.")
    var parseSpecial = false

    @Option(help: "Most tokens to generate.")
    var maxTokens = 256

    @Flag(help: "Keep generating past end-of-generation tokens.")
    var ignoreEos = false

    @Option(parsing: .singleValue, help: "Stop before this text (repeatable); it is not printed.")
    var stop: [String] = []

    @Option(help: "Sampling temperature; 0 (the default) is greedy decoding.")
    var temperature: Double = 0

    @Option(help: "Keep only the K most likely tokens (0 = off).")
    var topK = 0

    @Option(help: "Keep the smallest set of tokens whose probability reaches P (1 = off).")
    var topP: Double = 1

    @Option(help: "Drop tokens less likely than M × the most likely one (0 = off).")
    var minP: Double = 0

    @Option(help: "Repetition penalty: divide positive, multiply negative logits of recent tokens (1 = off).")
    var repeatPenalty: Double = 1

    @Option(help: "Tokens the penalties look back over (-1 = the whole history, 0 = none).")
    var repeatLastN = 64

    @Option(help: "Subtract count × F from the logit of each recent token (0 = off).")
    var frequencyPenalty: Double = 0

    @Option(help: "Subtract P once from the logit of each recent token (0 = off).")
    var presencePenalty: Double = 0

    @Option(parsing: .singleValue, help: "Add BIAS to token ID's logit, as ID=BIAS (repeatable; -inf bans).")
    var logitBias: [String] = []

    @Option(help: "Locally typical sampling mass (1 = off).")
    var typicalP: Double = 1

    @Option(help: "Seed of the sampler (default: random).")
    var seed: UInt64?

    @Option(help: "Speculative decoding without a draft model: none, lookup, llama-lookup, recycling, goose.")
    var speculate: SpeculationMethod = .none

    @OptionGroup var speculationOptions: SpeculationTuningOptions

    @Flag(help: "Print one JSON object instead of streaming text.")
    var json = false

    @Flag(help: "Generate byte by byte from the exact byte-level distribution: a prompt cut inside a word continues it.")
    var byteLevel = false

    @Option(help: "Most bytes to generate with --byte-level.")
    var maxBytes = 256

    @Option(help: "Validity pruning for --byte-level: fast (default), strict, top-mass.")
    var pruning: PruningMode = .fast

    @Flag(help: "Token healing: drop the prompt's last token and make the first generated token start with its text.")
    var tokenHealing = false

    @OptionGroup var ensembleOptions: EnsembleOptions

    @OptionGroup var cautiousOptions: CautiousCommandOptions

    @OptionGroup var navigateOptions: NavigateCommandOptions

    func validate() throws {
        if maxTokens < 0 { throw ValidationError("--max-tokens must not be negative") }
        if system != nil && !chat && navigateOptions.navigate == nil {
            throw ValidationError("--system needs --chat or --navigate")
        }
        try validateByteLevel()
        try validateNavigation()
        if cautiousOptions.cautious {
            if speculate != .none { throw ValidationError("--cautious does not combine with --speculate") }
            if byteLevel || tokenHealing { throw ValidationError("--cautious does not combine with --byte-level or --token-healing") }
        }
        do {
            try samplingParameters(seed: 0).validate()
        } catch {
            throw ValidationError("invalid sampling options: \(error)")
        }
    }

    /// The `--logit-bias ID=BIAS` values by token id (a repeated id adds up).
    func parsedLogitBias() throws(ValidationError) -> [Int32: Float] {
        var biases: [Int32: Float] = [:]
        for entry in logitBias {
            let parts = entry.split(separator: "=", maxSplits: 1)
            guard parts.count == 2, let id = Int32(parts[0]), let bias = Float(parts[1]) else {
                throw ValidationError("--logit-bias expects ID=BIAS, got '\(entry)'")
            }
            biases[id, default: 0] += bias
        }
        return biases
    }

    /// The sampling parameters the options ask for.
    func samplingParameters(seed: UInt64) throws(ValidationError) -> SamplingParameters {
        SamplingParameters(
            temperature: temperature, topK: topK, topP: topP, minP: minP, seed: seed,
            repetitionPenalty: repeatPenalty, frequencyPenalty: frequencyPenalty, presencePenalty: presencePenalty,
            penaltyWindow: repeatLastN, logitBias: try parsedLogitBias(), typicalP: typicalP)
    }

    func run() async throws {
        if byteLevel { return try runByteLevel() }
        if tokenHealing { return try runTokenHealing() }
        if let count = navigateOptions.navigate { return try runNavigation(answers: count) }
        var options = GenerationOptions()
        options.maxTokens = maxTokens
        options.sampling = try samplingParameters(seed: seed ?? UInt64.random(in: .min ... .max))
        options.stopStrings = stop
        options.ignoreEndOfGeneration = ignoreEos
        options.parseSpecial = parseSpecial
        options.chat = chat
        options.systemPrompt = system
        options.threads = modelOptions.threads
        options.precision = precisionOption.precision
        options.speculation = speculate
        speculationOptions.apply(to: &options)
        options.cautious = cautiousOptions.options
        let text = prompt ?? StandardInput.readText()
        let model = try modelOptions.load()
        if chat, model.chatTemplate == nil {
            StandardError.print("note: the model has no chat template (tokenizer.chat_template); using the built-in \(model.architecture.hasPrefix("gemma") ? "Gemma" : "ChatML") template")
        }
        var summary: GenerationSummary?
        for try await event in model.generate(text, options: options) {
            switch event {
            case .text(let delta):
                if !json { FileHandle.standardOutput.write(Data(delta.utf8)) }
            case .finished(let final):
                summary = final
            case .logprob:
                break
            }
        }
        guard let summary else { return }
        if json {
            try JSONOutput.print(GenerateOutput(summary, options: options))
        } else {
            FileHandle.standardOutput.write(Data("\n".utf8))
        }
        StandardError.print(String(
            format: "prompt: %d tokens, %.1f tokens/s; generation: %d tokens, %.1f tokens/s; stop: %@",
            summary.promptTokens.count, summary.promptTokensPerSecond,
            summary.tokens.count, summary.generationTokensPerSecond, summary.stopReason.rawValue))
        if let cautious = summary.cautious {
            StandardError.print(String(
                format: "cautious: %d of %d steps triggered (%.1f%%), %d trials, %.2f extra forward rows per token",
                cautious.triggeredSteps, cautious.steps, 100 * cautious.triggerRate, cautious.trials,
                cautious.extraRowsPerToken))
        }
    }
}

/// The `--json` shape of `generate`.
struct GenerateOutput: Encodable {
    struct Timings: Encodable {
        let prompt_ms: Double
        let generation_ms: Double
        let prompt_tokens_per_second: Double
        let generation_tokens_per_second: Double
    }

    let prompt_tokens: [Int32]
    let tokens: [Int32]
    let text: String
    let stop_reason: String
    let timings: Timings
    let speculation: SpeculationOutput?
    let sampling: SamplingOutput
    let max_tokens: Int
    let cautious: CautiousOutput?

    init(_ summary: GenerationSummary, options: GenerationOptions) {
        sampling = SamplingOutput(options.sampling)
        max_tokens = options.maxTokens
        if let settings = options.cautious, let statistics = summary.cautious {
            cautious = CautiousOutput(settings, statistics)
        } else {
            cautious = nil
        }
        prompt_tokens = summary.promptTokens
        tokens = summary.tokens
        text = summary.text
        stop_reason = summary.stopReason.rawValue
        timings = Timings(
            prompt_ms: summary.promptDuration.milliseconds, generation_ms: summary.generationDuration.milliseconds,
            prompt_tokens_per_second: summary.promptTokensPerSecond,
            generation_tokens_per_second: summary.generationTokensPerSecond)
        speculation = summary.speculation.map(SpeculationOutput.init)
    }
}

extension Duration {
    /// The duration in milliseconds.
    var milliseconds: Double {
        Double(components.seconds) * 1000 + Double(components.attoseconds) * 1e-15
    }
}

/// The speculative-decoding statistics in `generate --json`.
struct SpeculationOutput: Encodable {
    let method: String
    let steps: Int
    let drafted: Int
    let accepted: Int
    let mean_accepted_tokens: Double
    let drafting_steps: Int
    let mean_accepted_tokens_when_drafting: Double
    let acceptance_by_depth: [Double]
    let drafted_by_source: [String: Int]
    let accepted_by_source: [String: Int]
    let draft_seconds: Double
    let final_depth_limit: Int

    init(_ statistics: SpeculationStatistics) {
        method = statistics.method
        steps = statistics.steps
        drafted = statistics.drafted
        accepted = statistics.accepted
        mean_accepted_tokens = statistics.meanAcceptedTokens
        drafting_steps = statistics.draftingSteps
        mean_accepted_tokens_when_drafting = statistics.meanAcceptedTokensWhenDrafting
        acceptance_by_depth = statistics.acceptanceByDepth
        drafted_by_source = statistics.draftedBySource
        accepted_by_source = statistics.acceptedBySource
        draft_seconds = statistics.draftSeconds
        final_depth_limit = statistics.finalDepthLimit
    }
}

/// The sampling settings used, in `generate --json`.
struct SamplingOutput: Encodable {
    let temperature: Double
    let top_k: Int
    let top_p: Double
    let min_p: Double
    let typical_p: Double
    let repeat_penalty: Double
    let repeat_last_n: Int
    let frequency_penalty: Double
    let presence_penalty: Double
    /// Token id (as a string) to bias.
    let logit_bias: [String: Float]
    let seed: UInt64?

    init(_ parameters: SamplingParameters) {
        temperature = parameters.temperature
        top_k = parameters.topK
        top_p = parameters.topP
        min_p = parameters.minP
        typical_p = parameters.typicalP
        repeat_penalty = parameters.repetitionPenalty
        repeat_last_n = parameters.penaltyWindow
        frequency_penalty = parameters.frequencyPenalty
        presence_penalty = parameters.presencePenalty
        logit_bias = Dictionary(uniqueKeysWithValues: parameters.logitBias.map { (String($0.key), $0.value) })
        seed = parameters.seed
    }
}

extension SpeculationMethod: ExpressibleByArgument {}
