import ArgumentParser
import NextToken

/// `generate --cautious` and its settings (design §5).
struct CautiousCommandOptions: ParsableArguments {
    @Flag(help: "Cautious Next Token Prediction: at uncertain steps, sample several trials up to punctuation and keep the one with the lowest perplexity.")
    var cautious = false

    @Option(help: "Entropy (nats) at or below which --cautious decodes normally.")
    var cautiousMinEntropy = CautiousOptions().minEntropy

    @Option(help: "Entropy (nats) at or above which --cautious runs the most trials.")
    var cautiousMaxEntropy = CautiousOptions().maxEntropy

    @Option(help: "Most trials per step for --cautious.")
    var cautiousMaxTrials = CautiousOptions().maxTrials

    @Option(help: "Most tokens per --cautious trial.")
    var cautiousMaxTrialTokens = CautiousOptions().maxTrialTokens

    @Option(help: "Which tokens end a --cautious trial: reference-ids or contains-punctuation.")
    var cautiousStop = CautiousOptions().stopMode

    /// The library settings, when `--cautious` is on.
    var options: CautiousOptions? {
        guard cautious else { return nil }
        var options = CautiousOptions()
        options.minEntropy = cautiousMinEntropy
        options.maxEntropy = cautiousMaxEntropy
        options.maxTrials = cautiousMaxTrials
        options.maxTrialTokens = cautiousMaxTrialTokens
        options.stopMode = cautiousStop
        return options
    }

    func validate() throws {
        let defaults = CautiousCommandOptions.defaultValues
        if !cautious && (cautiousMinEntropy != defaults.minEntropy || cautiousMaxEntropy != defaults.maxEntropy
            || cautiousMaxTrials != defaults.maxTrials || cautiousMaxTrialTokens != defaults.maxTrialTokens
            || cautiousStop != defaults.stopMode)
        {
            throw ValidationError("the --cautious-… options need --cautious")
        }
        do {
            try options?.validate()
        } catch {
            throw ValidationError("invalid --cautious settings: \(error)")
        }
    }

    private static let defaultValues = CautiousOptions()
}

extension CautiousOptions.StopMode: ExpressibleByArgument {}

/// `"cautious"` in `generate --json`: the settings used and what the run did.
struct CautiousOutput: Encodable {
    let min_entropy: Double
    let max_entropy: Double
    let max_trials: Int
    let max_trial_tokens: Int
    let stop: String
    let steps: Int
    let triggered_steps: Int
    let trigger_rate: Double
    let trials: Int
    let extra_rows: Int
    let extra_rows_per_token: Double

    init(_ options: CautiousOptions, _ statistics: CautiousStatistics) {
        min_entropy = options.minEntropy
        max_entropy = options.maxEntropy
        max_trials = options.maxTrials
        max_trial_tokens = options.maxTrialTokens
        stop = options.stopMode.rawValue
        steps = statistics.steps
        triggered_steps = statistics.triggeredSteps
        trigger_rate = statistics.triggerRate
        trials = statistics.trials
        extra_rows = statistics.extraRows
        extra_rows_per_token = statistics.extraRowsPerToken
    }
}
