import NextTokenChatTemplate
import NextTokenCore

extension Model {
    /// The chat template used when a model has none: ChatML turns without a default system message,
    /// as llama.cpp's built-in `chatml` template writes them.
    public static let builtInChatTemplate = """
        {%- for message in messages -%}
        {{- '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>\\n' -}}
        {%- endfor -%}
        {%- if add_generation_prompt -%}
        {{- '<|im_start|>assistant\\n' -}}
        {%- endif -%}
        """

    /// Gemma's turns (`<start_of_turn>user … <end_of_turn>`), for Gemma files without a template.
    /// A system message is folded into the first user turn, as Gemma's own templates do.
    public static let gemmaChatTemplate = """
        {{- bos_token -}}
        {%- set ns = namespace(system='') -%}
        {%- for message in messages -%}
        {%- if message['role'] == 'system' -%}
        {%- set ns.system = message['content'] + '\n\n' -%}
        {%- else -%}
        {{- '<start_of_turn>' + ('model' if message['role'] == 'assistant' else message['role']) + '\n' -}}
        {{- (ns.system if message['role'] == 'user' else '') + message['content'] + '<end_of_turn>\n' -}}
        {%- set ns.system = '' -%}
        {%- endif -%}
        {%- endfor -%}
        {%- if add_generation_prompt -%}
        {{- '<start_of_turn>model\n' -}}
        {%- endif -%}
        """

    /// The built-in template for an architecture without a template of its own: Gemma's turns for
    /// Gemma, ChatML for every other.
    public static func builtInChatTemplate(forArchitecture architecture: String) -> String {
        architecture.hasPrefix("gemma") ? gemmaChatTemplate : builtInChatTemplate
    }

    /// The template chat mode uses: the file's own, else the built-in one for its architecture.
    public var effectiveChatTemplate: String {
        chatTemplate ?? Self.builtInChatTemplate(forArchitecture: architecture)
    }

    /// The text of the BOS token, as chat templates see `bos_token` (`""` when the vocabulary has none).
    public var bosTokenText: String { PromptBuilder(tokenizer: tokenizer, modelTemplate: nil).tokenText(tokenizer.bos) }

    /// The text of the EOS token, as chat templates see `eos_token` (`""` when the vocabulary has none).
    public var eosTokenText: String { PromptBuilder(tokenizer: tokenizer, modelTemplate: nil).tokenText(tokenizer.eos) }

    /// The text chat mode feeds the model for `prompt` (before tokenization): the conversation
    /// `[system?, user]` rendered by `options.chatTemplate`, the model's own template, or ``builtInChatTemplate``.
    public func chatPrompt(for prompt: String, options: GenerationOptions = GenerationOptions()) throws(NextTokenError)
        -> String
    {
        try PromptBuilder(tokenizer: tokenizer, modelTemplate: effectiveChatTemplate).chatText(for: prompt, options: options)
    }
}
