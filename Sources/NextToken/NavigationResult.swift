import NextTokenCore

/// What in-context navigation found.
public struct NavigationResult: Sendable, Equatable {
    /// One answer and where it came from.
    public struct Answer: Sendable, Equatable {
        /// The answer's text, without the quotes and surrounding whitespace.
        public var text: String
        /// The first token, chosen from the ranking under the navigation prompt.
        public var firstToken: TokenID
        /// The round (from 0) that found it.
        public var run: Int
    }

    /// The distinct answers, in the order they were found.
    public var answers: [Answer]
    /// First tokens whose completions were tried (including those that gave an empty or repeated answer).
    public var probedFirstTokens: Int
    /// Forward rows spent, prompts included.
    public var forwardRows: Int
}
