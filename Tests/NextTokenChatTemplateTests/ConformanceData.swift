import Foundation
import NextTokenChatTemplate
import NextTokenTestSupport
import Testing

/// The reference renderings in `shared/testdata/chat-templates` (jinja2 3.1.6 as transformers configures it).
enum ConformanceData {
    /// One line of `expected.jsonl`.
    struct Case: Decodable, CustomTestStringConvertible {
        let template: String
        let conversation: String
        let add_generation_prompt: Bool
        let bos_token: String
        let eos_token: String
        let output: String?
        let error: Bool?
        let error_type: String?
        let message: String?

        var testDescription: String { "\(template) × \(conversation) agp=\(add_generation_prompt)" }
    }

    /// One line of `malformed.jsonl`.
    struct Malformed: Decodable, CustomTestStringConvertible {
        let name: String
        let template: String
        let error_type: String
        let line: Int
        let column: Int
        let message: String

        var testDescription: String { name }
    }

    /// A conversation of `conversations.json`, decoded keeping key order.
    struct Conversation {
        let messages: [TemplateValue]
        let extra: [String: TemplateValue]
    }

    static let directory = "testdata/chat-templates/"

    static func cases() throws -> [Case] {
        try SharedData.jsonLines(Case.self, directory + "expected.jsonl")
    }

    static func malformed() throws -> [Malformed] {
        try SharedData.jsonLines(Malformed.self, directory + "malformed.jsonl")
    }

    /// The exact bytes of `templates/<name>.jinja`.
    static func templateSource(_ name: String) throws -> String {
        let data = try Data(contentsOf: SharedData.url(directory + "templates/\(name).jinja"))
        return String(decoding: data, as: UTF8.self)
    }

    static func conversations() throws -> [String: Conversation] {
        let value = try TemplateValue(jsonData: Data(contentsOf: SharedData.url(directory + "conversations.json")))
        guard case .array(let entries) = value else { throw ConformanceDataError.badConversations }
        var result: [String: Conversation] = [:]
        for entry in entries {
            guard case .dictionary(let object) = entry, case .string(let name)? = object["name"],
                  case .array(let messages)? = object["messages"]
            else { throw ConformanceDataError.badConversations }
            var extra: [String: TemplateValue] = [:]
            if case .dictionary(let extras)? = object["extra"] {
                for (key, value) in zip(extras.keys, extras.values) {
                    if case .string(let name) = key { extra[name] = value }
                }
            }
            result[name] = Conversation(messages: messages, extra: extra)
        }
        return result
    }

    /// Renders one case the way `expected.jsonl` was produced.
    static func render(_ template: ChatTemplate, _ testCase: Case, _ conversation: Conversation) throws(ChatTemplateError)
        -> String
    {
        var extra = conversation.extra
        let tools = extra.removeValue(forKey: "tools")
        return try template.render(
            messages: conversation.messages, addGenerationPrompt: testCase.add_generation_prompt,
            bosToken: testCase.bos_token, eosToken: testCase.eos_token, tools: tools, extra: extra)
    }
}

enum ConformanceDataError: Error {
    case badConversations
}
