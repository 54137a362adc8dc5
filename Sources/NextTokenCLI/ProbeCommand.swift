import ArgumentParser

/// `nexttoken probe`: analysis probes of a model's tokenizer and positional encoding.
struct ProbeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "probe",
        abstract: "Analysis probes: tokenization consistency, RoPE locality/consistency and key-space clusters.",
        subcommands: [ProbeTokenizationCommand.self, ProbeRoPECommand.self, ProbeKeySpaceCommand.self]
    )
}
