import ArgumentParser
import Foundation
import NextToken

/// `nexttoken bench byte-level`: next-word exact match of naive prompting, token healing and the
/// exact byte-level method on prompts cut inside words, and bits per byte of each model and of
/// their byte-level ensemble.
struct ByteLevelBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "byte-level",
        abstract: "Next-word exact match (naive, token healing, exact byte-level) and bits per byte on a corpus.")

    @Option(help: "prose (corpora/austen.txt), code (corpora/python-stdlib.txt) or a UTF-8 text file.")
    var corpus = "prose"

    @Option(help: "Prompts cut inside words (0 skips next-word completion).")
    var samples = 20

    @Option(help: "Seed of the cuts and slices.")
    var seed: UInt64 = 0

    @Option(help: "Bytes of context before each cut.")
    var contextBytes = 256

    @Option(help: "Text slices scored for bits per byte (0 skips bits per byte).")
    var slices = 2

    @Option(help: "Bytes per slice.")
    var sliceBytes = 1024

    @Option(help: "Comma-separated models (short names or GGUF paths); with several, their ensemble is scored too.")
    var models = "smollm2,gemma3"

    @Option(help: "Worker threads for the forward pass (default: every core).")
    var threads: Int?

    @Flag(help: "Print one JSON object instead of tables.")
    var json = false

    /// The corpus file `--corpus` names.
    var corpusPath: String {
        switch corpus {
        case "prose": "corpora/austen.txt"
        case "code": "corpora/python-stdlib.txt"
        default: corpus
        }
    }

    var modelNames: [String] {
        models.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }
    }

    func validate() throws {
        if samples < 0 { throw ValidationError("--samples must not be negative") }
        if slices < 0 { throw ValidationError("--slices must not be negative") }
        if samples == 0 && slices == 0 { throw ValidationError("--samples and --slices are both 0: nothing to measure") }
        if contextBytes < 1 { throw ValidationError("--context-bytes must be at least 1") }
        if sliceBytes < 1 { throw ValidationError("--slice-bytes must be at least 1") }
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1") }
        if modelNames.isEmpty || modelNames.contains(where: \.isEmpty) {
            throw ValidationError("--models needs comma-separated model names")
        }
    }

    func run() throws {
        guard let data = FileManager.default.contents(atPath: corpusPath) else {
            throw ValidationError("cannot read the corpus '\(corpusPath)'; make the prose and code corpora with "
                                  + "`python3 ../shared/bench/get_corpora.py all --out corpora` from the repository root, "
                                  + "or pass --corpus FILE")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ValidationError("the corpus '\(corpusPath)' is not valid UTF-8")
        }
        var benchmark = ByteLevelBenchmark()
        benchmark.samples = samples
        benchmark.seed = seed
        benchmark.contextBytes = contextBytes
        benchmark.slices = slices
        benchmark.sliceBytes = sliceBytes
        benchmark.threads = threads
        let cuts = try benchmark.cuts(in: text)
        let textSlices = try benchmark.slices(of: text)
        let names = modelNames
        let loaded = try names.map { try Model.load($0) }
        var completions: [(String, WordCompletionResult)] = []
        for (name, model) in zip(names, loaded) where !cuts.isEmpty {
            if !json { StandardError.print("completing \(cuts.count) words with \(name)…") }
            completions.append((name, try benchmark.completeWords(model, cuts: cuts)))
        }
        if !json && !textSlices.isEmpty { StandardError.print("scoring \(textSlices.count) slices…") }
        let bits = textSlices.isEmpty ? [] : try benchmark.bitsPerByte(loaded, labels: names, slices: textSlices)
        let output = ByteLevelBenchOutput(
            corpus: corpusPath, corpusBytes: data.count, seed: seed, contextBytes: contextBytes,
            completions: completions, slices: textSlices.count, bits: bits)
        if json {
            try JSONOutput.print(output)
        } else {
            output.printTables()
        }
    }
}
