import NextToken
import NextTokenChatTemplate
import NextTokenTestSupport
import Testing

@Suite("Chat prompts for a model without a chat template (Gemma 3)")
struct ChatTemplateFallbackTests {
    static func options(_ configure: (inout GenerationOptions) -> Void = { _ in }) -> GenerationOptions {
        var options = GenerationOptions()
        options.chat = true
        configure(&options)
        return options
    }

    @Test("Gemma 3's file has no template, so chat mode renders the built-in ChatML after one BOS")
    func builtInChatML() throws {
        let model = try Model(path: try TestModels.requireOrSkip("gemma3"))
        #expect(model.chatTemplate == nil)
        let prompt = try model.chatPrompt(for: "Hi!", options: Self.options())
        #expect(prompt == "<|im_start|>user\nHi!<|im_end|>\n<|im_start|>assistant\n")
        let bos = try #require(model.tokenizer.bos)
        #expect(model.tokenizer.addsBOS)
        #expect(try model.promptTokens(for: "Hi!", options: Self.options()) == [bos] + model.tokenize(prompt, parseSpecial: true))
    }

    @Test("a template that prints bos_token does not get a second BOS from the tokenizer")
    func noDoubleBOS() throws {
        let model = try Model(path: try TestModels.requireOrSkip("gemma3"))
        let bos = try #require(model.tokenizer.bos)
        let options = Self.options {
            $0.chatTemplate = "{{ bos_token }}{% for m in messages %}<start_of_turn>{{ m.role }}\n{{ m.content }}"
                + "<end_of_turn>\n{% endfor %}<start_of_turn>model\n"
        }
        let prompt = try model.chatPrompt(for: "Hi!", options: options)
        #expect(prompt.hasPrefix(model.bosTokenText))
        let tokens = try model.promptTokens(for: "Hi!", options: options)
        #expect(tokens.first == bos)
        #expect(tokens.filter { $0 == bos }.count == 1)
        #expect(tokens == [bos] + model.tokenize(String(prompt.dropFirst(model.bosTokenText.count)), parseSpecial: true))
    }
}
