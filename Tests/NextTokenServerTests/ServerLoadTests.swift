import Foundation
import NextTokenServer
import Synchronization
import Testing

@Suite("Server under load on SmolLM2", .serialized)
struct ServerLoadTests {
    /// One request of the load mix.
    struct Spec: Sendable {
        let path: String
        let json: String
        let stream: Bool

        init(path: String, body: [String: Any], stream: Bool) {
            var body = body
            if stream { body["stream"] = true }
            self.path = path
            json = jsonText(body)
            self.stream = stream
        }
    }

    /// What a response said, reduced to what must not depend on other requests.
    struct Outcome: Equatable, Sendable {
        let text: String
        let finishReason: String?
        let completionTokens: Int?
    }

    /// 16 distinct requests: chat and completions, greedy and seeded sampling, stop strings,
    /// log-probabilities, max_tokens from 4 to 32.
    static let specs: [Spec] = {
        let prompts = ["Once upon a time", "def fibonacci(n):", "The three primary colours are", "Q: What is 7 times 8?\nA:"]
        let questions = ["What is the capital of Italy?", "Write a haiku about rain.", "List two fruits.", "Say hello."]
        return (0 ..< 16).map { index in
            let maxTokens = 4 + (index * 7) % 29
            var body: [String: Any] = ["model": "smollm2", "max_tokens": maxTokens]
            if index % 3 == 0 {
                body["temperature"] = 0.8
                body["seed"] = 100 + index
                body["top_k"] = 40
            } else {
                body["temperature"] = 0
            }
            if index % 5 == 1 { body["stop"] = ["\n\n", "."] }
            let path: String
            if index % 2 == 0 {
                path = "/v1/chat/completions"
                body["messages"] = [["role": "user", "content": questions[index / 2 % questions.count]]]
                if index % 4 == 2 { body["logprobs"] = true; body["top_logprobs"] = 2 }
            } else {
                path = "/v1/completions"
                body["prompt"] = prompts[index / 2 % prompts.count]
                if index % 4 == 3 { body["logprobs"] = 1 }
            }
            return Spec(path: path, body: body, stream: index % 4 < 2)
        }
    }()

    static func run(_ spec: Spec, port: Int) async throws -> (status: Int, outcome: Outcome?) {
        let response = try await HTTPTestClient.request(port: port, path: spec.path, json: spec.json)
        guard response.status == 200 else { return (response.status, nil) }
        if spec.stream {
            let summary = StreamSummary(response.events)
            guard summary.done else { return (response.status, nil) }
            return (200, Outcome(text: summary.text, finishReason: summary.finishReason, completionTokens: nil))
        }
        let body = response.json ?? [:]
        let choice = (body["choices"] as? [[String: Any]])?.first ?? [:]
        let text = (choice["message"] as? [String: Any])?["content"] as? String ?? choice["text"] as? String ?? ""
        return (200, Outcome(text: text, finishReason: choice["finish_reason"] as? String,
                             completionTokens: (body["usage"] as? [String: Int])?["completion_tokens"]))
    }

