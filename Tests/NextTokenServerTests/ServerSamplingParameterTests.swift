import Foundation
import NextToken
import NextTokenChatTemplate
import NextTokenCore
import NextTokenOpenAIAPI
import NextTokenSampling
import NextTokenServer
import Testing

@Suite("Server penalties, logit bias and speculation on SmolLM2", .serialized)
struct ServerSamplingParameterTests {
    static let repetitive = "The cat sat on the mat. The cat sat on the"
    static let code = "def add(a, b):\n    return a + b\n\ndef sub(a, b):\n    return a - b\n\ndef mul(a, b):\n"

    /// A text completion's first choice and usage.
    static func complete(_ port: Int, _ request: [String: Any]) async throws -> (text: String, usage: [String: Int]) {
        let response = try await HTTPTestClient.request(port: port, path: "/v1/completions", json: jsonText(request))
        #expect(response.status == 200, "\(response.text.prefix(300))")
        let choice = try #require((response.json?["choices"] as? [[String: Any]])?.first)
        return (try #require(choice["text"] as? String), try #require(response.json?["usage"] as? [String: Int]))
    }

    /// What the engine generates for `prompt` with `sampling`.
    static func engine(_ served: ServedModel, _ prompt: String, maxTokens: Int, _ sampling: SamplingParameters,
                       speculation: SpeculationMethod = .none) throws -> GenerationSummary {
        var options = GenerationOptions()
        options.maxTokens = maxTokens
        options.sampling = sampling
        options.speculation = speculation
        return try served.model.complete(prompt, options: options)
    }

    @Test("penalties change greedy output on a repetitive prompt and equal the engine's with the same settings")
    func penalties() async throws {
        let served = try ServerFixture.smolLM2()
        try await ServerFixture.withServer([served]) { server in
            let base: [String: Any] = ["model": "smollm2", "prompt": Self.repetitive, "max_tokens": 12, "temperature": 0]
            let plain = try await Self.complete(server.port, base)
            #expect(plain.text == (try Self.engine(served, Self.repetitive, maxTokens: 12, .greedy)).text)
            let cases: [(String, Double, SamplingParameters)] = [
                ("repeat_penalty", 1.5, SamplingParameters(temperature: 0, repetitionPenalty: 1.5)),
                ("frequency_penalty", 1, SamplingParameters(temperature: 0, frequencyPenalty: 1)),
                ("presence_penalty", 2, SamplingParameters(temperature: 0, presencePenalty: 2)),
            ]
            for (param, value, sampling) in cases {
                var request = base
                request[param] = value
                let penalized = try await Self.complete(server.port, request)
                let expected = try Self.engine(served, Self.repetitive, maxTokens: 12, sampling)
                #expect(penalized.text == expected.text, "\(param)")
                #expect(penalized.text != plain.text, "\(param) left the output unchanged: \(penalized.text)")
                #expect(penalized.usage["completion_tokens"] == expected.tokens.count)
            }
            // Penalties and sampling together, seeded: still the engine's output.
            var sampled = base
            sampled["temperature"] = 0.8
            sampled["seed"] = 99
            sampled["frequency_penalty"] = 0.7
            sampled["repeat_penalty"] = 1.2
            let text = try await Self.complete(server.port, sampled).text
            let expected = try Self.engine(served, Self.repetitive, maxTokens: 12, SamplingParameters(
                temperature: 0.8, seed: 99, repetitionPenalty: 1.2, frequencyPenalty: 0.7))
            #expect(text == expected.text)
        }
    }

    @Test("logit_bias: -100 on the greedy token avoids it, +100 on a token forces it; equal to the engine")
    func logitBias() async throws {
        let served = try ServerFixture.smolLM2()
        try await ServerFixture.withServer([served]) { server in
            let prompt = "The capital of France is"
            let plain = try Self.engine(served, prompt, maxTokens: 6, .greedy)
            let greedyToken = plain.tokens[0]
            let request: [String: Any] = [
                "model": "smollm2", "prompt": prompt, "max_tokens": 6, "temperature": 0,
                "logit_bias": [String(greedyToken): -100],
            ]
            let avoided = try await Self.complete(server.port, request)
            let expected = try Self.engine(served, prompt, maxTokens: 6, SamplingParameters(
                temperature: 0, logitBias: [greedyToken: -100]))
            #expect(avoided.text == expected.text)
            #expect(!expected.tokens.contains(greedyToken))
            #expect(avoided.text != plain.text)

            let forcedToken = plain.tokens[1]
            var forcing = request
            forcing["logit_bias"] = [String(forcedToken): 100]
            let forced = try await Self.complete(server.port, forcing)
            let forcedExpected = try Self.engine(served, prompt, maxTokens: 6, SamplingParameters(
                temperature: 0, logitBias: [forcedToken: 100]))
            #expect(forced.text == forcedExpected.text)
            #expect(forcedExpected.tokens == Array(repeating: forcedToken, count: 6))

            // The chat endpoint takes the same field.
            let chat: [String: Any] = [
                "model": "smollm2", "messages": [["role": "user", "content": "Say hi."]], "max_tokens": 3,
                "temperature": 0, "logit_bias": [String(forcedToken): 100],
            ]
            let response = try await HTTPTestClient.request(port: server.port, path: "/v1/chat/completions",
                                                            json: jsonText(chat))
            let content = ((response.json?["choices"] as? [[String: Any]])?.first?["message"] as? [String: Any])?["content"]
            #expect(content as? String == String(repeating: Self.piece(served, forcedToken), count: 3))
        }
    }

    /// The text of one token.
    static func piece(_ served: ServedModel, _ token: TokenID) -> String {
        String(decoding: (try? served.model.tokenizer.tokenBytes(token)) ?? [], as: UTF8.self)
    }

    @Test("speculate per request: text identical to none, greedy and seeded; acceptance appears in /metrics")
    func speculation() async throws {
        let served = try ServerFixture.smolLM2()
        try await ServerFixture.withServer([served]) { server in
            let settings: [[String: Any]] = [
                ["temperature": 0],
                ["temperature": 0.8, "seed": 11],
                ["temperature": 0.7, "seed": 3, "top_p": 0.9, "repeat_penalty": 1.3, "presence_penalty": 0.5],
            ]
            for extra in settings {
                var request: [String: Any] = ["model": "smollm2", "prompt": Self.code, "max_tokens": 24]
                request.merge(extra) { $1 }
                let reference = try await Self.complete(server.port, request)
                for method in ["lookup", "recycling", "goose"] {
                    request["speculate"] = method
                    let speculated = try await Self.complete(server.port, request)
                    #expect(speculated.text == reference.text, "\(method) with \(extra)")
                    #expect(speculated.usage == reference.usage, "\(method) with \(extra)")
                }
                request["speculate"] = "none"
                #expect(try await Self.complete(server.port, request).text == reference.text)
            }
            // Streamed, speculating: the deltas add up to the same text.
            let streamedRequest: [String: Any] = [
                "model": "smollm2", "prompt": Self.code, "max_tokens": 24, "temperature": 0, "speculate": "goose",
                "stream": true,
            ]
            let events = try await HTTPTestClient.request(port: server.port, path: "/v1/completions",
                                                          json: jsonText(streamedRequest)).events
            let greedy = try Self.engine(served, Self.code, maxTokens: 24, .greedy)
            #expect(StreamSummary(events).text == greedy.text)

            let metrics = try await HTTPTestClient.request(port: server.port, method: "GET", path: "/metrics").text
            #expect(metrics.contains(#"nexttoken_speculative_requests_total{method="lookup"} 3"# + "\n"), "\(metrics)")
            #expect(metrics.contains(#"nexttoken_speculative_requests_total{method="recycling"} 3"# + "\n"))
            #expect(metrics.contains(#"nexttoken_speculative_requests_total{method="goose"} 4"# + "\n"))
            #expect(!metrics.contains(#"{method="none"}"#), "plain decoding is not counted as speculation")
            #expect(metrics.contains("# TYPE nexttoken_speculative_acceptance_ratio gauge\n"))
            let lookupAccepted = Self.value(metrics, #"nexttoken_speculative_accepted_tokens_total{method="lookup"}"#)
            let lookupDrafted = Self.value(metrics, #"nexttoken_speculative_draft_tokens_total{method="lookup"}"#)
            let ratio = Self.value(metrics, #"nexttoken_speculative_acceptance_ratio{method="lookup"}"#)
            // The draft gate decides from measured step times whether a draft pays, so whether
            // one is accepted depends on the machine; that lookup drafts at all on repetitive code
            // does not.
            #expect(lookupDrafted > 0, "prompt lookup drafts on repetitive code")
            #expect(lookupDrafted >= lookupAccepted)
            #expect(abs(ratio - lookupAccepted / lookupDrafted) < 1e-9)
        }
    }

    /// The value of the exposition line that starts with `series`.
    static func value(_ metrics: String, _ series: String) -> Double {
        metrics.split(separator: "\n").first { $0.hasPrefix(series + " ") }
            .flatMap { Double($0.dropFirst(series.count + 1)) } ?? -1
    }
}

@Suite("Server refuses bad penalty, bias, speculation and n values", .serialized)
struct ServerSamplingParameterErrorTests {
    @Test("each bad value gets a 400 OpenAI error naming the parameter, streamed or not")
    func badValues() async throws {
        let served = try ServerFixture.synthetic()
        let vocabularySize = served.model.languageModel.vocabularySize
        let cases: [(field: String, param: String, code: String?)] = [
            (#""presence_penalty":2.5"#, "presence_penalty", nil),
            (#""frequency_penalty":-3"#, "frequency_penalty", nil),
            (#""repeat_penalty":-1"#, "repeat_penalty", nil),
            (#""logit_bias":{"x1":-5}"#, "logit_bias", nil),
            (#""logit_bias":{"3":-100.5}"#, "logit_bias", nil),
            ("\"logit_bias\":{\"\(vocabularySize)\":-100}", "logit_bias", nil),
            (#""speculate":"medusa""#, "speculate", nil),
            (#""speculate":"llama-lookup""#, "speculate", "not_implemented"),
            (#""n":17"#, "n", nil),
        ]
        try await ServerFixture.withServer([served]) { server in
            for (field, param, code) in cases {
                for stream in [false, true] {
                    let json = #"{"model":"tiny","max_tokens":2,"stream":\#(stream),"messages":[{"role":"user","content":"hi"}],"#
                        + field + "}"
                    let response = try await HTTPTestClient.request(port: server.port, path: "/v1/chat/completions", json: json)
                    #expect(response.status == 400, "\(field): \(response.text.prefix(300))")
                    #expect(response.error?["type"] as? String == "invalid_request_error", "\(field)")
                    #expect(response.error?["param"] as? String == param, "\(field): \(response.text.prefix(300))")
                    #expect(response.error?["code"] as? String == code, "\(field)")
                }
            }
            let outside = try await HTTPTestClient.request(
                port: server.port, path: "/v1/completions",
                json: "{\"model\":\"tiny\",\"prompt\":\"a\",\"logit_bias\":{\"\(vocabularySize + 5)\":1}}")
            let message = outside.error?["message"] as? String ?? ""
            #expect(message.contains("\(vocabularySize + 5)") && message.contains("\(vocabularySize - 1)"), "\(message)")
            // The last token id is inside the vocabulary.
            let inside = try await HTTPTestClient.request(
                port: server.port, path: "/v1/completions",
                json: "{\"model\":\"tiny\",\"prompt\":\"a\",\"max_tokens\":2,\"logit_bias\":{\"\(vocabularySize - 1)\":1}}")
            #expect(inside.status == 200, "\(inside.text.prefix(300))")
        }
    }
}
