import ArgumentParser
import Foundation
import NextToken
import NextTokenSampling

/// `nexttoken generate`: stream a continuation of a prompt.
struct GenerateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Generate a continuation of a prompt (stdin when no prompt is given).")

    @Argument(help: "The prompt. Read from stdin, byte for byte, when omitted.")
    var prompt: String?

    @OptionGroup var modelOptions: ModelOptions

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

    @Option(help: "Seed of the sampler (default: random).")
    var seed: UInt64?

    @Option(help: "Speculative decoding without a draft model: none, lookup, llama-lookup, recycling, goose.")
    var speculate: SpeculationMethod = .none

    @Option(help: "Most draft tokens verified per step when speculating.")
    var draftBudget = 16

    @Flag(help: "Print one JSON object instead of streaming text.")
    var json = false

    func validate() throws {
        if maxTokens < 0 { throw ValidationError("--max-tokens must not be negative") }
        if system != nil && !chat { throw ValidationError("--system needs --chat") }
        if draftBudget < 1 { throw ValidationError("--draft-budget must be at least 1") }
    }

    func run() async throws {
        var options = GenerationOptions()
        options.maxTokens = maxTokens
        options.sampling = SamplingParameters(
            temperature: temperature, topK: topK, topP: topP, minP: minP,
            seed: seed ?? UInt64.random(in: .min ... .max))
        options.stopStrings = stop
        options.ignoreEndOfGeneration = ignoreEos
        options.parseSpecial = parseSpecial
        options.chat = chat
        options.systemPrompt = system
        options.threads = modelOptions.threads
        options.speculation = speculate
        options.speculationBudget = draftBudget
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
            }
        }
        guard let summary else { return }
        if json {
            try JSONOutput.print(GenerateOutput(summary))
        } else {
            FileHandle.standardOutput.write(Data("\n".utf8))
        }
        StandardError.print(String(
            format: "prompt: %d tokens, %.1f tokens/s; generation: %d tokens, %.1f tokens/s; stop: %@",
            summary.promptTokens.count, summary.promptTokensPerSecond,
            summary.tokens.count, summary.generationTokensPerSecond, summary.stopReason.rawValue))
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

    init(_ summary: GenerationSummary) {
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
    let acceptance_by_depth: [Double]
    let drafted_by_source: [String: Int]
    let accepted_by_source: [String: Int]
    let draft_seconds: Double
    let final_budget: Int

    init(_ statistics: SpeculationStatistics) {
        method = statistics.method
        steps = statistics.steps
        drafted = statistics.drafted
        accepted = statistics.accepted
        mean_accepted_tokens = statistics.meanAcceptedTokens
        acceptance_by_depth = statistics.acceptanceByDepth
        drafted_by_source = statistics.draftedBySource
        accepted_by_source = statistics.acceptedBySource
        draft_seconds = statistics.draftSeconds
        final_budget = statistics.finalBudget
    }
}

extension SpeculationMethod: ExpressibleByArgument {}
