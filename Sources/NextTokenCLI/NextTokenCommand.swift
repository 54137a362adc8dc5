import ArgumentParser

/// The `nexttoken` command: one subcommand per file, each a `…Command`.
@main
struct NextTokenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "nexttoken",
        abstract: "A pure-Swift next-token prediction engine for GGUF models.",
        subcommands: [ModelsCommand.self]
    )
}
