/// A text completion (`object: "text_completion"`): the whole response, or one streamed chunk.
public struct TextCompletion: Encodable, Sendable {
    /// One answer (or the new text of one answer in a chunk).
    public struct Choice: Encodable, Sendable {
        public var text: String
        public var index: Int
        public var logprobs: CompletionLogprobs?
        public var finishReason: FinishReason?

        public init(text: String, index: Int, logprobs: CompletionLogprobs? = nil, finishReason: FinishReason? = nil) {
            self.text = text
            self.index = index
            self.logprobs = logprobs
            self.finishReason = finishReason
        }

        enum CodingKeys: String, CodingKey {
            case text, index, logprobs
            case finishReason = "finish_reason"
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(text, forKey: .text)
            try container.encode(index, forKey: .index)
            try container.encode(logprobs, forKey: .logprobs)
            try container.encode(finishReason, forKey: .finishReason)
        }
    }

    public var id: String
    public var object = "text_completion"
    public var created: Int
    public var model: String
    public var choices: [Choice]
    /// Always in a whole response; in a stream only in the last chunk, when asked for.
    public var usage: Usage?

    public init(id: String, created: Int, model: String, choices: [Choice], usage: Usage?) {
        self.id = id
        self.created = created
        self.model = model
        self.choices = choices
        self.usage = usage
    }
}

/// `logprobs` of a text-completion choice, in the legacy column form.
public struct CompletionLogprobs: Encodable, Sendable {
    public var tokens: [String]
    public var tokenLogprobs: [Double]
    /// Per token, the alternatives' text → log-probability.
    public var topLogprobs: [[String: Double]]
    /// Per token, its UTF-8 offset in the choice's text.
    public var textOffset: [Int]

    enum CodingKeys: String, CodingKey {
        case tokens
        case tokenLogprobs = "token_logprobs"
        case topLogprobs = "top_logprobs"
        case textOffset = "text_offset"
    }

    /// The column form of `entries`, whose first token starts at byte `offset` of the text.
    public init(_ entries: [TokenLogprobEntry], startingAt offset: Int = 0) {
        tokens = entries.map(\.token.text)
        tokenLogprobs = entries.map { TokenLogprobEntry.finite($0.token.logprob) }
        topLogprobs = entries.map { entry in
            var alternatives: [String: Double] = [:]
            for alternative in entry.top where alternatives[alternative.text] == nil {
                alternatives[alternative.text] = TokenLogprobEntry.finite(alternative.logprob)
            }
            return alternatives
        }
        var position = offset
        textOffset = entries.map { entry in
            defer { position += entry.token.bytes.count }
            return position
        }
    }
}
