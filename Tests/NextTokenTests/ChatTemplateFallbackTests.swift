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

    @Test("Gemma 3's file has no template, so chat mode renders Gemma's built-in turns after one BOS")
    func builtInGemmaTurns() throws {
        let model = try Model(path: try TestModels.requireOrSkip("gemma3"))
        #expect(model.chatTemplate == nil)
        let prompt = try model.chatPrompt(for: "Hi!", options: Self.options())
        #expect(prompt == "<bos><start_of_turn>user\nHi!<end_of_turn>\n<start_of_turn>model\n")
        let withSystem = try model.chatPrompt(for: "Hi!", options: Self.options { $0.systemPrompt = "Be brief." })
        #expect(withSystem == "<bos><start_of_turn>user\nBe brief.\n\nHi!<end_of_turn>\n<start_of_turn>model\n")
        let bos = try #require(model.tokenizer.bos)
        let tokens = try model.promptTokens(for: "Hi!", options: Self.options())
        #expect(tokens == [bos, 105, 2364, 107, 10979, 236888, 106, 107, 105, 4368, 107])
        // Generation stops at <end_of_turn> (106) as well as at EOS.
        #expect(model.tokenizer.isEndOfGeneration(106) && model.tokenizer.isEndOfGeneration(1))
    }

    @Test("unknown architectures fall back to ChatML")
    func chatMLFallback() {
        #expect(Model.builtInChatTemplate(forArchitecture: "mistral") == Model.builtInChatTemplate)
        #expect(Model.builtInChatTemplate(forArchitecture: "gemma3") == Model.gemmaChatTemplate)
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
