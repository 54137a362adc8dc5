import Foundation
import NextTokenTestSupport
import Testing

@Suite("nexttoken template render")
struct TemplateCommandTests {
    struct Case: Decodable {
        let template: String
        let conversation: String
        let add_generation_prompt: Bool
        let bos_token: String
        let eos_token: String
        let output: String?
    }

    static let directory = "testdata/chat-templates/"

    /// Writes `value` (a JSON fragment of `conversations.json`) to a temporary file.
    static func temporaryJSON(_ data: Data) throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("nexttoken-\(UUID().uuidString).json")
        try data.write(to: url)
        return url.path
    }

    /// The messages (and tools) of one conversation, cut out of `conversations.json` with key order intact.
    static func conversationFiles(_ name: String) throws -> (messages: String, tools: String?) {
        let all = try #require(try JSONSerialization.jsonObject(
            with: Data(contentsOf: SharedData.url(directory + "conversations.json"))) as? [[String: Any]])
        let conversation = try #require(all.first { $0["name"] as? String == name })
        // JSONSerialization loses key order: use these files only with templates that do not print whole objects.
        let messages = try JSONSerialization.data(withJSONObject: conversation["messages"] ?? [])
        let tools = try (conversation["extra"] as? [String: Any])?["tools"].map {
            try temporaryJSON(try JSONSerialization.data(withJSONObject: $0))
        }
        return (try temporaryJSON(messages), tools)
    }

    @Test("template and template render have --help")
    func help() throws {
        for command in [["template"], ["template", "render"]] {
            let result = try CLIRunner.run(command + ["--help"])
            #expect(result.status == 0)
            #expect(result.text.contains("USAGE"))
        }
    }

    @Test("a template file renders a conversation byte for byte as jinja2 did, with no newline added")
    func rendersFile() throws {
        let cases = try SharedData.jsonLines(Case.self, Self.directory + "expected.jsonl")
        let testCase = try #require(cases.first {
            $0.template == "gemma_turns" && $0.conversation == "system_user" && $0.add_generation_prompt
        })
        let files = try Self.conversationFiles(testCase.conversation)
        let result = try CLIRunner.run([
            "template", "render", "--template", SharedData.url(Self.directory + "templates/gemma_turns.jinja").path,
            "--messages", files.messages, "--add-generation-prompt", "--bos", testCase.bos_token,
            "--eos", testCase.eos_token,
        ])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == Data((testCase.output ?? "").utf8))
    }

    @Test("tools come from their own file; bos and eos default to empty with --template")
    func tools() throws {
        let files = try Self.conversationFiles("tool_call")
        let template = try Self.temporaryJSON(Data("{{ tools | length }} {{ tools[0].function.name }}".utf8))
        let result = try CLIRunner.run(["template", "render", "--template", template, "--messages", files.messages,
                                        "--tools", try #require(files.tools)])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.text == "2 get_weather")
        let bos = try Self.temporaryJSON(Data("[{{ bos_token }}|{{ eos_token }}]".utf8))
        let texts = try CLIRunner.run(["template", "render", "--template", bos, "--messages", files.messages])
        #expect(texts.text == "[|]")
    }

    @Test("template errors exit non-zero with line:column: message on stderr")
    func errors() throws {
        let messages = try Self.temporaryJSON(Data(#"[{"role": "user", "content": "Hi"}]"#.utf8))
        let broken = try Self.temporaryJSON(Data("line one\n{{ messages[0]['role'] + }}".utf8))
        let syntax = try CLIRunner.run(["template", "render", "--template", broken, "--messages", messages])
        #expect(syntax.status != 0)
        #expect(syntax.stdout.isEmpty)
        #expect(syntax.stderr == "2:26: unexpected 'end of print statement'\n")
        let raising = try Self.temporaryJSON(Data("{{ raise_exception('no ' ~ messages[0].role) }}".utf8))
        let raised = try CLIRunner.run(["template", "render", "--template", raising, "--messages", messages])
        #expect(raised.status != 0)
        #expect(raised.stderr == "1:4: no user\n")
        let neither = try CLIRunner.run(["template", "render", "--messages", messages])
        #expect(neither.status != 0)
    }

    @Test("--model renders SmolLM2's own template with its BOS/EOS texts")
    func modelTemplate() throws {
        let model = try TestModels.requireOrSkip("smollm2")
        let messages = try Self.temporaryJSON(Data(#"[{"role": "user", "content": "Hello!"}]"#.utf8))
        let result = try CLIRunner.run(["template", "render", "--model", model, "--messages", messages,
                                        "--add-generation-prompt"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.text == "<|im_start|>system\nYou are a helpful AI assistant named SmolLM, trained by Hugging Face"
            + "<|im_end|>\n<|im_start|>user\nHello!<|im_end|>\n<|im_start|>assistant\n")
        let texts = try Self.temporaryJSON(Data("[{{ bos_token }}|{{ eos_token }}]".utf8))
        let special = try CLIRunner.run(["template", "render", "--model", model, "--template", texts, "--messages", messages])
        #expect(special.status != 0, "--model and --template exclude each other")
    }
}
