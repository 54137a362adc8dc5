import Foundation
import NextToken
import NextTokenSampling
import NextTokenServer
import Testing

@Suite("Server continuous batching on SmolLM2", .serialized)
struct ServerBatchingTests {
    /// Concurrent requests of different lengths and settings.
    static let requests: [(prompt: String, maxTokens: Int, sampling: SamplingParameters, stop: [String])] = [
        ("The capital of France is", 20, .greedy, []),
        ("def fibonacci(n):\n", 28, SamplingParameters(temperature: 0.8, seed: 21, repetitionPenalty: 1.2), []),
        ("Once upon a time, in a small village by the sea,", 24,
         SamplingParameters(temperature: 0.7, topK: 40, seed: 8, frequencyPenalty: 0.5), []),
        ("1, 2, 3, 4,", 16, .greedy, [" 9"]),
    ]

    @Test("concurrent requests share forward passes and each gets exactly its solo output")
    func concurrentRequests() async throws {
        let served = try ServerFixture.smolLM2()
        let expected = try Self.requests.map { request in
            var options = GenerationOptions()
            options.maxTokens = request.maxTokens
            options.sampling = request.sampling
            options.stopStrings = request.stop
            return try served.model.complete(request.prompt, options: options)
        }
        try await ServerFixture.withServer([served], configure: { $0.parallel = 4 }) { server in
            let bodies = Self.requests.map { request in
                var body: [String: Any] = [
                    "model": "smollm2", "prompt": request.prompt, "max_tokens": request.maxTokens,
                    "temperature": request.sampling.temperature, "top_k": request.sampling.topK,
                    "repeat_penalty": request.sampling.repetitionPenalty,
                    "frequency_penalty": request.sampling.frequencyPenalty, "stop": request.stop,
                ]
                if let seed = request.sampling.seed { body["seed"] = seed }
                return jsonText(body)
            }
            let responses = try await withThrowingTaskGroup(of: (Int, HTTPTestResponse).self) { group in
                for (index, body) in bodies.enumerated() {
                    group.addTask {
                        (index, try await HTTPTestClient.request(port: server.port, path: "/v1/completions", json: body))
                    }
                }
                var responses: [Int: HTTPTestResponse] = [:]
                for try await (index, response) in group { responses[index] = response }
                return responses
            }
            for (index, summary) in expected.enumerated() {
                let body = try #require(responses[index]?.json, "request \(index)")
                let choice = try #require((body["choices"] as? [[String: Any]])?.first)
                #expect(choice["text"] as? String == summary.text, "request \(index)")
                #expect((body["usage"] as? [String: Int])?["completion_tokens"] == summary.tokens.count)
            }
            let metrics = try await HTTPTestClient.request(port: server.port, method: "GET", path: "/metrics").text
            let passes = ServerSamplingParameterTests.value(metrics, #"nexttoken_batch_forward_passes_total{model="smollm2"}"#)
            let rows = ServerSamplingParameterTests.value(metrics, #"nexttoken_batch_rows_total{model="smollm2"}"#)
            let generated = expected.reduce(0) { $0 + $1.tokens.count }
            let promptRows = expected.reduce(0) { $0 + $1.promptTokens.count }
            #expect(rows == Double(promptRows + generated - expected.count), "every prompt token and fed-back token once")
            #expect(passes < Double(generated), "the requests shared passes: \(passes) passes for \(generated) tokens")
        }
    }

    @Test("without batching the same requests give the same text")
    func batchingOff() async throws {
        let served = try ServerFixture.smolLM2()
        try await ServerFixture.withServer([served], configure: { $0.continuousBatching = false }) { server in
            let request = Self.requests[1]
            let body: [String: Any] = [
                "model": "smollm2", "prompt": request.prompt, "max_tokens": request.maxTokens, "temperature": 0.8,
                "seed": 21, "repeat_penalty": 1.2,
            ]
            let response = try await HTTPTestClient.request(port: server.port, path: "/v1/completions", json: jsonText(body))
            var options = GenerationOptions()
            options.maxTokens = request.maxTokens
            options.sampling = request.sampling
            let expected = try served.model.complete(request.prompt, options: options)
            #expect((response.json?["choices"] as? [[String: Any]])?.first?["text"] as? String == expected.text)
            let metrics = try await HTTPTestClient.request(port: server.port, method: "GET", path: "/metrics").text
            #expect(!metrics.contains("nexttoken_batch_rows_total{"), "no loop runs when batching is off")
        }
    }
}
