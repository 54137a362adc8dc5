import NextTokenChatTemplate
import NextTokenCore
import NextTokenTokenizer

/// Turns a prompt and the options into the token ids the model is fed.
struct PromptBuilder {
    let tokenizer: Tokenizer
    /// The model's own chat template (`tokenizer.chat_template`), if the file has one.
    let modelTemplate: String?

    /// BOS (as the vocabulary asks), then the prompt; in chat mode the prompt is first rendered as a
    /// conversation (optional system message, then the user's) by the chat template.
    ///
    /// As llama.cpp does, the rendered conversation is tokenized with special tokens parsed, and a BOS the
    /// template printed itself is dropped when the tokenizer adds BOS anyway, so the prompt starts with one BOS.
    func tokens(for prompt: String, options: GenerationOptions) throws(NextTokenError) -> [TokenID] {
        guard options.chat else {
            return bos + tokenizer.encode(prompt, parseSpecial: options.parseSpecial)
        }
        return renderedTokens(try chatText(for: prompt, options: options))
    }

    /// BOS (as the vocabulary asks) and the tokens of `text`, a chat template's render: special
    /// tokens are parsed, and a BOS the template printed itself is dropped when the tokenizer adds BOS anyway.
    func renderedTokens(_ text: String) -> [TokenID] {
        var text = text
        let bosText = tokenText(tokenizer.bos)
        if tokenizer.addsBOS, !bosText.isEmpty, text.utf8.starts(with: bosText.utf8) {
            text = String(decoding: text.utf8.dropFirst(bosText.utf8.count), as: UTF8.self)
        }
        return bos + tokenizer.encode(text, parseSpecial: true)
    }

    /// The BOS token when the vocabulary adds one, else nothing.
    var bos: [TokenID] { tokenizer.addsBOS ? [tokenizer.bos].compactMap { $0 } : [] }

    /// The conversation rendered by the chosen template with `add_generation_prompt`:
    /// `options.messages` when set, else `[system?, user]`.
    func chatText(for prompt: String, options: GenerationOptions) throws(NextTokenError) -> String {
        var messages: [ChatMessage] = []
        if let given = options.messages {
            messages = given
        } else {
            if let system = options.systemPrompt { messages.append(.system(system)) }
            messages.append(.user(prompt))
        }
        do {
            let template = try ChatTemplate(source: options.chatTemplate ?? modelTemplate ?? Model.builtInChatTemplate)
            return try template.render(messages: messages, addGenerationPrompt: true,
                                       bosToken: tokenText(tokenizer.bos), eosToken: tokenText(tokenizer.eos))
        } catch {
            throw .chatTemplate(error)
        }
    }

    /// The text of a special token as chat templates see it (`bos_token`, `eos_token`); `""` for none.
    func tokenText(_ id: TokenID?) -> String {
        guard let id, let bytes = try? tokenizer.tokenBytes(id) else { return "" }
        return String(decoding: bytes, as: UTF8.self)
    }
}
