import Foundation
import NextToken
import NextTokenChatTemplate
import NextTokenOpenAIAPI
import NextTokenSampling
import NextTokenServer
import Testing

@Suite("Server n > 1 on SmolLM2", .serialized)
struct ServerChoicesTests {
    static var messages: [[String: Any]] { [["role": "user", "content": "Write a short line about the sea."]] }

    /// The engine's answer to `messages` with `sampling`.
    static func engine(_ served: ServedModel, maxTokens: Int, _ sampling: SamplingParameters) throws -> GenerationSummary {
        var options = GenerationOptions()
        options.maxTokens = maxTokens
        options.sampling = sampling
        options.chat = true
        options.messages = [ChatMessage(role: "user", content: "Write a short line about the sea.")]
        return try served.model.complete("", options: options)
    }

    /// The texts per choice index of a stream, the finish reasons per index, and the chunks that
    /// opened each choice with the assistant role.
    static func choices(_ summary: StreamSummary) -> (texts: [Int: String], finishes: [Int: String], roles: [Int]) {
        var texts: [Int: String] = [:]
        var finishes: [Int: String] = [:]
        var roles: [Int] = []
        for object in summary.objects {
            for choice in object["choices"] as? [[String: Any]] ?? [] {
                guard let index = choice["index"] as? Int else { continue }
                let delta = choice["delta"] as? [String: Any]
                if delta?["role"] as? String == "assistant" { roles.append(index) }
                texts[index, default: ""] += delta?["content"] as? String ?? choice["text"] as? String ?? ""
                if let reason = choice["finish_reason"] as? String { finishes[index] = reason }
            }
        }
        return (texts, finishes, roles)
    }

    @Test("chat n=2: two indexed choices from derived seeds, exact usage; the stream carries choice indices")
    func chat() async throws {
        let served = try ServerFixture.smolLM2()
        try await ServerFixture.withServer([served]) { server in
            var request: [String: Any] = [
                "model": "smollm2", "messages": Self.messages, "max_tokens": 12, "temperature": 0.9, "seed": 5, "n": 2,
            ]
            let response = try await HTTPTestClient.request(port: server.port, path: "/v1/chat/completions",
                                                            json: jsonText(request))
            #expect(response.status == 200, "\(response.text.prefix(300))")
            let choices = try #require(response.json?["choices"] as? [[String: Any]])
            #expect(choices.map { $0["index"] as? Int } == [0, 1])
            let texts = choices.map { ($0["message"] as? [String: Any])?["content"] as? String }

            let settings = try JSONCoding.decode(ChatCompletionRequest.self, from: Data(jsonText(request).utf8))
                .validatedSettings()
            let expected = try (0 ..< 2).map { index in
                try Self.engine(served, maxTokens: 12, SamplingParameters(
                    temperature: 0.9, seed: settings.seed(forChoice: index)))
            }
            #expect(texts == expected.map(\.text))
            #expect(texts[0] != texts[1], "the choices draw from different seeds")
            let usage = try #require(response.json?["usage"] as? [String: Int])
            #expect(usage["prompt_tokens"] == expected[0].promptTokens.count)
            #expect(usage["completion_tokens"] == expected[0].tokens.count + expected[1].tokens.count)
            #expect(usage["total_tokens"] == expected[0].promptTokens.count + expected[0].tokens.count + expected[1].tokens.count)

            // n = 1 with the same seed is choice 0.
            request["n"] = 1
            let single = try await HTTPTestClient.request(port: server.port, path: "/v1/chat/completions",
                                                          json: jsonText(request))
            let singleText = ((single.json?["choices"] as? [[String: Any]])?.first?["message"] as? [String: Any])?["content"]
            #expect(singleText as? String == texts[0])

            request["n"] = 2
            request["stream"] = true
            request["stream_options"] = ["include_usage": true]
            let streamed = try await HTTPTestClient.request(port: server.port, path: "/v1/chat/completions",
                                                            json: jsonText(request))
            let summary = StreamSummary(streamed.events)
            #expect(summary.done)
            let perChoice = Self.choices(summary)
            #expect(perChoice.texts[0] == texts[0] && perChoice.texts[1] == texts[1])
            #expect(perChoice.roles == [0, 1])
            #expect(perChoice.finishes.count == 2)
            #expect(summary.usage?["completion_tokens"] as? Int == usage["completion_tokens"])
            #expect(summary.usage?["prompt_tokens"] as? Int == usage["prompt_tokens"])
        }
    }

    @Test("completions: two prompts × n=2 give choices p × n + c with usage summed exactly")
    func completions() async throws {
        let served = try ServerFixture.smolLM2()
        try await ServerFixture.withServer([served]) { server in
            let prompts = ["The capital of France is", "1, 2, 3,"]
            var request: [String: Any] = ["model": "smollm2", "prompt": prompts, "max_tokens": 5, "temperature": 0, "n": 2]
            let body = try #require(try await HTTPTestClient.request(
                port: server.port, path: "/v1/completions", json: jsonText(request)).json)
            let choices = try #require(body["choices"] as? [[String: Any]])
            #expect(choices.map { $0["index"] as? Int } == [0, 1, 2, 3])
            var options = GenerationOptions()
            options.maxTokens = 5
            let expected = try prompts.map { try served.model.complete($0, options: options) }
            #expect(choices.map { $0["text"] as? String } == [expected[0].text, expected[0].text,
                                                               expected[1].text, expected[1].text])
            let usage = try #require(body["usage"] as? [String: Int])
            #expect(usage["prompt_tokens"] == expected[0].promptTokens.count + expected[1].promptTokens.count)
            #expect(usage["completion_tokens"] == 2 * (expected[0].tokens.count + expected[1].tokens.count))

            request["stream"] = true
            let streamed = StreamSummary(try await HTTPTestClient.request(
                port: server.port, path: "/v1/completions", json: jsonText(request)).events)
            let perChoice = Self.choices(streamed)
            #expect((0 ..< 4).map { perChoice.texts[$0] } == choices.map { $0["text"] as? String })
            #expect(perChoice.finishes.count == 4)
        }
    }
}