    @Test("16 concurrent clients × 4 requests: no 5xx, every response complete and equal to the request run alone")
    func concurrentClients() async throws {
        let served = try ServerFixture.smolLM2()
        try await ServerFixture.withServer([served]) { server in
            var alone: [Outcome] = []
            for spec in Self.specs {
                let result = try await Self.run(spec, port: server.port)
                #expect(result.status == 200)
                alone.append(try #require(result.outcome))
            }
            let start = ContinuousClock.now
            let results = try await withThrowingTaskGroup(of: [(Int, Int, Outcome?)].self) { group in
                for client in 0 ..< 16 {
                    group.addTask {
                        var results: [(Int, Int, Outcome?)] = []
                        for round in 0 ..< 4 {
                            let index = (client + round * 5) % Self.specs.count
                            let result = try await Self.run(Self.specs[index], port: server.port)
                            results.append((index, result.status, result.outcome))
                        }
                        return results
                    }
                }
                return try await group.reduce(into: []) { $0 += $1 }
            }
            let elapsed = ContinuousClock.now - start
            #expect(results.count == 64)
            #expect(results.filter { $0.1 >= 500 }.isEmpty, "5xx responses: \(results.filter { $0.1 >= 500 }.map(\.1))")
            #expect(results.allSatisfy { $0.1 == 200 }, "statuses: \(results.map(\.1))")
            var mismatches = 0
            for (index, _, outcome) in results {
                guard let outcome else { continue }
                let reference = alone[index]
                if outcome.text != reference.text || outcome.finishReason != reference.finishReason { mismatches += 1 }
                if let tokens = outcome.completionTokens, let expected = reference.completionTokens, tokens != expected {
                    mismatches += 1
                }
            }
            #expect(mismatches == 0)
            let metrics = try await HTTPTestClient.request(port: server.port, method: "GET", path: "/metrics").text
            let generated = metrics.split(separator: "\n").first { $0.hasPrefix("nexttoken_completion_tokens_total ") }
            print("◇ load: 64 requests from 16 clients in \(elapsed); \(generated ?? "?") (references included)")
        }
    }

    @Test("a client that leaves mid-stream frees its slot at once; so does one that leaves a non-streamed request")
    func disconnectFreesSlot() async throws {
        let served = try ServerFixture.smolLM2()
        try await ServerFixture.withServer([served], configure: { $0.parallel = 1 }) { server in
            let long: [String: Any] = [
                "model": "smollm2", "prompt": "1, 2, 3, 4, 5, 6,", "max_tokens": 400, "temperature": 0, "stream": true,
            ]
            let events = Mutex(0)
            let left = try await HTTPTestClient.stream(port: server.port, path: "/v1/completions", json: jsonText(long)) { _ in
                events.withLock { $0 += 1 }
                return events.withLock { $0 } < 4
            }
            #expect(left.status == 200)
            let freedAfter = try await Self.waitForIdleSlots(port: server.port)
            #expect(freedAfter < .seconds(2), "slot freed after \(freedAfter)")

            // The next request starts at once: its first token comes quickly (had the slot stayed busy,
            // it would wait for the rest of the 400 tokens, a minute or more on this machine).
            let start = ContinuousClock.now
            let firstToken = Mutex<Duration?>(nil)
            var next = long
            next["max_tokens"] = 8
            let response = try await HTTPTestClient.stream(port: server.port, path: "/v1/completions", json: jsonText(next)) { event in
                if event.contains("\"text\":\""), !event.contains("\"text\":\"\"") {
                    firstToken.withLock { $0 = $0 ?? (ContinuousClock.now - start) }
                }
                return true
            }
            #expect(StreamSummary(response.events).done)
            let latency = try #require(firstToken.withLock { $0 })
            print("◇ first token of the next request after a disconnect: \(latency)")
            #expect(latency < .seconds(5))

            // Non-streamed: the client closes the socket while the server generates.
            var whole = long
            whole["stream"] = false
            let bytes = HTTPTestClient.requestHead(method: "POST", path: "/v1/completions",
                                                   headers: ["Content-Type": "application/json"],
                                                   bodyLength: jsonText(whole).utf8.count) + Array(jsonText(whole).utf8)
            try await HTTPTestClient.onThread {
                let connection = try SocketConnection(port: server.port)
                try connection.send(bytes)
                Thread.sleep(forTimeInterval: 0.5)
                connection.close()
            }
            let freedWhole = try await Self.waitForIdleSlots(port: server.port)
            #expect(freedWhole < .seconds(2), "slot freed after \(freedWhole)")
        }
    }

    /// Polls `/metrics` until no slot is busy; returns how long that took.
    static func waitForIdleSlots(port: Int) async throws -> Duration {
        let start = ContinuousClock.now
        while ContinuousClock.now - start < .seconds(30) {
            let metrics = try await HTTPTestClient.request(port: port, method: "GET", path: "/metrics").text
            if metrics.contains("nexttoken_busy_slots 0\n") { return ContinuousClock.now - start }
            try await Task.sleep(for: .milliseconds(10))
        }
        return .seconds(30)
    }
}
