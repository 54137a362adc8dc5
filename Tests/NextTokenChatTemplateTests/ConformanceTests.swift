import Foundation
import NextTokenChatTemplate
import NextTokenGGUF
import NextTokenTestSupport
import Testing

@Suite("Chat templates against jinja2's renderings")
struct ConformanceTests {
    static let fileCases: [ConformanceData.Case] = (try? ConformanceData.cases().filter { !$0.template.hasPrefix("gguf:") }) ?? []

    @Test("the reference data is all there")
    func dataIsPresent() throws {
        let all = try ConformanceData.cases()
        #expect(all.count == 416)
        #expect(Self.fileCases.count == 390)
        #expect(try ConformanceData.malformed().count == 20)
        #expect(try ConformanceData.conversations().count == 13)
    }

    @Test("every written template renders every conversation byte for byte", arguments: fileCases)
    func rendersLikeJinja(_ testCase: ConformanceData.Case) throws {
        let conversations = try ConformanceData.conversations()
        let conversation = try #require(conversations[testCase.conversation])
        let template = try ChatTemplate(source: try ConformanceData.templateSource(testCase.template))
        try Self.check(template, testCase, conversation)
    }

    @Test("SmolLM2's template, read from its GGUF, renders as jinja2 does")
    func smolLM2FromGGUF() throws {
        let file = try GGUFFile(path: try TestModels.requireOrSkip("smollm2"))
        let source = try #require(file.metadata["tokenizer.chat_template"]?.string)
        #expect(source.unicodeScalars.count == 368)
        let template = try ChatTemplate(source: source)
        let conversations = try ConformanceData.conversations()
        let cases = try ConformanceData.cases().filter { $0.template == "gguf:smollm2" }
        #expect(cases.count == 26)
        for testCase in cases {
            try Self.check(template, testCase, try #require(conversations[testCase.conversation]))
        }
    }

    @Test("Gemma 3's GGUF carries no chat template at all")
    func gemma3HasNoTemplate() throws {
        let file = try GGUFFile(path: try TestModels.requireOrSkip("gemma3"))
        #expect(file.metadata["tokenizer.chat_template"] == nil)
        #expect(!file.metadata.keys.contains { $0.contains("chat") || $0.contains("template") })
    }

    static func check(
        _ template: ChatTemplate, _ testCase: ConformanceData.Case, _ conversation: ConformanceData.Conversation
    ) throws {
        let result = Result { () throws(ChatTemplateError) in try ConformanceData.render(template, testCase, conversation) }
        if let expected = testCase.output {
            let output = try result.get()
            #expect(Array(output.utf8) == Array(expected.utf8), "\(testCase.testDescription)\n--- got ---\n\(output)\n--- expected ---\n\(expected)")
            return
        }
        switch (testCase.error_type, result) {
        case ("TemplateError", .failure(.raised(let message, _))):
            #expect(message == testCase.message)
        case ("UndefinedError", .failure(.undefined(let message, _))):
            #expect(message == testCase.message)
        default:
            Issue.record("\(testCase.testDescription): expected \(testCase.error_type ?? "?"), got \(result)")
        }
    }
}
