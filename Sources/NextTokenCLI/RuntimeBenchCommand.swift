import ArgumentParser
import Foundation
import NextToken
import NextTokenModel

/// `nexttoken bench [runtime]`: llama-bench-style prompt and generation speeds, or the batch-cost curve.
struct RuntimeBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "runtime",
        abstract: "Measure prompt processing (ppN) and generation (tgN) speed, or the batch-cost curve.")

    @Option(help: "A GGUF path or a cached model's short name (smollm2, gemma3). Default: smollm2.")
    var model: String?

    @Option(help: "Tokens of the prompt-processing test (one forward pass from an empty cache).")
    var promptTokens = 512

    @Option(name: .customLong("gen-tokens"), help: "Single-token forward passes of the generation test.")
    var generationTokens = 128

    @Option(help: "Comma-separated thread counts, each measured separately.")
    var threads = "1,2"

    @Option(help: "Timed runs per test and thread count, after one warm-up run.")
    var repetitions = 5

    @Option(help: "Comma-separated depths: tokens cached before each test (llama-bench's -d), each measured separately.")
    var depth = "0"

    @OptionGroup var precisionOption: PrecisionOption

    @Flag(help: "Instead of ppN/tgN: the cost of a forward pass of 1, 2, 4, …, 64 rows relative to 1 row (first thread count).")
    var batchCurve = false

    @Option(help: "With --batch-curve: tokens already cached before each measured pass.")
    var prefix = 0

    @Flag(help: "Print one JSON object instead of a table.")
    var json = false

    func validate() throws {
        if promptTokens < 1 { throw ValidationError("--prompt-tokens must be at least 1") }
        if generationTokens < 1 { throw ValidationError("--gen-tokens must be at least 1") }
        if repetitions < 1 { throw ValidationError("--repetitions must be at least 1") }
        if prefix < 0 { throw ValidationError("--prefix must not be negative") }
        _ = try ThreadList.parse(threads)
        _ = try ThreadList.parse(depth, allowZero: true)
    }

    func run() throws {
        let clock = ContinuousClock()
        let loadStart = clock.now
        let loaded = try Model.load(model)
        let loadSeconds = (clock.now - loadStart) / .seconds(1)
        var benchmark = Benchmark()
        benchmark.promptTokens = promptTokens
        benchmark.generationTokens = generationTokens
        benchmark.threadCounts = try ThreadList.parse(threads)
        benchmark.repetitions = repetitions
        benchmark.depths = try ThreadList.parse(depth, allowZero: true)
        benchmark.precision = precisionOption.precision
        let name = URL(fileURLWithPath: loaded.path).lastPathComponent
        if batchCurve {
            let threadCount = benchmark.threadCounts[0]
            let curve = try benchmark.batchCurve(loaded.languageModel, prefix: prefix, threads: threadCount)
            if json {
                try JSONOutput.print(BatchCurveReport(
                    model: name, precision: precisionOption.precision.rawValue, threads: threadCount, prefix: prefix,
                    batchCurve: curve.map { .init(rows: $0.rows, relativeCost: $0.relativeCost) }))
            } else {
                print("model: \(name), precision: \(precisionOption.precision), threads: \(threadCount), cached prefix: \(prefix) tokens")
                print("| rows | relative cost |")
                print("|-----:|--------------:|")
                for cost in curve { print(String(format: "| %4d | %13.2f |", cost.rows, cost.relativeCost)) }
            }
            return
        }
        let results = try benchmark.run(loaded.languageModel)
        let peak = Benchmark.peakResidentBytes
        let ceilings = benchmark.threadCounts.map { benchmark.memoryCeiling(loaded.languageModel, threads: $0) }
        /// The share of the ceiling that generation from an empty cache reached.
        func share(_ ceiling: MemoryCeiling) -> Double? {
            results.first { $0.test == "tg\(generationTokens)" && $0.threads == ceiling.threads }
                .map { $0.median / ceiling.tokensPerSecond }
        }
        if json {
            try JSONOutput.print(BenchReport(
                model: name, precision: precisionOption.precision.rawValue, results: results.map(BenchReport.Result.init),
                memoryCeiling: ceilings.map { .init($0, generationShare: share($0)) }, peakRSSBytes: peak,
                loadSeconds: loadSeconds))
        } else {
            print("| model | precision | test | threads | tokens/s median | min | max |")
            print("|-------|-----------|------|--------:|----------------:|----:|----:|")
            for result in results {
                print("| \(name) | \(precisionOption.precision) | \(result.test) | \(result.threads) | "
                      + String(format: "%.1f | %.1f | %.1f |", result.median, result.minimum, result.maximum))
            }
            for ceiling in ceilings {
                let reached = share(ceiling).map { String(format: "; tg%d reached %.0f%%", generationTokens, $0 * 100) } ?? ""
                print(String(format: "memory ceiling, %d thread(s): %.1f GB/s read, %.1f MB of weights a token: %.1f tokens/s",
                             ceiling.threads, ceiling.readBytesPerSecond / 1e9, Double(ceiling.bytesPerToken) / 1e6,
                             ceiling.tokensPerSecond) + reached)
            }
            print(String(format: "peak RSS %.1f MiB, load %.3f s", Double(peak) / 1_048_576, loadSeconds))
        }
    }
}

/// `bench --json`.
struct BenchReport: Encodable {
    struct Statistics: Encodable {
        let median, min, max: Double
    }

    struct Result: Encodable {
        let test: String
        let threads: Int
        let tokensPerSecond: Statistics

        init(_ result: BenchmarkResult) {
            test = result.test
            threads = result.threads
            tokensPerSecond = Statistics(median: result.median, min: result.minimum, max: result.maximum)
        }

        enum CodingKeys: String, CodingKey {
            case test, threads
            case tokensPerSecond = "tokens_per_second"
        }
    }

    /// `memory_ceiling` entries: what reading the weights allows on each thread count.
    struct Ceiling: Encodable {
        let threads: Int
        let readBytesPerSecond: Double
        let bytesPerToken: Int
        let tokensPerSecond: Double
        let generationShare: Double?

        init(_ ceiling: MemoryCeiling, generationShare: Double?) {
            threads = ceiling.threads
            readBytesPerSecond = ceiling.readBytesPerSecond
            bytesPerToken = ceiling.bytesPerToken
            tokensPerSecond = ceiling.tokensPerSecond
            self.generationShare = generationShare
        }

        enum CodingKeys: String, CodingKey {
            case threads
            case readBytesPerSecond = "read_bytes_per_second"
            case bytesPerToken = "bytes_per_token"
            case tokensPerSecond = "tokens_per_second"
            case generationShare = "generation_share"
        }
    }

    let model: String
    let precision: String
    let results: [Result]
    let memoryCeiling: [Ceiling]
    let peakRSSBytes: Int
    let loadSeconds: Double

    enum CodingKeys: String, CodingKey {
        case model, precision, results
        case memoryCeiling = "memory_ceiling"
        case peakRSSBytes = "peak_rss_bytes"
        case loadSeconds = "load_seconds"
    }
}

/// `bench --batch-curve --json`.
struct BatchCurveReport: Encodable {
    struct Point: Encodable {
        let rows: Int
        let relativeCost: Double

        enum CodingKeys: String, CodingKey {
            case rows
            case relativeCost = "relative_cost"
        }
    }

    let model: String
    let precision: String
    let threads: Int
    let prefix: Int
    let batchCurve: [Point]

    enum CodingKeys: String, CodingKey {
        case model, precision, threads, prefix
        case batchCurve = "batch_curve"
    }
}
