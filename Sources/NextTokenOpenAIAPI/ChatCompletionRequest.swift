/// The body of `POST /v1/chat/completions`.
public struct ChatCompletionRequest: Decodable, Sendable, Equatable {
    /// One message of the conversation.
    public struct Message: Decodable, Sendable, Equatable {
        /// `system`, `developer`, `user`, `assistant`, … (checked by ``ChatCompletionRequest/validatedMessages()``).
        public var role: String
        /// The text; `nil` when the client sent `null` or left it out.
        public var content: Content?

        enum CodingKeys: String, CodingKey { case role, content }
    }

    /// Message content: a string, or an array of parts of which only `{"type":"text","text":…}`
    /// is supported.
    public struct Content: Decodable, Sendable, Equatable {
        /// One element of the array form.
        public struct Part: Decodable, Sendable, Equatable {
            public var type: String
            public var text: String?
        }

        /// The parts; the string form is one text part.
        public var parts: [Part]

        public init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let text = try? container.decode(String.self) {
                parts = [Part(type: "text", text: text)]
            } else if let parts = try? container.decode([Part].self) {
                self.parts = parts
            } else {
                throw DecodingError.typeMismatch(
                    Content.self,
                    .init(codingPath: decoder.codingPath,
                          debugDescription: "expected a string or an array of {\"type\":\"text\",\"text\":…} parts"))
            }
        }
    }

    public var model: String
    public var messages: [Message]
    /// Report each token's log-probability.
    public var logprobs: Bool?
    /// How many alternatives to report per token (needs `logprobs`).
    public var topLogprobs: Int?
    /// Tool definitions: only an empty list is accepted.
    public var tools: [JSONValue]?
    /// `{"type":"text"}` is accepted; structured output is not implemented.
    public var responseFormat: JSONValue?
    /// Every parameter shared with text completions.
    public var parameters: GenerationParameters

    enum CodingKeys: String, CodingKey {
        case model, messages, logprobs, tools
        case topLogprobs = "top_logprobs"
        case responseFormat = "response_format"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        model = try container.decode(String.self, forKey: .model)
        messages = try container.decode([Message].self, forKey: .messages)
        logprobs = try container.decodeIfPresent(Bool.self, forKey: .logprobs)
        topLogprobs = try container.decodeIfPresent(Int.self, forKey: .topLogprobs)
        tools = try container.decodeIfPresent([JSONValue].self, forKey: .tools)
        responseFormat = try container.decodeIfPresent(JSONValue.self, forKey: .responseFormat)
        parameters = try GenerationParameters(from: decoder)
    }

    /// Roles the chat template renders; `developer` is OpenAI's newer name for `system`.
    public static let acceptedRoles: Set<String> = ["system", "developer", "user", "assistant"]

    /// The conversation as (role, text) pairs: `developer` becomes `system`, text parts are
    /// joined, and an assistant message may have no content.
    /// - Throws: ``OpenAIError`` (400) for an empty list, an unknown role, a non-text part or
    ///   missing content.
    public func validatedMessages() throws(OpenAIError) -> [(role: String, content: String)] {
        guard !messages.isEmpty else {
            throw .invalidRequest("'messages' must hold at least one message", param: "messages")
        }
        var result: [(role: String, content: String)] = []
        for (index, message) in messages.enumerated() {
            guard Self.acceptedRoles.contains(message.role) else {
                let param = "messages[\(index)].role"
                if message.role == "tool" || message.role == "function" {
                    throw .notImplemented("Tool messages are not implemented yet", param: param)
                }
                throw .invalidRequest(
                    "Invalid role '\(message.role)'; expected one of system, developer, user, assistant", param: param)
            }
            var text = ""
            if let content = message.content {
                for (partIndex, part) in content.parts.enumerated() {
                    let param = "messages[\(index)].content[\(partIndex)]"
                    guard part.type == "text" else {
                        throw .notImplemented("Content parts of type '\(part.type)' are not supported; only 'text'",
                                              param: param + ".type")
                    }
                    guard let partText = part.text else {
                        throw .invalidRequest("Missing required parameter: '\(param).text'", param: param + ".text")
                    }
                    text += partText
                }
            } else if message.role != "assistant" {
                throw .invalidRequest("Missing required parameter: 'messages[\(index)].content'",
                                      param: "messages[\(index)].content")
            }
            result.append((message.role == "developer" ? "system" : message.role, text))
        }
        return result
    }

    /// The validated settings, log-probabilities included.
    /// - Throws: ``OpenAIError`` (400).
    public func validatedSettings() throws(OpenAIError) -> GenerationSettings {
        if let tools, !tools.isEmpty {
            throw .notImplemented("Tools (function calling) are not implemented yet", param: "tools")
        }
        if let responseFormat, responseFormat != .null,
           responseFormat != .object(["type": .string("text")]) {
            throw .notImplemented("'response_format' other than {\"type\":\"text\"} is not implemented yet",
                                  param: "response_format")
        }
        var topCount: Int?
        if let topLogprobs {
            guard topLogprobs >= 0 && topLogprobs <= GenerationParameters.maxTopLogprobs else {
                throw .invalidRequest(
                    "'top_logprobs' must be between 0 and \(GenerationParameters.maxTopLogprobs), got \(topLogprobs)",
                    param: "top_logprobs")
            }
            guard logprobs == true else {
                throw .invalidRequest("'top_logprobs' needs 'logprobs' set to true", param: "top_logprobs")
            }
        }
        if logprobs == true { topCount = topLogprobs ?? 0 }
        return try parameters.validated(logprobs: topCount)
    }
}
