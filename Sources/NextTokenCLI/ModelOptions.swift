import ArgumentParser
import NextToken

/// `--model` and `--threads`, shared by every command that runs a model.
struct ModelOptions: ParsableArguments {
    @Option(help: "A GGUF path or a cached model's short name (smollm2, gemma3). Default: smollm2, fetched on first use.")
    var model: String?

    @Option(help: "Worker threads (default: every core).")
    var threads: Int?

    func validate() throws {
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1") }
    }

    /// Loads the model, fetching the default one if needed.
    func load() throws -> Model {
        try Model.load(model)
    }
}
