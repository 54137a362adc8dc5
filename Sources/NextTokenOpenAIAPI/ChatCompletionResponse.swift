/// The response of a non-streamed chat completion (`object: "chat.completion"`).
public struct ChatCompletion: Encodable, Sendable {
    /// One answer.
    public struct Choice: Encodable, Sendable {
        public var index: Int
        public var message: AssistantMessage
        public var logprobs: ChatLogprobs?
        public var finishReason: FinishReason

        public init(index: Int, message: AssistantMessage, logprobs: ChatLogprobs?, finishReason: FinishReason) {
            self.index = index
            self.message = message
            self.logprobs = logprobs
            self.finishReason = finishReason
        }

        enum CodingKeys: String, CodingKey {
            case index, message, logprobs
            case finishReason = "finish_reason"
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(index, forKey: .index)
            try container.encode(message, forKey: .message)
            try container.encode(logprobs, forKey: .logprobs)
            try container.encode(finishReason, forKey: .finishReason)
        }
    }

    /// The assistant's message.
    public struct AssistantMessage: Encodable, Sendable {
        public var role = "assistant"
        public var content: String

        public init(content: String) {
            self.content = content
        }
    }

    public var id: String
    public var object = "chat.completion"
    public var created: Int
    public var model: String
    public var choices: [Choice]
    public var usage: Usage

    public init(id: String, created: Int, model: String, choices: [Choice], usage: Usage) {
        self.id = id
        self.created = created
        self.model = model
        self.choices = choices
        self.usage = usage
    }
}

/// One server-sent event of a streamed chat completion (`object: "chat.completion.chunk"`).
public struct ChatCompletionChunk: Encodable, Sendable {
    /// The change to one choice.
    public struct Choice: Encodable, Sendable {
        public var index: Int
        public var delta: Delta
        public var logprobs: ChatLogprobs?
        public var finishReason: FinishReason?

        public init(index: Int, delta: Delta, logprobs: ChatLogprobs? = nil, finishReason: FinishReason? = nil) {
            self.index = index
            self.delta = delta
            self.logprobs = logprobs
            self.finishReason = finishReason
        }

        enum CodingKeys: String, CodingKey {
            case index, delta, logprobs
            case finishReason = "finish_reason"
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(index, forKey: .index)
            try container.encode(delta, forKey: .delta)
            try container.encode(logprobs, forKey: .logprobs)
            try container.encode(finishReason, forKey: .finishReason)
        }
    }

    /// New message text; the first chunk carries the role.
    public struct Delta: Encodable, Sendable {
        public var role: String?
        public var content: String?

        public init(role: String? = nil, content: String? = nil) {
            self.role = role
            self.content = content
        }
    }

    public var id: String
    public var object = "chat.completion.chunk"
    public var created: Int
    public var model: String
    public var choices: [Choice]
    /// Only in the last chunk, when `stream_options.include_usage` asked for it.
    public var usage: Usage?

    public init(id: String, created: Int, model: String, choices: [Choice], usage: Usage? = nil) {
        self.id = id
        self.created = created
        self.model = model
        self.choices = choices
        self.usage = usage
    }
}

/// `logprobs` of a chat choice: one entry per generated token.
public struct ChatLogprobs: Encodable, Sendable {
    /// One token.
    public struct Entry: Encodable, Sendable {
        public var token: String
        public var logprob: Double
        public var bytes: [UInt8]
        public var topLogprobs: [Alternative]

        enum CodingKeys: String, CodingKey {
            case token, logprob, bytes
            case topLogprobs = "top_logprobs"
        }
    }

    /// One alternative.
    public struct Alternative: Encodable, Sendable {
        public var token: String
        public var logprob: Double
        public var bytes: [UInt8]
    }

    public var content: [Entry]

    /// The chat form of `entries`.
    public init(_ entries: [TokenLogprobEntry]) {
        content = entries.map { entry in
            Entry(
                token: entry.token.text, logprob: TokenLogprobEntry.finite(entry.token.logprob), bytes: entry.token.bytes,
                topLogprobs: entry.top.map {
                    Alternative(token: $0.text, logprob: TokenLogprobEntry.finite($0.logprob), bytes: $0.bytes)
                })
        }
    }
}
