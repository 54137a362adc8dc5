/// Settings of in-context navigation (design §8.3–8.4): list the answers found so far in the prompt
/// and ask for another, so that each run starts from a different first token.
public struct NavigationOptions: Sendable, Equatable {
    /// Rounds of asking; each lists every answer found before it.
    public var runs = 10
    /// New answers taken from one round's ranking of first tokens.
    public var answersPerRun = 10
    /// Complete each answer under the prompt without explored answers (the first token still comes
    /// from the navigation prompt), which keeps answers from drifting; the reference's default.
    public var regularized = true
    /// Most first tokens of one round's ranking to try; `nil` scans the whole vocabulary.
    public var scanTopK: Int?
    /// Most tokens of one answer.
    public var maxAnswerTokens = 64
    /// Render the instruction as a user message with the chat template and start the answer list in the
    /// assistant's turn; otherwise the prompt is the plain text of design §8.2.
    public var chat = true
    /// The chat template; `nil` uses the model's own (see ``GenerationOptions/chatTemplate``).
    public var chatTemplate: String?
    /// The system message in chat mode.
    public var systemPrompt: String?
    /// Worker threads for the forward pass; `nil` uses every core.
    public var threads: Int?

    /// The reference defaults: 10 runs of 10 answers, regularized, 64 tokens per answer, in chat mode.
    public init() {}

    /// Checks the settings.
    /// - Throws: ``NextTokenError/invalidRequest(_:)`` naming the first bad setting.
    public func validate() throws(NextTokenError) {
        guard runs >= 1 else { throw .invalidRequest("navigation needs at least 1 run") }
        guard answersPerRun >= 1 else { throw .invalidRequest("navigation needs at least 1 answer per run") }
        guard maxAnswerTokens >= 1 else { throw .invalidRequest("a navigation answer needs at least 1 token") }
        if let scanTopK, scanTopK < 1 { throw .invalidRequest("the navigation scan needs at least 1 token") }
        if let threads, threads < 1 { throw .invalidRequest("at least 1 thread is needed") }
    }
}
