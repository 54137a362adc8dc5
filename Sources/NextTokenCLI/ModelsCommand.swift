import ArgumentParser

/// `nexttoken models`: the subcommands that manage the local model cache.
struct ModelsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "models",
        abstract: "Fetch and list the catalog's models in the local cache ($NEXTTOKEN_HOME, default ~/.cache/nexttoken).",
        subcommands: [ModelsFetchCommand.self, ModelsListCommand.self]
    )
}
