import Foundation
import NextTokenOpenAIAPI
import Testing

@Suite("OpenAI API types (server)")
struct OpenAIAPITests {
    static func decode<T: Decodable>(_ type: T.Type, _ json: String) throws(OpenAIError) -> T {
        try JSONCoding.decode(type, from: Data(json.utf8))
    }

    static func encode(_ value: some Encodable) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: JSONCoding.encode(value)) as? [String: Any])
    }

    @Test("chat requests: string or text-part content, developer becomes system, unknown fields ignored")
    func chatRequest() throws {
        let request = try Self.decode(ChatCompletionRequest.self, """
            {"model":"m","messages":[{"role":"developer","content":"Be brief."},
             {"role":"user","content":[{"type":"text","text":"Hi "},{"type":"text","text":"there"}]},
             {"role":"assistant","content":null}],
             "max_completion_tokens":5,"seed":-1,"stop":"x","frobnicate":{"a":[1,2]}}
            """)
        let messages = try request.validatedMessages()
        #expect(messages.map(\.role) == ["system", "user", "assistant"])
        #expect(messages.map(\.content) == ["Be brief.", "Hi there", ""])
        let settings = try request.validatedSettings()
        #expect(settings.maxTokens == 5)
        #expect(settings.seed == UInt64.max)
        #expect(settings.stopStrings == ["x"])
        #expect(settings.temperature == 1)
        #expect(settings.logprobs == nil)
        #expect(!settings.stream)
    }

    @Test("completion prompts are a string or an array of strings")
    func completionPrompt() throws {
        #expect(try Self.decode(CompletionRequest.self, #"{"model":"m","prompt":"a"}"#).validatedPrompts() == ["a"])
        #expect(try Self.decode(CompletionRequest.self, #"{"model":"m","prompt":["a","b"]}"#).validatedPrompts()
            == ["a", "b"])
        let error = #expect(throws: OpenAIError.self) {
            try Self.decode(CompletionRequest.self, #"{"model":"m","prompt":[1,2]}"#)
        }
        #expect(error?.param == "prompt")
        #expect(error?.status == 400)
    }

    @Test("decoding errors name the parameter", arguments: [
        (#"{"model":"m","messages":[{"role":"user","content":"x"}],"temperature":"hot"}"#, "temperature", "invalid_type"),
        (#"{"messages":[]}"#, "model", "missing_required_parameter"),
        (#"{"model":"m","messages":[{"role":"user"}],"max_tokens":1.5}"#, "max_tokens", "invalid_value"),
        (#"{"model":"m","messages":[{"content":"x"}]}"#, "messages[0].role", "missing_required_parameter"),
        (#"{"model":"m","messages":[{"role":"user","content":7}]}"#, "messages[0].content", "invalid_type"),
        (#"{"model":"m","messages":"#, nil, "invalid_json"),
    ])
    func decodingErrors(json: String, param: String?, code: String) {
        let error = #expect(throws: OpenAIError.self) { try Self.decode(ChatCompletionRequest.self, json) }
        #expect(error?.status == 400)
        #expect(error?.param == param, "\(String(describing: error))")
        #expect(error?.code == code, "\(String(describing: error))")
    }

    @Test("unimplemented options are refused unless neutral", arguments: [
        (#""tools":[{"type":"function"}]"#, "tools"), (#""response_format":{"type":"json_object"}"#, "response_format"),
    ])
    func notImplemented(field: String, param: String) throws {
        let json = #"{"model":"m","messages":[{"role":"user","content":"x"}],"# + field + "}"
        let request = try Self.decode(ChatCompletionRequest.self, json)
        let error = #expect(throws: OpenAIError.self) { try request.validatedSettings() }
        #expect(error?.param == param)
        #expect(error?.code == "not_implemented")
        #expect(error?.message.contains("not implemented") == true)
    }

    @Test("neutral values of options are accepted")
    func neutralValues() throws {
        let request = try Self.decode(ChatCompletionRequest.self, """
            {"model":"m","messages":[{"role":"user","content":"x"}],"presence_penalty":0,"frequency_penalty":0,
             "repeat_penalty":1,"logit_bias":{},"speculate":"none","n":1,"tools":[],"response_format":{"type":"text"},
             "user":"u"}
            """)
        _ = try request.validatedSettings()
    }

    @Test("ranges are checked", arguments: [
        #""temperature":2.5"#, #""temperature":-0.1"#, #""top_p":1.5"#, #""top_k":-1"#, #""min_p":1"#,
        #""max_tokens":0"#, #""max_tokens":-5"#, #""n":0"#, #""top_logprobs":3"#,
        #""logprobs":true,"top_logprobs":21"#, #""stop":["a","b","c","d","e"]"#, #""stream_options":{}"#,
    ])
    func ranges(field: String) throws {
        let json = #"{"model":"m","messages":[{"role":"user","content":"x"}],"# + field + "}"
        let request = try Self.decode(ChatCompletionRequest.self, json)
        let error = #expect(throws: OpenAIError.self) { try request.validatedSettings() }
        #expect(error?.status == 400)
        #expect(error?.code != "not_implemented")
    }

    @Test("top_p 0 keeps only the most likely token")
    func topPZero() throws {
        let request = try Self.decode(CompletionRequest.self, #"{"model":"m","prompt":"x","top_p":0}"#)
        let settings = try request.validatedSettings()
        #expect(settings.topK == 1 && settings.topP == 1)
    }

    @Test("error bodies have OpenAI's four fields, null when absent")
    func errorBody() throws {
        let body = try Self.encode(OpenAIError.invalidRequest("bad").body)
        let error = try #require(body["error"] as? [String: Any])
        #expect(error["message"] as? String == "bad")
        #expect(error["type"] as? String == "invalid_request_error")
        #expect(error["param"] is NSNull)
        #expect(error["code"] is NSNull)
    }

    @Test("chunks write null finish_reason and logprobs; SSE framing")
    func chunkShape() throws {
        let chunk = ChatCompletionChunk(id: "c", created: 1, model: "m", choices: [.init(index: 0, delta: .init(content: "hi"))])
        let event = try ServerSentEvents.event(chunk)
        let text = String(decoding: event, as: UTF8.self)
        #expect(text.hasPrefix("data: {") && text.hasSuffix("}\n\n"))
        let object = try Self.encode(chunk)
        #expect(object["object"] as? String == "chat.completion.chunk")
        let choice = try #require((object["choices"] as? [[String: Any]])?.first)
        #expect(choice["finish_reason"] is NSNull)
        #expect(choice["logprobs"] is NSNull)
        #expect((choice["delta"] as? [String: Any])?["content"] as? String == "hi")
        #expect(object["usage"] == nil)
        #expect(String(decoding: ServerSentEvents.done, as: UTF8.self) == "data: [DONE]\n\n")
    }

    @Test("log-probabilities in chat and column form; infinities become -9999")
    func logprobShapes() throws {
        let entries = [
            TokenLogprobEntry(token: .init(bytes: Array("He".utf8), logprob: -0.5),
                              top: [.init(bytes: Array("He".utf8), logprob: -0.5), .init(bytes: [0xE2], logprob: -.infinity)]),
            TokenLogprobEntry(token: .init(bytes: Array("llo".utf8), logprob: -1), top: []),
        ]
        let chat = try Self.encode(ChatLogprobs(entries))
        let content = try #require(chat["content"] as? [[String: Any]])
        #expect(content.map { $0["token"] as? String } == ["He", "llo"])
        #expect(content[0]["bytes"] as? [Int] == [72, 101])
        let top = try #require(content[0]["top_logprobs"] as? [[String: Any]])
        #expect(top[1]["logprob"] as? Double == -9999)
        #expect(top[1]["token"] as? String == "\u{FFFD}")
        let columns = try Self.encode(CompletionLogprobs(entries, startingAt: 3))
        #expect(columns["tokens"] as? [String] == ["He", "llo"])
        #expect(columns["token_logprobs"] as? [Double] == [-0.5, -1])
        #expect(columns["text_offset"] as? [Int] == [3, 5])
        #expect((columns["top_logprobs"] as? [[String: Double]])?.first?["He"] == -0.5)
    }
}
