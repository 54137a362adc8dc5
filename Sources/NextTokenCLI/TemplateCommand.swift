import ArgumentParser
import Foundation
import NextToken
import NextTokenChatTemplate

/// `nexttoken template`: work with chat templates.
struct TemplateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "template", abstract: "Work with chat templates.", subcommands: [TemplateRenderCommand.self])
}

/// `nexttoken template render`: render a conversation with a model's or a file's chat template.
struct TemplateRenderCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "render",
        abstract: "Print a conversation rendered by a chat template, exactly (no newline added).",
        discussion: """
            Errors in the template print as line:column: message on stderr. With --model, bos and eos default \
            to the model's BOS/EOS token texts; with --template they default to empty.
            """)

    @Option(help: "A GGUF path or a cached model's short name whose tokenizer.chat_template is rendered.")
    var model: String?

    @Option(help: "A file holding the Jinja chat template.")
    var template: String?

    @Option(help: "A JSON file with the list of messages ('-' reads stdin).")
    var messages: String

    @Flag(help: "Set add_generation_prompt, ending with the assistant's turn.")
    var addGenerationPrompt = false

    @Option(help: "The bos_token text.")
    var bos: String?

    @Option(help: "The eos_token text.")
    var eos: String?

    @Option(help: "A JSON file with the tool definitions passed as tools.")
    var tools: String?

    func validate() throws {
        if (model == nil) == (template == nil) { throw ValidationError("give exactly one of --model and --template") }
    }

    func run() throws {
        var source: String
        var bosText = bos ?? ""
        var eosText = eos ?? ""
        if let template {
            source = try String(contentsOf: URL(fileURLWithPath: template), encoding: .utf8)
        } else {
            let loaded = try Model.load(model)
            guard let own = loaded.chatTemplate else {
                throw ValidationError("the model has no chat template (tokenizer.chat_template)")
            }
            source = own
            bosText = bos ?? loaded.bosTokenText
            eosText = eos ?? loaded.eosTokenText
        }
        do {
            guard case .array(let conversation) = try TemplateValue(jsonData: try Self.read(messages)) else {
                throw ValidationError("--messages must hold a JSON list of messages")
            }
            let toolValue = try tools.map { path throws in try TemplateValue(jsonData: try Self.read(path)) }
            let output = try ChatTemplate(source: source).render(
                messages: conversation, addGenerationPrompt: addGenerationPrompt, bosToken: bosText,
                eosToken: eosText, tools: toolValue)
            FileHandle.standardOutput.write(Data(output.utf8))
        } catch let error as ChatTemplateError {
            StandardError.print(error.description)
            throw ExitCode.failure
        }
    }

    private static func read(_ path: String) throws -> Data {
        path == "-" ? FileHandle.standardInput.readDataToEndOfFile() : try Data(contentsOf: URL(fileURLWithPath: path))
    }
}
