/// One turn of a conversation: who speaks (`system`, `user`, `assistant`, …) and what they say.
public struct ChatMessage: Sendable, Equatable {
    /// The speaker's role, written into the chat template as is.
    public var role: String
    /// The text of the turn.
    public var content: String

    /// A turn of `role` saying `content`.
    public init(role: String, content: String) {
        self.role = role
        self.content = content
    }
}
