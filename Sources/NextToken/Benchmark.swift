#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import NextTokenCore
import NextTokenKernels
import NextTokenModel

/// llama-bench-style speed measurements of a loaded model: prompt processing (`pp<N>`: one
/// forward pass of N tokens, logits of the last row only) and generation (`tg<N>`: N forward
/// passes of one token each, with logits), from an empty cache or, at depth D (`tg128 @ d1024`,
/// llama-bench's `-d`), after D cached tokens whose own evaluation is not timed.
///
/// Token ids are deterministic (`benchmarkToken(_:vocabularySize:)`), so every run and every
/// engine given the same ids does the same work.
public struct Benchmark: Sendable {
    /// Tokens in the prompt-processing test.
    public var promptTokens = 512
    /// Single-token steps in the generation test.
    public var generationTokens = 128
    /// Thread counts to measure, each with a pool of its own.
    public var threadCounts = [1, 2]
    /// Timed runs per test and thread count (after one untimed warm-up run).
    public var repetitions = 5
    /// Cached tokens before each test; each depth is measured separately.
    public var depths = [0]
    /// How the forward passes compute.
    public var precision = Precision.default

    /// The default settings: pp512, tg128, 1 and 2 threads, 5 repetitions.
    public init() {}

    /// Token `index` of a benchmark input: ids spread over the vocabulary by a fixed stride.
    public static func benchmarkToken(_ index: Int, vocabularySize: Int) -> TokenID {
        TokenID((index &* 7919 &+ 17) % max(vocabularySize, 1))
    }

    /// Measures `model` at every thread count: a warm-up, then `repetitions` timed runs of each test.
    public func run(_ model: any LanguageModel) throws(NextTokenError) -> [BenchmarkResult] {
        guard promptTokens > 0, generationTokens > 0, repetitions > 0, threadCounts.allSatisfy({ $0 > 0 }),
              !depths.isEmpty, depths.allSatisfy({ $0 >= 0 }) else {
            throw .invalidRequest("benchmark sizes, repetitions and thread counts must be positive, depths not negative")
        }
        let deepest = depths.max() ?? 0
        guard deepest + max(promptTokens, generationTokens) <= model.contextLength else {
            throw .promptTooLong(tokens: deepest + max(promptTokens, generationTokens), contextLength: model.contextLength)
        }
        var results: [BenchmarkResult] = []
        for threads in threadCounts {
            let context = model.makeContext(
                capacity: deepest + max(promptTokens, generationTokens), pool: WorkerPool(threadCount: threads),
                precision: precision)
            let logits = UnsafeMutablePointer<Float>.allocate(capacity: model.vocabularySize)
            defer { logits.deallocate() }
            for depth in depths {
                try fill(model, context: context, depth: depth, logits: logits)
                _ = try timePrompt(model, context: context, depth: depth, logits: logits)
                _ = try timeGeneration(model, context: context, depth: depth, logits: logits)
                var prompt: [Double] = []
                var generation: [Double] = []
                for _ in 0 ..< repetitions {
                    prompt.append(Double(promptTokens) / (try timePrompt(model, context: context, depth: depth,
                                                                         logits: logits)))
                    generation.append(Double(generationTokens) / (try timeGeneration(
                        model, context: context, depth: depth, logits: logits)))
                }
                let suffix = depth == 0 ? "" : " @ d\(depth)"
                results.append(BenchmarkResult(test: "pp\(promptTokens)" + suffix, threads: threads,
                                               tokensPerSecond: prompt))
                results.append(BenchmarkResult(test: "tg\(generationTokens)" + suffix, threads: threads,
                                               tokensPerSecond: generation))
            }
        }
        return results
    }

    /// Evaluates the `depth` tokens every test at that depth starts after (untimed).
    private func fill(
        _ model: any LanguageModel, context: ModelContext, depth: Int, logits: UnsafeMutablePointer<Float>
    ) throws(NextTokenError) {
        context.cache.truncate(to: 0)
        guard depth > 0 else { return }
        let tokens = (0 ..< depth).map { Self.benchmarkToken($0, vocabularySize: model.vocabularySize) }
        try Self.forward(model, ForwardBatch(tokens: tokens, startingAt: 0), context: context, logitRows: [],
                         logits: logits)
    }

    /// Seconds for one forward pass of `promptTokens` tokens after `depth` cached ones.
    private func timePrompt(
        _ model: any LanguageModel, context: ModelContext, depth: Int, logits: UnsafeMutablePointer<Float>
    ) throws(NextTokenError) -> Double {
        let tokens = (0 ..< promptTokens).map { Self.benchmarkToken(depth + $0, vocabularySize: model.vocabularySize) }
        let batch = ForwardBatch(tokens: tokens, startingAt: depth)
        context.cache.truncate(to: depth)
        return try Self.seconds {
            () throws(NextTokenError) in
            try Self.forward(model, batch, context: context, logitRows: [promptTokens - 1], logits: logits)
        }
    }

    /// Seconds for `generationTokens` single-token forward passes after `depth` cached tokens.
    private func timeGeneration(
        _ model: any LanguageModel, context: ModelContext, depth: Int, logits: UnsafeMutablePointer<Float>
    ) throws(NextTokenError) -> Double {
        let batches = (0 ..< generationTokens).map {
            ForwardBatch(tokens: [Self.benchmarkToken(depth + $0, vocabularySize: model.vocabularySize)],
                         startingAt: depth + $0)
        }
        context.cache.truncate(to: depth)
        return try Self.seconds { () throws(NextTokenError) in
            for batch in batches {
                try Self.forward(model, batch, context: context, logitRows: [0], logits: logits)
            }
        }
    }

    static func forward(
        _ model: any LanguageModel, _ batch: ForwardBatch, context: ModelContext, logitRows: [Int],
        logits: UnsafeMutablePointer<Float>
    ) throws(NextTokenError) {
        do {
            try model.forward(batch, context: context, logitRows: logitRows, logits: logits)
        } catch {
            throw .model(error)
        }
    }

    /// Wall-clock seconds `work` takes.
    static func seconds(_ work: () throws(NextTokenError) -> Void) throws(NextTokenError) -> Double {
        let clock = ContinuousClock()
        let start = clock.now
        try work()
        let elapsed = clock.now - start
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
    }

    /// The middle value (the mean of the middle two for an even count; 0 when empty).
    static func median(_ values: [Double]) -> Double {
        guard !values.isEmpty else { return 0 }
        let sorted = values.sorted()
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }

    /// The process's peak resident set size in bytes (`getrusage`'s `ru_maxrss`).
    public static var peakResidentBytes: Int {
        var usage = rusage()
        #if canImport(Darwin)
        guard getrusage(RUSAGE_SELF, &usage) == 0 else { return 0 }
        return Int(usage.ru_maxrss)
        #else
        guard getrusage(RUSAGE_SELF.rawValue, &usage) == 0 else { return 0 }
        return Int(usage.ru_maxrss) * 1024
        #endif
    }
}

/// The speeds measured for one test at one thread count.
public struct BenchmarkResult: Sendable, Equatable {
    /// `pp512`, `tg128`, …
    public let test: String
    /// Threads the forward passes ran on.
    public let threads: Int
    /// Tokens per second of each timed repetition, in the order measured.
    public let tokensPerSecond: [Double]

    /// The median repetition (the mean of the middle two for an even count).
    public var median: Double { Benchmark.median(tokensPerSecond) }

    /// The slowest repetition.
    public var minimum: Double { tokensPerSecond.min() ?? 0 }
    /// The fastest repetition.
    public var maximum: Double { tokensPerSecond.max() ?? 0 }
}
