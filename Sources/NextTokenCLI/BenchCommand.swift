import ArgumentParser

/// `nexttoken bench`: the engine's benchmarks. Without a subcommand it runs `runtime`
/// (prompt and generation speed, llama-bench style).
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Benchmarks: runtime speed (default), speculative decoding, tokenizer throughput, byte-level methods.",
        subcommands: [
            RuntimeBenchCommand.self, SpeculativeBenchCommand.self, TokenizerBenchCommand.self, ByteLevelBenchCommand.self,
        ],
        defaultSubcommand: RuntimeBenchCommand.self)
}
