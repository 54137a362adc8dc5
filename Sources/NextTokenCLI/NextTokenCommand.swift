import ArgumentParser

/// The `nexttoken` command: one subcommand per file, each a `…Command`.
@main
struct NextTokenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "nexttoken",
        abstract: "A pure-Swift next-token prediction engine for GGUF models.",
        subcommands: [
            GenerateCommand.self, TokenizeCommand.self, DetokenizeCommand.self, LogitsCommand.self,
            InspectCommand.self, ModelsCommand.self, TemplateCommand.self, ServeCommand.self, ScoreCommand.self,
            ProbeCommand.self, FeaturesCommand.self, BenchCommand.self,
        ]
    )
}
