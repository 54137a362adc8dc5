import ArgumentParser
import Foundation
import NextToken

/// `nexttoken bench tokenizer`: encode throughput (MB/s, tokens/s) of each model's tokenizer.
struct TokenizerBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tokenizer",
        abstract: "Measure tokenizer encode throughput (MB/s and tokens/s) on a corpus.")

    @Option(help: "UTF-8 text to encode. Default: corpora/python-stdlib.txt (make it with ../shared/bench/get_corpora.py code --out corpora).")
    var corpus = "corpora/python-stdlib.txt"

    @Option(help: "Comma-separated models (short names or GGUF paths).")
    var models = "smollm2,gemma3"

    @Option(help: "Comma-separated thread counts; the corpus is cut at line starts into one piece per thread.")
    var threads = "1,2"

    @Option(help: "Timed runs per model and thread count, after one warm-up run.")
    var repetitions = 3

    @Flag(help: "Print one JSON object instead of a table.")
    var json = false

    func validate() throws {
        if repetitions < 1 { throw ValidationError("--repetitions must be at least 1") }
        _ = try ThreadList.parse(threads)
    }

    func run() throws {
        guard let data = FileManager.default.contents(atPath: corpus) else {
            throw ValidationError("cannot read the corpus '\(corpus)'; make it with "
                                  + "`python3 ../shared/bench/get_corpora.py code --out corpora` or pass --corpus")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ValidationError("the corpus '\(corpus)' is not valid UTF-8")
        }
        var benchmark = TokenizerBenchmark()
        benchmark.threadCounts = try ThreadList.parse(threads)
        benchmark.repetitions = repetitions
        var rows: [TokenizerBenchReport.Row] = []
        for name in models.split(separator: ",").map(String.init) {
            let model = try Model.load(name)
            let label = URL(fileURLWithPath: model.path).lastPathComponent
            for result in try benchmark.run(model.tokenizer, corpus: text) {
                rows.append(.init(model: label, threads: result.threads, bytes: result.bytes, tokens: result.tokens,
                                  megabytesPerSecond: result.megabytesPerSecond,
                                  tokensPerSecond: result.tokensPerSecond))
            }
        }
        if json {
            try JSONOutput.print(TokenizerBenchReport(corpus: corpus, results: rows))
            return
        }
        print("corpus: \(corpus) (\(data.count) bytes)")
        print("| model | threads | tokens | MB/s | tokens/s |")
        print("|-------|--------:|-------:|-----:|---------:|")
        for row in rows {
            print("| \(row.model) | \(row.threads) | \(row.tokens) | "
                  + String(format: "%.2f | %.0f |", row.megabytesPerSecond, row.tokensPerSecond))
        }
    }
}

/// `bench tokenizer --json`.
struct TokenizerBenchReport: Encodable {
    struct Row: Encodable {
        let model: String
        let threads: Int
        let bytes: Int
        let tokens: Int
        let megabytesPerSecond: Double
        let tokensPerSecond: Double

        enum CodingKeys: String, CodingKey {
            case model, threads, bytes, tokens
            case megabytesPerSecond = "megabytes_per_second"
            case tokensPerSecond = "tokens_per_second"
        }
    }

    let corpus: String
    let results: [Row]
}
