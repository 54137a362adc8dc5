import ArgumentParser
import NextToken
import NextTokenModelStore
import NextTokenServer

/// `nexttoken serve`: an OpenAI-compatible HTTP server over one or more models.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve models over an OpenAI-compatible HTTP API (/v1/chat/completions, /v1/completions, …).",
        discussion: """
            Requests name a model by its id: a short name as given to --model, or a GGUF path's file name \
            without .gguf. SIGINT or SIGTERM stops accepting connections, lets running requests finish for \
            10 seconds and cancels the rest.
            """)

    @Option(
        parsing: .singleValue,
        help: "A GGUF path or a cached model's short name; repeat to serve several. Default: smollm2.")
    var model: [String] = []

    @OptionGroup var precisionOption: PrecisionOption

    @Option(help: "Address to bind.")
    var host = "127.0.0.1"

    @Option(help: "TCP port (0 picks a free one).")
    var port = 8080

    @Option(help: "Requests decoded concurrently, each with its own KV cache.")
    var parallel = 2

    @Option(help: "Requests that may wait for a slot; more are refused with 429.")
    var maxQueue = 16

    @Option(help: "Most tokens (prompt + completion) per request (default: the model's context).")
    var ctx: Int?

    @Option(help: "Worker threads per slot (default: 1 when --parallel is 2 or more, else every core); with batching, of the shared loop (default: every core).")
    var threads: Int?

    @Option(help: "Require 'Authorization: Bearer KEY' on every endpoint but /health.")
    var apiKey: String?

    @Flag(inversion: .prefixedNo, help: "Decode the slots' requests together, one forward pass per step (continuous batching).")
    var batching = true

    func validate() throws {
        do {
            try serverConfiguration.validate()
        } catch {
            throw ValidationError("\(error)")
        }
    }

    var serverConfiguration: ServerConfiguration {
        var configuration = ServerConfiguration()
        configuration.host = host
        configuration.port = port
        configuration.parallel = parallel
        configuration.maxQueue = maxQueue
        configuration.contextLength = ctx
        configuration.threadsPerSlot = threads
        configuration.precision = precisionOption.precision
        configuration.apiKey = apiKey
        configuration.continuousBatching = batching
        return configuration
    }

    func run() async throws {
        let names = model.isEmpty ? [ModelCatalog.standard.defaultModelName] : model
        var served: [ServedModel] = []
        for name in names {
            served.append(ServedModel(id: ServedModel.id(forNameOrPath: name), model: try Model.load(name)))
        }
        let server = try OpenAIServer(models: served, configuration: serverConfiguration)
        let ids = served.map(\.id).joined(separator: ", ")
        try await server.run { host, port in
            StandardError.print("listening on http://\(host):\(port) (models: \(ids))")
        }
    }
}
