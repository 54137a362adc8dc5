import ArgumentParser
import NextTokenModelStore

/// `nexttoken models list`: the catalog models in the cache, each re-hashed.
struct ModelsListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List the cached catalog models with their size and whether their sha256 matches."
    )

    @OptionGroup var output: JSONOutputOptions

    func run() throws {
        let store = ModelStore()
        let models = try store.list()
        if output.json {
            try output.printJSON(models)
        } else if models.isEmpty {
            print("no models cached in \(store.modelsDirectory); run `nexttoken models fetch`")
        } else {
            output.printTable(models)
        }
    }
}
