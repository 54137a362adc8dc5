import Foundation
import NextToken
import NextTokenChatTemplate
import NextTokenSampling
import NextTokenServer
import NextTokenTestSupport
import Testing

@Suite("The official openai Python package against the server", .serialized)
struct OpenAIPythonClientTests {
    /// The interpreter of the private virtual environment `.ci/run` creates.
    static var python: URL {
        SharedData.packageRoot.appendingPathComponent(".build/openai-venv/bin/python3")
    }

    static var script: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Resources/openai_client_check.py")
    }

    /// The venv's python; skips loudly when it is missing, or fails under NEXTTOKEN_REQUIRE_MODELS=1.
    static func requirePython() throws -> URL {
        if FileManager.default.isExecutableFile(atPath: python.path) { return python }
        let notice = "the openai venv is missing at \(python.path); create it with "
            + "`python3 -m venv .build/openai-venv && .build/openai-venv/bin/pip install openai` (or run .ci/run)"
        if TestModels.modelsRequired { throw PythonClientError.missingVenv(notice) }
        print("◇ skipping: \(notice)")
        try Test.cancel(Comment(rawValue: notice))
    }

    @Test("lists models, completes, chats and streams through openai-python")
    func openAIClient() async throws {
        let python = try Self.requirePython()
        let served = try ServerFixture.smolLM2()
        let output = try await ServerFixture.withServer([served]) { server in
            try await HTTPTestClient.onThread {
                let process = Process()
                process.executableURL = python
                process.arguments = [Self.script.path, "http://127.0.0.1:\(server.port)", "smollm2"]
                let stdout = Pipe()
                let stderr = Pipe()
                process.standardOutput = stdout
                process.standardError = stderr
                try process.run()
                let out = stdout.fileHandleForReading.readDataToEndOfFile()
                let err = stderr.fileHandleForReading.readDataToEndOfFile()
                process.waitUntilExit()
                guard process.terminationStatus == 0 else {
                    throw PythonClientError.failed(process.terminationStatus, String(decoding: err, as: UTF8.self))
                }
                return out
            }
        }
        let result = try #require(try JSONSerialization.jsonObject(with: output) as? [String: Any])
        print("◇ openai-python \(result["openai_version"] ?? "?") drove the server")
        #expect(result["models"] as? [String] == ["smollm2"])

        var options = GenerationOptions()
        options.maxTokens = 8
        let completion = try served.model.complete("The capital of France is", options: options)
        #expect(result["completion_text"] as? String == completion.text)
        #expect(result["stream_completion_text"] as? String == completion.text)
        #expect((result["completion_usage"] as? [String: Any])?["completion_tokens"] as? Int == completion.tokens.count)

        options.maxTokens = 16
        options.chat = true
        options.messages = [ChatMessage(role: "user", content: "What is the capital of France?")]
        let chat = try served.model.complete("", options: options)
        #expect(result["chat_text"] as? String == chat.text)
        #expect(result["chat_role"] as? String == "assistant")
        #expect(result["stream_text"] as? String == chat.text)
        #expect((result["chat_usage"] as? [String: Any])?["prompt_tokens"] as? Int == chat.promptTokens.count)
        #expect((result["stream_usage"] as? [String: Any])?["completion_tokens"] as? Int == chat.tokens.count)
        #expect(result["unknown_model_error"] as? Int == 404)
        #expect(result["n2_indices"] as? [Int] == [0, 1])
        #expect(result["n2_completion_tokens"] as? Int ?? 0 > 0)
        #expect(result["bad_bias_error"] as? [AnyHashable] == [400, "logit_bias"])

        options = GenerationOptions()
        options.maxTokens = 8
        options.sampling = SamplingParameters(
            temperature: 0, repetitionPenalty: 1.2, frequencyPenalty: 1, logitBias: [7042: -100])
        let biased = try served.model.complete("The capital of France is", options: options)
        #expect(result["biased_text"] as? String == biased.text)
    }
}

/// Why the Python client check could not run.
enum PythonClientError: Error, CustomStringConvertible {
    case missingVenv(String)
    case failed(Int32, String)

    var description: String {
        switch self {
        case .missingVenv(let notice): notice
        case .failed(let status, let stderr): "the Python client failed (exit \(status)):\n\(stderr)"
        }
    }
}
