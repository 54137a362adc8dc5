import Foundation
import NextTokenCore
import NextTokenModel
import NextTokenSampling
import NextTokenTokenizer

/// The decode loop of Cautious Next Token Prediction (design §5.2).
///
/// Each step measures the entropy `H` of the step's processed distribution. When it asks for one
/// trial, the step is plain decoding (the request's sampler, same draws). Otherwise the step
/// samples `N` trials one after another from the cache state after the committed tokens (the
/// cache is truncated back between trials), each until a stop token, end of generation, the
/// token limit or ``CautiousOptions/maxTrialTokens``, and emits the trial with the lowest
/// perplexity. The chosen trial's keys and values stay in the cache when it was the last trial
/// run, and are rebuilt in one batch otherwise.
///
/// Trials always sample: they draw from their own stream (seeded from the request's seed), and a
/// greedy request measures entropy and samples trials at temperature 1 with its other filters.
struct CautiousDecoder {
    let model: any LanguageModel
    let context: ModelContext
    let tokenizer: Tokenizer
    let options: CautiousOptions
    /// Cache positions this generation may use.
    let capacity: Int
    /// `GenerationOptions.logprobs`.
    let logprobCount: Int?
    private(set) var statistics = CautiousStatistics()
    private let stopSet: CautiousStopSet
    private var trialSampler: Sampler
    /// The step's logits, kept while trials overwrite the shared buffer.
    private var stepLogits: [Float]

    init(
        model: any LanguageModel, context: ModelContext, tokenizer: Tokenizer, generation: GenerationOptions,
        cautious: CautiousOptions, seed: UInt64, capacity: Int
    ) throws(NextTokenError) {
        try cautious.validate()
        self.model = model
        self.context = context
        self.tokenizer = tokenizer
        self.options = cautious
        self.capacity = capacity
        logprobCount = generation.logprobs
        stopSet = CautiousStopSet(tokenizer: tokenizer, mode: cautious.stopMode)
        var parameters = generation.sampling
        if parameters.isGreedy { parameters.temperature = 1 }
        parameters.seed = seed &+ 0x9E37_79B9_7F4A_7C15
        do {
            trialSampler = try Sampler(parameters: parameters)
        } catch {
            throw .sampling(error)
        }
        stepLogits = [Float](repeating: 0, count: model.vocabularySize)
    }

    /// Decodes from `logits` (the next-token logits after `history`, which the cache holds) until
    /// the emitter finishes.
    mutating func run(
        history: inout [TokenID], logits: UnsafeMutablePointer<Float>, emitter: inout TokenEmitter,
        sampler: inout Sampler, isCancelled: () -> Bool
    ) throws(NextTokenError) {
        while !emitter.isFinished {
            try step(history: &history, logits: logits, emitter: &emitter, sampler: &sampler)
            guard !emitter.isFinished else { break }
            if isCancelled() { emitter.end(.cancelled); break }
            guard context.cache.length < capacity else { emitter.end(.contextFull); break }
            try GenerationRun.forward(
                model, ForwardBatch(tokens: [history[history.count - 1]], startingAt: context.cache.length),
                context: context, rows: [0], logits: logits)
        }
    }

    /// One decoding step: one token, or the best of several trials.
    private mutating func step(
        history: inout [TokenID], logits: UnsafeMutablePointer<Float>, emitter: inout TokenEmitter,
        sampler: inout Sampler
    ) throws(NextTokenError) {
        let row = UnsafeBufferPointer(start: logits, count: model.vocabularySize)
        statistics.steps += 1
        let distribution = try distribution(row, history: history)
        let entropy = distribution.entropy
        let trialCount = options.trialCount(entropy: entropy)
        guard trialCount > 1 else {
            let token = try GenerationRun.sample(&sampler, logits, row.count, history: history)
            try emitter.emit(token, logits: row)
            history.append(token)
            statistics.emittedTokens += 1
            return
        }
        statistics.triggeredSteps += 1
        statistics.trials += trialCount
        stepLogits.withUnsafeMutableBufferPointer { _ = $0.update(fromContentsOf: row) }
        let start = context.cache.length
        let tokenLimit = min(options.maxTrialTokens, emitter.remaining)
        var trials: [CautiousTrial] = []
        var logprobs: [[TokenLogprob]] = []
        for index in 0 ..< trialCount {
            if index > 0 { context.cache.truncate(to: start) }
            let (trial, events) = try sampleTrial(
                first: distribution, history: history, logits: logits, tokenLimit: tokenLimit)
            trials.append(trial)
            logprobs.append(events)
        }
        let perplexities = trials.map(\.perplexity)
        let chosen = perplexities.indices.min { perplexities[$0] < perplexities[$1] } ?? 0
        let tokens = trials[chosen].tokens
        statistics.extraRows -= tokens.count - 1
        if chosen != trials.count - 1 {
            context.cache.truncate(to: start)
            if tokens.count > 1 {
                try GenerationRun.forward(model, ForwardBatch(tokens: Array(tokens.dropLast()), startingAt: start),
                                          context: context, rows: [], logits: logits)
                statistics.extraRows += tokens.count - 1
            }
        }
        if options.recordsTrials {
            statistics.recorded.append(
                CautiousStep(offset: emitter.tokens.count, entropy: entropy, trials: trials, chosen: chosen))
        }
        for (offset, token) in tokens.enumerated() where !emitter.isFinished {
            try emitter.emit(token, logprob: logprobs[chosen].isEmpty ? nil : logprobs[chosen][offset])
            history.append(token)
            statistics.emittedTokens += 1
        }
    }

    /// Samples one trial whose first token comes from `first`; leaves every token but the last in the cache.
    private mutating func sampleTrial(
        first: ProcessedDistribution, history: [TokenID], logits: UnsafeMutablePointer<Float>, tokenLimit: Int
    ) throws(NextTokenError) -> (CautiousTrial, [TokenLogprob]) {
        var trial = CautiousTrial(tokens: [], logProbabilities: [])
        var events: [TokenLogprob] = []
        var distribution = first
        var trialHistory = history
        while true {
            let token = trialSampler.draw(from: distribution)
            trial.tokens.append(token)
            trial.logProbabilities.append(Foundation.log(distribution.probability(of: token)))
            if let logprobCount {
                let source = trial.tokens.count == 1
                    ? stepLogits.withUnsafeBufferPointer { TokenLogprob(token: token, logits: $0, topCount: logprobCount) }
                    : TokenLogprob(token: token, logits: UnsafeBufferPointer(start: logits, count: model.vocabularySize),
                                   topCount: logprobCount)
                events.append(source)
            }
            if stopSet.contains(token) || tokenizer.isEndOfGeneration(token) || trial.tokens.count >= tokenLimit
                || context.cache.length >= capacity
            {
                return (trial, events)
            }
            try GenerationRun.forward(model, ForwardBatch(tokens: [token], startingAt: context.cache.length),
                                      context: context, rows: [0], logits: logits)
            statistics.extraRows += 1
            trialHistory.append(token)
            distribution = try self.distribution(
                UnsafeBufferPointer(start: logits, count: model.vocabularySize), history: trialHistory)
        }
    }

    /// The trials' processed distribution of `logits` after `history`.
    private mutating func distribution(
        _ logits: UnsafeBufferPointer<Float>, history: [TokenID]
    ) throws(NextTokenError) -> ProcessedDistribution {
        do {
            return try trialSampler.distribution(logits: logits, history: history)
        } catch {
            throw .sampling(error)
        }
    }
}
