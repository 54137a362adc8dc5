import Foundation
import NextToken
import NextTokenChatTemplate
import NextTokenSampling
import NextTokenServer
import Testing

/// JSON text of a request object.
func jsonText(_ object: [String: Any]) -> String {
    String(decoding: (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data(), as: UTF8.self)
}

/// The concatenated deltas of a chat or completion stream, its finish reason, and its usage chunk.
struct StreamSummary {
    var text = ""
    var finishReason: String?
    var usage: [String: Any]?
    var done = false
    var objects: [[String: Any]] = []

    init(_ events: [String]) {
        for event in events {
            if event == "[DONE]" { done = true; continue }
            guard let object = try? JSONSerialization.jsonObject(with: Data(event.utf8)) as? [String: Any] else { continue }
            objects.append(object)
            if let usage = object["usage"] as? [String: Any] { self.usage = usage }
            for choice in object["choices"] as? [[String: Any]] ?? [] {
                text += (choice["delta"] as? [String: Any])?["content"] as? String ?? choice["text"] as? String ?? ""
                if let reason = choice["finish_reason"] as? String { finishReason = reason }
            }
        }
    }
}

@Suite("Server endpoints on SmolLM2", .serialized)
struct ServerEndpointTests {
    static var chatMessages: [[String: Any]] {
        [["role": "system", "content": "You are brief."], ["role": "user", "content": "Name three colours."]]
    }

    @Test("chat: the OpenAI shape, exact usage, greedy text equal to model.complete, stream equal to non-stream")
    func chat() async throws {
        let served = try ServerFixture.smolLM2()
        try await ServerFixture.withServer([served]) { server in
            let request: [String: Any] = ["model": "smollm2", "messages": Self.chatMessages, "max_tokens": 20, "temperature": 0]
            let response = try await HTTPTestClient.request(port: server.port, path: "/v1/chat/completions",
                                                            json: jsonText(request))
            #expect(response.status == 200)
            let body = try #require(response.json)
            #expect(body["object"] as? String == "chat.completion")
            #expect((body["id"] as? String)?.hasPrefix("chatcmpl-") == true)
            #expect(body["model"] as? String == "smollm2")
            #expect(body["created"] is Int)
            let choice = try #require((body["choices"] as? [[String: Any]])?.first)
            let message = try #require(choice["message"] as? [String: Any])
            #expect(message["role"] as? String == "assistant")
            let text = try #require(message["content"] as? String)

            var options = GenerationOptions()
            options.maxTokens = 20
            options.chat = true
            options.messages = [ChatMessage(role: "system", content: "You are brief."),
                                ChatMessage(role: "user", content: "Name three colours.")]
            let expected = try served.model.complete("", options: options)
            #expect(text == expected.text)
            #expect(choice["finish_reason"] as? String == (expected.stopReason == .maxTokens ? "length" : "stop"))
            let usage = try #require(body["usage"] as? [String: Int])
            #expect(usage["prompt_tokens"] == expected.promptTokens.count)
            #expect(usage["completion_tokens"] == expected.tokens.count)
            #expect(usage["total_tokens"] == expected.promptTokens.count + expected.tokens.count)

            // Sampled, same seed: the stream's deltas add up to the non-streamed text.
            var sampled = request
            sampled["temperature"] = 0.9
            sampled["seed"] = 1234
            sampled["max_tokens"] = 24
            let whole = try await HTTPTestClient.request(port: server.port, path: "/v1/chat/completions",
                                                         json: jsonText(sampled))
            let wholeChoice = try #require((whole.json?["choices"] as? [[String: Any]])?.first)
            sampled["stream"] = true
            sampled["stream_options"] = ["include_usage": true]
            let streamed = try await HTTPTestClient.request(port: server.port, path: "/v1/chat/completions",
                                                            json: jsonText(sampled))
            #expect(streamed.status == 200)
            #expect(streamed.headers["content-type"] == "text/event-stream")
            let summary = StreamSummary(streamed.events)
            #expect(summary.done)
            #expect(summary.text == (wholeChoice["message"] as? [String: Any])?["content"] as? String)
            #expect(summary.finishReason == wholeChoice["finish_reason"] as? String)
            #expect(summary.objects.allSatisfy { $0["object"] as? String == "chat.completion.chunk" })
            let firstDelta = (summary.objects.first?["choices"] as? [[String: Any]])?.first?["delta"] as? [String: Any]
            #expect(firstDelta?["role"] as? String == "assistant")
            #expect(summary.usage?["completion_tokens"] as? Int == (whole.json?["usage"] as? [String: Int])?["completion_tokens"])
            #expect((summary.objects.last?["choices"] as? [Any])?.isEmpty == true, "the usage chunk has no choices")
        }
    }

    @Test("completions: string and array prompts, stop strings, length, stream equal to non-stream")
    func completions() async throws {
        let served = try ServerFixture.smolLM2()
        try await ServerFixture.withServer([served]) { server in
            let prompt = "The capital of France is"
            let request: [String: Any] = ["model": "smollm2", "prompt": prompt, "max_tokens": 12, "temperature": 0]
            let response = try await HTTPTestClient.request(port: server.port, path: "/v1/completions", json: jsonText(request))
            let body = try #require(response.json)
            #expect(body["object"] as? String == "text_completion")
            let choice = try #require((body["choices"] as? [[String: Any]])?.first)
            var options = GenerationOptions()
            options.maxTokens = 12
            let expected = try served.model.complete(prompt, options: options)
            #expect(choice["text"] as? String == expected.text)
            #expect(choice["index"] as? Int == 0)
            #expect((body["usage"] as? [String: Int])?["prompt_tokens"] == expected.promptTokens.count)

            var streamedRequest = request
            streamedRequest["stream"] = true
            let streamed = try await HTTPTestClient.request(port: server.port, path: "/v1/completions",
                                                            json: jsonText(streamedRequest))
            let summary = StreamSummary(streamed.events)
            #expect(summary.text == expected.text)
            #expect(summary.done)
            #expect(summary.usage == nil, "usage only when stream_options.include_usage is set")

            // A stop string ends the text before it; finish_reason is stop.
            let stop = String(expected.text.dropFirst(3).prefix(3))
            var stopped = request
            stopped["stop"] = [stop]
            let stoppedBody = try #require(try await HTTPTestClient.request(
                port: server.port, path: "/v1/completions", json: jsonText(stopped)).json)
            let stoppedChoice = try #require((stoppedBody["choices"] as? [[String: Any]])?.first)
            #expect(stoppedChoice["text"] as? String == expected.text.components(separatedBy: stop)[0])
            #expect(stoppedChoice["finish_reason"] as? String == "stop")

            // Two prompts: two choices in order; usage adds up.
            var two = request
            two["prompt"] = [prompt, "1, 2, 3,"]
            two["max_tokens"] = 4
            let twoBody = try #require(try await HTTPTestClient.request(
                port: server.port, path: "/v1/completions", json: jsonText(two)).json)
            let choices = try #require(twoBody["choices"] as? [[String: Any]])
            #expect(choices.map { $0["index"] as? Int } == [0, 1])
            options.maxTokens = 4
            let second = try served.model.complete("1, 2, 3,", options: options)
            #expect(choices[1]["text"] as? String == second.text)
            #expect(choices[1]["finish_reason"] as? String == "length")
            let usage = try #require(twoBody["usage"] as? [String: Int])
            #expect(usage["completion_tokens"] == 8)
        }
    }

    @Test("log-probabilities: one entry per token, the greedy token is the top alternative, values are log-softmax")
    func logprobs() async throws {
        let served = try ServerFixture.smolLM2()
        try await ServerFixture.withServer([served]) { server in
            let request: [String: Any] = [
                "model": "smollm2", "messages": Self.chatMessages, "max_tokens": 6, "temperature": 0,
                "logprobs": true, "top_logprobs": 3,
            ]
            let body = try #require(try await HTTPTestClient.request(
                port: server.port, path: "/v1/chat/completions", json: jsonText(request)).json)
            let choice = try #require((body["choices"] as? [[String: Any]])?.first)
            let content = try #require((choice["logprobs"] as? [String: Any])?["content"] as? [[String: Any]])
            let usage = try #require(body["usage"] as? [String: Int])
            #expect(content.count == usage["completion_tokens"])
            for entry in content {
                let top = try #require(entry["top_logprobs"] as? [[String: Any]])
                #expect(top.count == 3)
                let logprob = try #require(entry["logprob"] as? Double)
                #expect(top[0]["token"] as? String == entry["token"] as? String)
                #expect(abs((top[0]["logprob"] as? Double ?? 0) - logprob) < 1e-9)
                let values = top.compactMap { $0["logprob"] as? Double }
                #expect(values == values.sorted(by: >))
                #expect(logprob <= 0 && values.map(exp).reduce(0, +) <= 1 + 1e-9)
            }
            let joined = content.compactMap { $0["token"] as? String }.joined()
            #expect(joined.hasPrefix(choice["message"].flatMap { ($0 as? [String: Any])?["content"] as? String } ?? "?"))

            // The streamed form carries the same entries, spread over the chunks.
            var streamed = request
            streamed["stream"] = true
            let events = try await HTTPTestClient.request(
                port: server.port, path: "/v1/chat/completions", json: jsonText(streamed)).events
            let streamedTokens = StreamSummary(events).objects.flatMap { object in
                (object["choices"] as? [[String: Any]] ?? []).flatMap { choice in
                    ((choice["logprobs"] as? [String: Any])?["content"] as? [[String: Any]] ?? []).compactMap { $0["token"] as? String }
                }
            }
            #expect(streamedTokens == content.compactMap { $0["token"] as? String })
        }
    }

    @Test("models, health and metrics")
    func infoEndpoints() async throws {
        let served = try ServerFixture.smolLM2()
        try await ServerFixture.withServer([served]) { server in
            let models = try #require(try await HTTPTestClient.request(port: server.port, method: "GET", path: "/v1/models").json)
            #expect(models["object"] as? String == "list")
            let data = try #require(models["data"] as? [[String: Any]])
            #expect(data.map { $0["id"] as? String } == ["smollm2"])
            #expect(data.first?["object"] as? String == "model")
            #expect(data.first?["owned_by"] as? String == "nexttoken")
            let health = try await HTTPTestClient.request(port: server.port, method: "GET", path: "/health")
            #expect(health.status == 200 && health.json?["status"] as? String == "ok")

            let request: [String: Any] = ["model": "smollm2", "prompt": "Hi", "max_tokens": 3, "temperature": 0]
            _ = try await HTTPTestClient.request(port: server.port, path: "/v1/completions", json: jsonText(request))
            let metrics = try await HTTPTestClient.request(port: server.port, method: "GET", path: "/metrics")
            #expect(metrics.status == 200)
            #expect(metrics.headers["content-type"]?.hasPrefix("text/plain") == true)
            let text = metrics.text
            for line in [
                #"nexttoken_requests_total{endpoint="/v1/completions",status="200"} 1"#,
                #"nexttoken_requests_total{endpoint="/v1/models",status="200"} 1"#,
                "nexttoken_completion_tokens_total 3", "nexttoken_busy_slots 0", "nexttoken_queue_depth 0",
                "nexttoken_slots 2", "nexttoken_time_to_first_token_seconds_count 1",
                "nexttoken_time_per_output_token_seconds_count 1", "# TYPE nexttoken_time_to_first_token_seconds histogram",
            ] {
                #expect(text.contains(line + "\n"), "missing \(line) in:\n\(text)")
            }
        }
    }

    @Test("an API key is required when set, except for /health")
    func apiKey() async throws {
        let served = try ServerFixture.smolLM2()
        try await ServerFixture.withServer([served], configure: { $0.apiKey = "sekret" }) { server in
            let missing = try await HTTPTestClient.request(port: server.port, method: "GET", path: "/v1/models")
            #expect(missing.status == 401)
            #expect(missing.error?["code"] as? String == "invalid_api_key")
            let wrong = try await HTTPTestClient.request(port: server.port, method: "GET", path: "/v1/models",
                                                         headers: ["Authorization": "Bearer sekreT"])
            #expect(wrong.status == 401)
            let right = try await HTTPTestClient.request(port: server.port, method: "GET", path: "/v1/models",
                                                         headers: ["Authorization": "Bearer sekret"])
            #expect(right.status == 200)
            let health = try await HTTPTestClient.request(port: server.port, method: "GET", path: "/health")
            #expect(health.status == 200)
        }
    }
}
