import NextTokenCore
import NextTokenTokenizer

/// Turns a prompt and the options into the token ids the model is fed.
struct PromptBuilder {
    let tokenizer: Tokenizer

    /// BOS (as the vocabulary asks), then the prompt, wrapped in ChatML turns in chat mode (or the
    /// turns of `options.messages` when set, which replace the system message and the prompt).
    func tokens(for prompt: String, options: GenerationOptions) -> [TokenID] {
        var ids: [TokenID] = tokenizer.addsBOS ? [tokenizer.bos].compactMap { $0 } : []
        guard options.chat else {
            ids += tokenizer.encode(prompt, parseSpecial: options.parseSpecial)
            return ids
        }
        func turn(_ role: String, _ content: String) {
            ids += tokenizer.encode("<|im_start|>\(role)\n", parseSpecial: true)
            ids += tokenizer.encode(content, parseSpecial: options.parseSpecial)
            ids += tokenizer.encode("<|im_end|>\n", parseSpecial: true)
        }
        if let messages = options.messages {
            for message in messages { turn(message.role, message.content) }
        } else {
            if let system = options.systemPrompt { turn("system", system) }
            turn("user", prompt)
        }
        ids += tokenizer.encode("<|im_start|>assistant\n", parseSpecial: true)
        return ids
    }
}
