import ServiceLifecycle

/// A server running in the background of this process (tests, embedding): where it listens, and
/// how to stop it.
public final class RunningServer: Sendable {
    /// The bound host.
    public let host: String
    /// The bound port (the real one when the configuration asked for 0).
    public let port: Int
    private let group: ServiceGroup
    private let task: Task<Void, any Error>

    fileprivate init(host: String, port: Int, group: ServiceGroup, task: Task<Void, any Error>) {
        self.host = host
        self.port = port
        self.group = group
        self.task = task
    }

    /// Shuts down gracefully (running requests get the configured grace period) and waits until
    /// the server has stopped.
    public func stop() async {
        await group.triggerGracefulShutdown()
        _ = await task.result
    }
}

extension OpenAIServer {
    /// Starts serving in the background and returns once the socket listens.
    /// - Throws: the error that stopped the server before it listened (a port in use, …).
    public func start() async throws -> RunningServer {
        let (listening, listener) = AsyncThrowingStream<(String, Int), any Error>.makeStream()
        let group = makeServiceGroup(gracefulShutdownSignals: []) { host, port in
            listener.yield((host, port))
            listener.finish()
        }
        let task = Task {
            do {
                try await group.run()
                listener.finish(throwing: CancellationError())
            } catch {
                listener.finish(throwing: error)
                throw error
            }
        }
        for try await (host, port) in listening {
            return RunningServer(host: host, port: port, group: group, task: task)
        }
        throw CancellationError()
    }
}
