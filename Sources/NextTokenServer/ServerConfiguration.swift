import NextTokenModel

/// Everything `nexttoken serve` can set, as one value.
public struct ServerConfiguration: Sendable {
    /// Address to bind; loopback by default.
    public var host = "127.0.0.1"
    /// TCP port; 0 picks a free one (the bound port is reported once listening).
    public var port = 8080
    /// Requests decoded at the same time, each with its own KV cache.
    public var parallel = 2
    /// Admitted requests that may wait for a slot; beyond that the answer is 429.
    public var maxQueue = 16
    /// Most KV-cache positions (prompt + generated) per request; `nil` uses the model's context.
    public var contextLength: Int?
    /// Worker threads per slot; `nil` means 1 when `parallel >= 2`, every core otherwise. With
    /// continuous batching, the threads of the shared decode loop (`nil`: every core).
    public var threadsPerSlot: Int?
    /// How every generation computes (see ``Precision``).
    public var precision = Precision.default
    /// Decode the requests in the slots together, one forward pass for all of them per step
    /// (continuous batching); speculative requests still decode on their own.
    public var continuousBatching = true
    /// When set, every endpoint but `/health` needs `Authorization: Bearer <apiKey>`.
    public var apiKey: String?
    /// Largest accepted request body (413 beyond).
    public var maxBodyBytes = 1 << 20
    /// Time allowed for a request body to arrive in full (408 beyond).
    public var bodyTimeout: Duration = .seconds(30)
    /// A connection that sends nothing for this long while idle or mid-request is closed.
    public var idleTimeout: Duration = .seconds(60)
    /// On SIGINT/SIGTERM, in-flight requests may finish for this long; then they are cancelled.
    public var shutdownGracePeriod: Duration = .seconds(10)
    /// `Retry-After` seconds sent with a 429.
    public var retryAfterSeconds = 1

    /// The defaults: 127.0.0.1:8080, 2 slots, a queue of 16, 1 MB bodies.
    public init() {}

    /// The worker threads each generation that decodes on its own uses.
    var resolvedThreadsPerSlot: Int? {
        if let threadsPerSlot { return threadsPerSlot }
        return parallel >= 2 && !continuousBatching ? 1 : nil
    }

    /// Checks the ranges.
    /// - Throws: ``ServerError/invalidConfiguration(_:)``.
    public func validate() throws(ServerError) {
        guard (0 ... 65535).contains(port) else { throw .invalidConfiguration("port \(port) is outside 0…65535") }
        guard parallel >= 1 else { throw .invalidConfiguration("parallel must be at least 1, got \(parallel)") }
        guard maxQueue >= 0 else { throw .invalidConfiguration("max queue must not be negative, got \(maxQueue)") }
        if let contextLength, contextLength < 2 {
            throw .invalidConfiguration("the context must hold at least 2 tokens, got \(contextLength)")
        }
        if let threadsPerSlot, threadsPerSlot < 1 {
            throw .invalidConfiguration("threads per slot must be at least 1, got \(threadsPerSlot)")
        }
        if let apiKey, apiKey.isEmpty { throw .invalidConfiguration("the API key must not be empty") }
        guard maxBodyBytes >= 1024 else { throw .invalidConfiguration("the body limit must be at least 1024 bytes") }
    }
}

/// Why the server could not start.
public enum ServerError: Error, CustomStringConvertible {
    /// A configuration value is out of range.
    case invalidConfiguration(String)
    /// No model to serve, or two with the same id.
    case invalidModels(String)

    public var description: String {
        switch self {
        case .invalidConfiguration(let reason): "invalid server configuration: \(reason)"
        case .invalidModels(let reason): "invalid models: \(reason)"
        }
    }
}
