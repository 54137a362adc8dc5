import NextTokenCore

extension Model {
    /// The text in-context navigation feeds the model when `explored` answers are known (design §8.2):
    /// in chat mode the instruction rendered as a user message by the chat template, followed by
    /// ``NavigationPrompt/answerList(explored:)`` opening the assistant's turn; otherwise
    /// ``NavigationPrompt/plainText(instruction:explored:)``.
    /// - Throws: ``NextTokenError/chatTemplate(_:)`` when the chat template fails.
    public func navigationPrompt(
        instruction: String, explored: [String], options: NavigationOptions = NavigationOptions()
    ) throws(NextTokenError) -> String {
        guard options.chat else { return NavigationPrompt.plainText(instruction: instruction, explored: explored) }
        var generation = GenerationOptions()
        generation.chat = true
        generation.chatTemplate = options.chatTemplate
        generation.systemPrompt = options.systemPrompt
        return try chatPrompt(for: instruction, options: generation) + NavigationPrompt.answerList(explored: explored)
    }

    /// The token ids of ``navigationPrompt(instruction:explored:options:)``: BOS as the model asks,
    /// special tokens parsed in chat mode.
    public func navigationPromptTokens(
        instruction: String, explored: [String], options: NavigationOptions = NavigationOptions()
    ) throws(NextTokenError) -> [TokenID] {
        let text = try navigationPrompt(instruction: instruction, explored: explored, options: options)
        let builder = PromptBuilder(tokenizer: tokenizer, modelTemplate: effectiveChatTemplate)
        return options.chat ? builder.renderedTokens(text) : builder.bos + tokenizer.encode(text, parseSpecial: false)
    }

    /// In-context navigation (design §8): asks `options.runs` times for answers to `instruction`,
    /// each time listing the answers found so far, and returns the distinct answers.
    /// - Throws: ``NextTokenError/invalidRequest(_:)`` for bad options or an empty instruction,
    ///   ``NextTokenError/promptTooLong(tokens:contextLength:)``, or a model, tokenizer or template error.
    public func navigate(
        _ instruction: String, options: NavigationOptions = NavigationOptions()
    ) throws(NextTokenError) -> NavigationResult {
        guard !instruction.isEmpty else { throw .invalidRequest("the navigation instruction is empty") }
        let navigator = InContextNavigator(model: self, options: options) { explored throws(NextTokenError) in
            try self.navigationPromptTokens(instruction: instruction, explored: explored, options: options)
        }
        return try navigator.run()
    }
}
