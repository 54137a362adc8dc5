import ArgumentParser
import NextTokenProbes

/// The per-token feature settings shared by `features` and `score --features`.
struct FeatureOptions: ParsableArguments {
    @Option(help: "Features: jsonl (one object per token) or csv (a header, then one line per token).")
    var format: TokenFeatureFormat = .jsonl

    @Flag(help: "Features: include the final hidden state of each prediction.")
    var hidden = false

    @Option(name: .customLong("top-k"), help: "Features: K of the top-k mass.")
    var topK = 10

    func validate() throws {
        if topK < 1 { throw ValidationError("--top-k must be at least 1") }
    }
}
