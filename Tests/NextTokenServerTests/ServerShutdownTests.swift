import Foundation
import Logging
import NextTokenServer
import Synchronization
import Testing

@Suite("Server shutdown", .serialized)
struct ServerShutdownTests {
    static func start(grace: Duration) async throws -> RunningServer {
        var configuration = ServerConfiguration()
        configuration.port = 0
        configuration.shutdownGracePeriod = grace
        var logger = Logger(label: "nexttoken.server.test")
        logger.logLevel = .error
        return try await OpenAIServer(models: [try ServerFixture.smolLM2()], configuration: configuration,
                                      logger: logger).start()
    }

    /// Streams `json` in the background; `started` gets a value at the first event.
    static func backgroundStream(port: Int, json: String, started: AsyncStream<Void>.Continuation)
        -> Task<[String], Never>
    {
        Task {
            let events = Mutex<[String]>([])
            do {
                _ = try await HTTPTestClient.stream(port: port, path: "/v1/completions", json: json) { event in
                    events.withLock { $0.append(event) }
                    started.yield()
                    return true
                }
            } catch {
                // The connection was cut: the events so far are the answer.
            }
            started.finish()
            return events.withLock { $0 }
        }
    }

    @Test("a graceful shutdown lets a running stream finish, then refuses connections")
    func finishesInFlight() async throws {
        try await ServerFixture.exclusively { try await finishesInFlightAlone() }
    }

    func finishesInFlightAlone() async throws {
        let server = try await Self.start(grace: .seconds(30))
        let port = server.port
        let (started, signal) = AsyncStream<Void>.makeStream()
        let json = jsonText(["model": "smollm2", "prompt": "1, 2, 3,", "max_tokens": 24, "temperature": 0, "stream": true])
        let stream = Self.backgroundStream(port: port, json: json, started: signal)
        for await _ in started { break }
        await server.stop()
        let events = await stream.value
        #expect(events.last == "[DONE]")
        #expect(StreamSummary(events).finishReason != nil)
        #expect(throws: SocketError.self) { try SocketConnection(port: port) }
    }

    @Test("after the grace period, a running stream is cancelled and the server stops")
    func cancelsAfterGrace() async throws {
        try await ServerFixture.exclusively { try await cancelsAfterGraceAlone() }
    }

    func cancelsAfterGraceAlone() async throws {
        let server = try await Self.start(grace: .milliseconds(300))
        let (started, signal) = AsyncStream<Void>.makeStream()
        let json = jsonText(["model": "smollm2", "prompt": "1, 2, 3,", "max_tokens": 2000, "temperature": 0, "stream": true])
        let stream = Self.backgroundStream(port: server.port, json: json, started: signal)
        for await _ in started { break }
        let start = ContinuousClock.now
        await server.stop()
        let stopped = ContinuousClock.now - start
        let events = await stream.value
        #expect(stopped < .seconds(10), "stopping took \(stopped)")
        #expect(events.last != "[DONE]")
        #expect(StreamSummary(events).finishReason == nil)
    }
}
