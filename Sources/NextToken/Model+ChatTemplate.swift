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

    /// The text of the BOS token, as chat templates see `bos_token` (`""` when the vocabulary has none).
    public var bosTokenText: String { PromptBuilder(tokenizer: tokenizer, modelTemplate: nil).tokenText(tokenizer.bos) }

    /// The text of the EOS token, as chat templates see `eos_token` (`""` when the vocabulary has none).
    public var eosTokenText: String { PromptBuilder(tokenizer: tokenizer, modelTemplate: nil).tokenText(tokenizer.eos) }

    /// The text chat mode feeds the model for `prompt` (before tokenization): the conversation
    /// `[system?, user]` rendered by `options.chatTemplate`, the model's own template, or ``builtInChatTemplate``.
    public func chatPrompt(for prompt: String, options: GenerationOptions = GenerationOptions()) throws(NextTokenError)
        -> String
    {
        try PromptBuilder(tokenizer: tokenizer, modelTemplate: chatTemplate).chatText(for: prompt, options: options)
    }
}
