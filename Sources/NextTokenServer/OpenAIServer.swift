import Hummingbird
import Logging
import NIOCore
import NextToken
import NextTokenOpenAIAPI
import ServiceLifecycle
import UnixSignals

/// The OpenAI-compatible HTTP server: `/v1/chat/completions`, `/v1/completions`, `/v1/models`,
/// `/health` and `/metrics` over the served models.
///
/// ```swift
/// let server = try OpenAIServer(models: [ServedModel(id: "smollm2", model: model)],
///                               configuration: ServerConfiguration(), logger: logger)
/// try await server.run()   // until SIGINT or SIGTERM
/// ```
public struct OpenAIServer: Sendable {
    /// The configuration it was made with.
    public let configuration: ServerConfiguration
    let services: ServerServices
    let logger: Logger

    /// A server for `models`.
    /// - Throws: ``ServerError`` for an invalid configuration, no model or a repeated id.
    public init(
        models: [ServedModel], configuration: ServerConfiguration, logger: Logger = OpenAIServer.defaultLogger
    ) throws(ServerError) {
        try configuration.validate()
        self.configuration = configuration
        self.logger = logger
        let metrics = ServerMetrics()
        services = ServerServices(
            registry: try ModelRegistry(models),
            planner: GenerationPlanner(
                contextLength: configuration.contextLength, threads: configuration.resolvedThreadsPerSlot,
                precision: configuration.precision),
            scheduler: SlotScheduler(slotCount: configuration.parallel, queueLimit: configuration.maxQueue),
            driver: GenerationDriver(
                metrics: metrics,
                batchers: configuration.continuousBatching
                    ? Dictionary(uniqueKeysWithValues: models.map {
                        ($0.id, BatchedDecoder(model: $0.model, threads: configuration.threadsPerSlot,
                                               precision: configuration.precision))
                    })
                    : [:]),
            reader: JSONRequestReader(maxBodyBytes: configuration.maxBodyBytes, bodyTimeout: configuration.bodyTimeout),
            metrics: metrics)
    }

    /// The logger the server uses unless given one: label `nexttoken.server`, level `info`.
    public static var defaultLogger: Logger {
        var logger = Logger(label: "nexttoken.server")
        logger.logLevel = .info
        return logger
    }

    /// Serves until SIGINT or SIGTERM, then stops accepting connections, lets in-flight requests
    /// finish for the grace period and cancels the rest.
    /// - Parameter onListening: called with the bound host and port once the socket listens.
    public func run(onListening: @escaping @Sendable (String, Int) async -> Void = { _, _ in }) async throws {
        try await makeServiceGroup(gracefulShutdownSignals: [.sigterm, .sigint], onListening: onListening).run()
    }

    /// The service group that runs the server; tests run it without signals and end it with
    /// `triggerGracefulShutdown()`.
    public func makeServiceGroup(
        gracefulShutdownSignals: [UnixSignal], onListening: @escaping @Sendable (String, Int) async -> Void
    ) -> ServiceGroup {
        let host = configuration.host
        let application = Application(
            router: makeRouter(),
            server: .http1(configuration: .init(idleTimeout: .nanoseconds(
                Int64(configuration.idleTimeout.components.seconds) * 1_000_000_000
                    + configuration.idleTimeout.components.attoseconds / 1_000_000_000))),
            configuration: .init(address: .hostname(host, port: configuration.port), serverName: "nexttoken"),
            onServerRunning: { channel in await onListening(host, channel.localAddress?.port ?? 0) },
            logger: logger)
        var groupConfiguration = ServiceGroupConfiguration(
            services: [application], gracefulShutdownSignals: gracefulShutdownSignals, logger: logger)
        groupConfiguration.maximumGracefulShutdownDuration = configuration.shutdownGracePeriod
        groupConfiguration.maximumCancellationDuration = .seconds(5)
        return ServiceGroup(configuration: groupConfiguration)
    }

    /// The routes behind the logging/error middleware and, when a key is set, the key check.
    func makeRouter() -> Router<ServerRequestContext> {
        let router = Router(context: ServerRequestContext.self)
        router.add(middleware: RequestLogMiddleware(
            metrics: services.metrics, logger: logger, retryAfterSeconds: configuration.retryAfterSeconds))
        if let apiKey = configuration.apiKey { router.add(middleware: APIKeyMiddleware(key: apiKey)) }
        let services = self.services
        let chat = ChatCompletionsRoute(services: services)
        let completions = CompletionsRoute(services: services)
        router.post("/v1/chat/completions") { request, context in try await chat.respond(to: request, context: context) }
        router.post("/v1/completions") { request, context in try await completions.respond(to: request, context: context) }
        router.get("/v1/models") { _, _ in try JSONResponse.ok(services.registry.list) }
        router.get("/health") { _, _ in try JSONResponse.ok(["status": "ok"]) }
        router.get("/metrics") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(string: services.metrics.render(scheduler: services.scheduler, batchers: services.driver.batchers))))
        }
        return router
    }
}
