/// The parameters that chat and text completions share, as the client sent them.
///
/// Decoded from the same JSON object as the request around it; unknown fields are ignored, as
/// OpenAI ignores them. ``validated(logprobs:)`` checks ranges and turns them into
/// ``GenerationSettings``.
public struct GenerationParameters: Decodable, Sendable, Equatable {
    public var maxTokens: Int?
    public var maxCompletionTokens: Int?
    public var temperature: Double?
    public var topP: Double?
    public var topK: Int?
    public var minP: Double?
    public var stop: StringOrStrings?
    public var seed: Seed?
    public var n: Int?
    public var presencePenalty: Double?
    public var frequencyPenalty: Double?
    public var repeatPenalty: Double?
    public var logitBias: [String: Double]?
    public var user: String?
    public var speculate: String?
    public var stream: Bool?
    public var streamOptions: StreamOptions?

    /// `stream_options`.
    public struct StreamOptions: Decodable, Sendable, Equatable {
        /// Send a last chunk with the token counts.
        public var includeUsage: Bool?

        enum CodingKeys: String, CodingKey {
            case includeUsage = "include_usage"
        }
    }

    /// A seed given as any JSON integer from `Int64.min` to `UInt64.max`; negative seeds keep
    /// their bit pattern.
    public struct Seed: Decodable, Sendable, Equatable {
        public var value: UInt64

        public init(_ value: UInt64) {
            self.value = value
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let unsigned = try? container.decode(UInt64.self) {
                value = unsigned
            } else {
                value = UInt64(bitPattern: try container.decode(Int64.self))
            }
        }
    }

    enum CodingKeys: String, CodingKey {
        case maxTokens = "max_tokens"
        case maxCompletionTokens = "max_completion_tokens"
        case temperature
        case topP = "top_p"
        case topK = "top_k"
        case minP = "min_p"
        case stop, seed, n
        case presencePenalty = "presence_penalty"
        case frequencyPenalty = "frequency_penalty"
        case repeatPenalty = "repeat_penalty"
        case logitBias = "logit_bias"
        case user, speculate, stream
        case streamOptions = "stream_options"
    }

    /// No parameter set.
    public init() {}
}

extension GenerationParameters {
    /// Most stop strings a request may give (OpenAI's limit).
    public static let maxStopStrings = 4
    /// Largest accepted `top_logprobs` / completion `logprobs`.
    public static let maxTopLogprobs = 20
    /// Largest accepted `n`: the choices of one request are generated one after another.
    public static let maxChoices = 16

    /// Checks every range.
    /// - Parameter logprobs: the endpoint's already-validated log-probability request.
    /// - Throws: ``OpenAIError`` (400) naming the parameter.
    public func validated(logprobs: Int?) throws(OpenAIError) -> GenerationSettings {
        let choices = n ?? 1
        guard choices >= 1 && choices <= Self.maxChoices else {
            throw .invalidRequest("'n' must be between 1 and \(Self.maxChoices), got \(choices)", param: "n")
        }
        let maxTokens = maxCompletionTokens ?? self.maxTokens
        if let maxTokens, maxTokens < 1 {
            let param = maxCompletionTokens != nil ? "max_completion_tokens" : "max_tokens"
            throw .invalidRequest("'\(param)' must be at least 1, got \(maxTokens)", param: param)
        }
        let temperature = self.temperature ?? 1
        guard temperature >= 0 && temperature <= 2 else {
            throw .invalidRequest("'temperature' must be between 0 and 2, got \(temperature)", param: "temperature")
        }
        var topK = self.topK ?? 0
        guard topK >= 0 else { throw .invalidRequest("'top_k' must not be negative, got \(topK)", param: "top_k") }
        var topP = self.topP ?? 1
        guard topP >= 0 && topP <= 1 else {
            throw .invalidRequest("'top_p' must be between 0 and 1, got \(topP)", param: "top_p")
        }
        if topP == 0 {
            // The smallest set whose mass reaches 0 is the most likely token alone.
            topK = 1
            topP = 1
        }
        let minP = self.minP ?? 0
        guard minP >= 0 && minP < 1 else {
            throw .invalidRequest("'min_p' must be at least 0 and below 1, got \(minP)", param: "min_p")
        }
        let stops = (stop?.values ?? []).filter { !$0.isEmpty }
        guard stops.count <= Self.maxStopStrings else {
            throw .invalidRequest("'stop' may hold at most \(Self.maxStopStrings) strings, got \(stops.count)", param: "stop")
        }
        if streamOptions != nil && stream != true {
            throw .invalidRequest("'stream_options' is only allowed when 'stream' is true", param: "stream_options")
        }
        var settings = GenerationSettings(
            maxTokens: maxTokens, temperature: temperature, topK: topK, topP: topP, minP: minP, seed: seed?.value,
            stopStrings: stops, stream: stream ?? false, includeUsage: streamOptions?.includeUsage ?? false,
            logprobs: logprobs)
        settings.choices = choices
        try validateAdjustments(into: &settings)
        return settings
    }
}
