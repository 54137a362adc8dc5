import Foundation
import NextTokenServer
import Testing

@Suite("Server against malformed and hostile requests", .serialized)
struct ServerBadInputTests {
    /// One hostile request: its raw bytes and the status it must get.
    struct Case: Sendable, CustomStringConvertible {
        let name: String
        let bytes: [UInt8]
        let status: Int
        var description: String { name }
    }

    static let chat = "/v1/chat/completions"
    static let user = #""messages":[{"role":"user","content":"hi"}]"#

    static func post(_ path: String, _ body: [UInt8], contentType: String? = "application/json",
                     extraHeaders: [String: String] = [:]) -> [UInt8] {
        var headers = extraHeaders
        if let contentType { headers["Content-Type"] = contentType }
        return HTTPTestClient.requestHead(method: "POST", path: path, headers: headers, bodyLength: body.count) + body
    }

    static func chatCase(_ name: String, _ json: String, _ status: Int) -> Case {
        Case(name: name, bytes: post(chat, Array(json.utf8)), status: status)
    }

    /// A chat request with `field` added to a valid body (no `max_tokens` unless `field` sets it).
    static func field(_ name: String, _ field: String, _ status: Int) -> Case {
        chatCase(name, #"{"model":"tiny","# + user + "," + field + "}", status)
    }

    static let cases: [Case] = {
        var cases: [Case] = [
            chatCase("truncated JSON", #"{"model":"tiny","messages":"#, 400),
            chatCase("empty body", "", 400),
            chatCase("null body", "null", 400),
            chatCase("array body", "[]", 400),
            chatCase("string body", #""hello""#, 400),
            chatCase("model of the wrong type", #"{"model":123,"# + user + "}", 400),
            chatCase("messages not an array", #"{"model":"tiny","messages":"hi"}"#, 400),
            chatCase("no messages", #"{"model":"tiny","messages":[]}"#, 400),
            chatCase("unknown role", #"{"model":"tiny","messages":[{"role":"wizard","content":"x"}]}"#, 400),
            chatCase("tool role", #"{"model":"tiny","messages":[{"role":"tool","content":"x"}]}"#, 400),
            chatCase("numeric content", #"{"model":"tiny","messages":[{"role":"user","content":5}]}"#, 400),
            chatCase("image part", #"{"model":"tiny","messages":[{"role":"user","content":[{"type":"image_url","image_url":{"url":"x"}}]}]}"#, 400),
            chatCase("user message without content", #"{"model":"tiny","messages":[{"role":"user"}]}"#, 400),
            chatCase("missing model", "{" + user + "}", 400),
            chatCase("missing messages", #"{"model":"tiny"}"#, 400),
            chatCase("unknown model", #"{"model":"gpt-4","# + user + "}", 404),
            chatCase("deeply nested JSON", #"{"model":"tiny","x":"# + String(repeating: "[", count: 100_000)
                + String(repeating: "]", count: 100_000) + "," + user + "}", 400),
            field("max_tokens beyond any integer", #""max_tokens":1e30"#, 400),
            field("negative max_tokens", #""max_completion_tokens":-1"#, 400),
            field("max_tokens as a string", #""max_tokens":"5""#, 400),
            field("temperature as a string", #""temperature":"hot""#, 400),
            field("temperature beyond a double", #""temperature":1e400"#, 400),
            field("negative temperature", #""temperature":-1"#, 400),
            field("top_p above 1", #""top_p":2"#, 400),
            field("n above the limit", #""n":17"#, 400),
            field("n of zero", #""n":0"#, 400),
            field("fractional seed", #""seed":1.5"#, 400),
            field("seed beyond 64 bits", #""seed":1180591620717411303424"#, 400),
            field("numeric stop", #""stop":42"#, 400),
            field("five stop strings", #""stop":["a","b","c","d","e"]"#, 400),
            field("presence penalty above 2", #""presence_penalty":3"#, 400),
            field("frequency penalty below -2", #""frequency_penalty":-2.5"#, 400),
            field("zero repeat penalty", #""repeat_penalty":0"#, 400),
            field("logit bias keyed by a word", #""logit_bias":{"hello":5}"#, 400),
            field("logit bias beyond 100", #""logit_bias":{"1":150}"#, 400),
            field("logit bias on a token outside the vocabulary", #""logit_bias":{"1000000":-100}"#, 400),
            field("logit bias of the wrong type", #""logit_bias":[1,2]"#, 400),
            field("unknown speculation", #""speculate":"draft""#, 400),
            field("speculation method the server does not run", #""speculate":"llama-lookup""#, 400),
            field("speculation as a number", #""speculate":1"#, 400),
            field("logprobs as a string", #""logprobs":"yes""#, 400),
            field("too many top logprobs", #""logprobs":true,"top_logprobs":100"#, 400),
            field("stream as a string", #""stream":"yes""#, 400),
            field("unknown fields are ignored", #""max_tokens":2,"frobnicate":1,"nested":{"deep":[1,{"x":null}]}"#, 200),
            field("a huge max_tokens is clamped to the context", #""max_tokens":1000000000000"#, 200),
            Case(name: "text/plain body", bytes: post(chat, Array(#"{"model":"tiny"}"#.utf8), contentType: "text/plain"),
                 status: 415),
            Case(name: "form body", bytes: post(chat, Array("a=b".utf8), contentType: "application/x-www-form-urlencoded"),
                 status: 415),
            Case(name: "invalid UTF-8 in a string",
                 bytes: post(chat, Array(#"{"model":"tiny","messages":[{"role":"user","content":""#.utf8) + [0xFF, 0xFE, 0xC3]
                    + Array(#""}]}"#.utf8)), status: 400),
            Case(name: "10 MB body", bytes: post(chat, [UInt8](repeating: UInt8(ascii: " "), count: 10 << 20)), status: 413),
            Case(name: "10 MB chunked body", bytes: chunked(chat, [UInt8](repeating: UInt8(ascii: " "), count: 10 << 20)),
                 status: 413),
            Case(name: "prompt longer than the context",
                 bytes: post("/v1/completions", Array(#"{"model":"tiny","prompt":""#.utf8)
                    + Array(String(repeating: "ab", count: 400).utf8) + Array(#""}"#.utf8)), status: 400),
            Case(name: "empty prompt list", bytes: post("/v1/completions", Array(#"{"model":"tiny","prompt":[]}"#.utf8)),
                 status: 400),
            Case(name: "token-id prompt", bytes: post("/v1/completions", Array(#"{"model":"tiny","prompt":[1,2]}"#.utf8)),
                 status: 400),
            Case(name: "echo", bytes: post("/v1/completions", Array(#"{"model":"tiny","prompt":"a","echo":true}"#.utf8)),
                 status: 400),
            Case(name: "GET on a POST endpoint", bytes: Array("GET /v1/chat/completions HTTP/1.1\r\nHost: x\r\n\r\n".utf8),
                 status: 404),
            Case(name: "unknown path", bytes: Array("GET /v2/engines HTTP/1.1\r\nHost: x\r\n\r\n".utf8), status: 404),
            Case(name: "garbage request line", bytes: Array("HELLO WORLD\r\n\r\n".utf8), status: 400),
            Case(name: "valid chunked body", bytes: chunked(chat, Array((#"{"model":"tiny","max_tokens":2,"# + user + "}").utf8)),
                 status: 200),
        ]
        cases.append(Case(
            name: "declared length over the limit",
            bytes: Array("POST \(chat) HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 5000000\r\n\r\n{}".utf8),
            status: 413))
        return cases
    }()

    /// `body` sent with chunked transfer encoding, in 64 KB chunks.
    static func chunked(_ path: String, _ body: [UInt8]) -> [UInt8] {
        var bytes = Array("POST \(path) HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n".utf8)
        var offset = 0
        while offset < body.count {
            let end = min(offset + 65536, body.count)
            bytes += Array((String(end - offset, radix: 16) + "\r\n").utf8) + body[offset ..< end] + [13, 10]
            offset = end
        }
        return bytes + Array("0\r\n\r\n".utf8)
    }

    @Test("at least 30 hostile requests each get the right status and an OpenAI error body; the server keeps serving")
    func hostileRequests() async throws {
        #expect(Self.cases.count >= 30)
        let served = try ServerFixture.synthetic()
        try await ServerFixture.withServer([served], configure: { $0.bodyTimeout = .seconds(1) }) { server in
            for hostile in Self.cases {
                let response = try await HTTPTestClient.raw(port: server.port, bytes: hostile.bytes)
                #expect(response.status == hostile.status, "\(hostile.name): \(response.status) \(response.text.prefix(300))")
                if hostile.status != 200 && hostile.name != "garbage request line" {
                    let error = response.error
                    #expect(error?["message"] is String && error?["type"] is String, "\(hostile.name): \(response.text.prefix(300))")
                    #expect(error?.keys.contains("param") == true && error?.keys.contains("code") == true)
                }
            }
            // Context overflow names both counts.
            let overflow = try await HTTPTestClient.raw(port: server.port, bytes: Self.cases.first { $0.name == "prompt longer than the context" }!.bytes)
            let message = overflow.error?["message"] as? String ?? ""
            #expect(message.contains("800 tokens") && message.contains("256 tokens"), "\(message)")
            #expect(overflow.error?["code"] as? String == "context_length_exceeded")
            let clamped = try await HTTPTestClient.raw(port: server.port, bytes: Self.cases.first { $0.name.hasPrefix("a huge max_tokens") }!.bytes)
            let usage = try #require(clamped.json?["usage"] as? [String: Int])
            #expect((usage["total_tokens"] ?? .max) <= 256)

            // Slowloris: a body that never finishes gets 408 after the body timeout.
            let start = ContinuousClock.now
            let partial = Array("POST \(Self.chat) HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"model\":".utf8)
            let slow = try await HTTPTestClient.onThread {
                let connection = try SocketConnection(port: server.port, readTimeout: .seconds(30))
                defer { connection.close() }
                try connection.send(partial)
                var reader = HTTPResponseReader(connection: connection)
                return try reader.readResponse { _ in true }
            }
            #expect(slow.status == 408)
            #expect(ContinuousClock.now - start < .seconds(10))

            // A request after all of them succeeds.
            let fine = try await HTTPTestClient.request(
                port: server.port, path: Self.chat, json: #"{"model":"tiny","max_tokens":3,"# + Self.user + "}")
            #expect(fine.status == 200)
            #expect((fine.json?["usage"] as? [String: Int])?["completion_tokens"] ?? 0 > 0)
        }
    }

    @Test("a full queue answers 429 with Retry-After")
    func queueFull() async throws {
        let served = try ServerFixture.smolLM2()
        try await ServerFixture.withServer([served], configure: { $0.parallel = 1; $0.maxQueue = 0 }) { server in
            let long = jsonText(["model": "smollm2", "prompt": "1, 2, 3,", "max_tokens": 200, "temperature": 0, "stream": true])
            let (started, startedSignal) = AsyncStream<Void>.makeStream()
            let release = DispatchSemaphore(value: 0)
            // The holder keeps its slot (its reading thread waits) until the refused request is answered.
            let holder = Task {
                try await HTTPTestClient.stream(port: server.port, path: "/v1/completions", json: long) { _ in
                    startedSignal.yield()
                    release.wait()
                    return false
                }
            }
            for await _ in started { break }
            let refused = try await HTTPTestClient.request(port: server.port, path: "/v1/completions", json: long)
            release.signal()
            _ = try await holder.value
            #expect(refused.status == 429)
            #expect(refused.headers["retry-after"] == "1")
            #expect(refused.error?["type"] as? String == "rate_limit_error")
        }
    }
}
