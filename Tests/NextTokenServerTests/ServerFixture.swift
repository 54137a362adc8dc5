import Foundation
import Logging
import NextToken
import NextTokenServer
import NextTokenTestSupport
import Synchronization

/// Models and in-process servers for the server tests.
enum ServerFixture {
    private static let smolLM2Cache = Mutex<Model?>(nil)
    private static let syntheticCache = Mutex<Model?>(nil)

    /// SmolLM2 served as `smollm2` (skips or fails the test when the model is missing).
    static func smolLM2() throws -> ServedModel {
        let path = try TestModels.requireOrSkip("smollm2")
        let model = try smolLM2Cache.withLock { cached in
            if let cached { return cached }
            let model = try Model(path: path)
            cached = model
            return model
        }
        return ServedModel(id: "smollm2", model: model)
    }

    /// A tiny random-weight Llama (byte-level vocabulary, context 256) served as `tiny`: fast
    /// enough for tests of the HTTP layer that need no real text.
    static func synthetic() throws -> ServedModel {
        let model = try syntheticCache.withLock { cached in
            if let cached { return cached }
            let url = FileManager.default.temporaryDirectory
                .appendingPathComponent("nexttoken-server-tests-\(getpid()).gguf")
            try Data(SyntheticLlama().bytes()).write(to: url)
            let model = try Model(path: url.path)
            cached = model
            return model
        }
        return ServedModel(id: "tiny", model: model)
    }

    /// Lets one live-server test run at a time in this process: they measure latencies and
    /// load the CPU, which other server tests running beside them would distort.
    private static let exclusive = ExclusiveAccess()

    /// Runs `body` while no other live-server test runs.
    static func exclusively<T>(_ body: () async throws -> T) async throws -> T {
        await exclusive.acquire()
        do {
            let result = try await body()
            await exclusive.release()
            return result
        } catch {
            await exclusive.release()
            throw error
        }
    }

    /// Runs `body` against a server on an ephemeral port of 127.0.0.1, then stops the server.
    static func withServer<T>(
        _ models: [ServedModel], configure: (inout ServerConfiguration) -> Void = { _ in },
        _ body: (RunningServer) async throws -> T
    ) async throws -> T {
        var configuration = ServerConfiguration()
        configuration.port = 0
        configure(&configuration)
        var logger = Logger(label: "nexttoken.server.test")
        logger.logLevel = ProcessInfo.processInfo.environment["NEXTTOKEN_SERVER_TEST_LOG"] == "1" ? .info : .error
        return try await exclusively {
            let server = try await OpenAIServer(models: models, configuration: configuration, logger: logger).start()
            do {
                let result = try await body(server)
                await server.stop()
                return result
            } catch {
                await server.stop()
                throw error
            }
        }
    }
}

/// An async lock: one holder at a time, waiters served in order.
actor ExclusiveAccess {
    private var held = false
    private var waiters: [CheckedContinuation<Void, Never>] = []

    func acquire() async {
        guard held else {
            held = true
            return
        }
        await withCheckedContinuation { waiters.append($0) }
    }

    func release() {
        if waiters.isEmpty {
            held = false
        } else {
            waiters.removeFirst().resume()
        }
    }
}
