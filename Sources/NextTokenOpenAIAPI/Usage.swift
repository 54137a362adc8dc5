/// Token counts of one request.
public struct Usage: Codable, Sendable, Equatable {
    /// Tokens fed to the model as the prompt (BOS and chat turns included).
    public var promptTokens: Int
    /// Tokens generated.
    public var completionTokens: Int
    /// Their sum.
    public var totalTokens: Int

    /// Counts with their total.
    public init(promptTokens: Int, completionTokens: Int) {
        self.promptTokens = promptTokens
        self.completionTokens = completionTokens
        totalTokens = promptTokens + completionTokens
    }

    enum CodingKeys: String, CodingKey {
        case promptTokens = "prompt_tokens"
        case completionTokens = "completion_tokens"
        case totalTokens = "total_tokens"
    }
}

/// Why a choice ended, as OpenAI names it.
public enum FinishReason: String, Codable, Sendable {
    /// An end-of-generation token or a stop string.
    case stop
    /// The token limit or the context was reached.
    case length
}
