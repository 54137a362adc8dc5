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

/// Validated generation settings, independent of the engine's types.
public struct GenerationSettings: Sendable, Equatable {
    /// The requested token limit; `nil` leaves the endpoint's default.
    public var maxTokens: Int?
    /// Sampling temperature; 0 is greedy.
    public var temperature: Double
    /// Top-k (0 = off).
    public var topK: Int
    /// Top-p (1 = off).
    public var topP: Double
    /// Min-p (0 = off).
    public var minP: Double
    /// The sampler's seed; `nil` picks one.
    public var seed: UInt64?
    /// Stop strings (empty ones dropped).
    public var stopStrings: [String]
    /// Answer as server-sent events.
    public var stream: Bool
    /// Send a final chunk with usage (streaming only).
    public var includeUsage: Bool
    /// How many alternatives to report with each token's log-probability; `nil` reports none.
    public var logprobs: Int?
}

extension GenerationParameters {
    /// Most stop strings a request may give (OpenAI's limit).
    public static let maxStopStrings = 4
    /// Largest accepted `top_logprobs` / completion `logprobs`.
    public static let maxTopLogprobs = 20

    /// Checks every range and refuses what the engine does not implement (a neutral value is
    /// accepted).
    /// - Parameter logprobs: the endpoint's already-validated log-probability request.
    /// - Throws: ``OpenAIError`` (400) naming the parameter.
    public func validated(logprobs: Int?) throws(OpenAIError) -> GenerationSettings {
        if let n, n != 1 {
            guard n > 1 else { throw .invalidRequest("'n' must be at least 1, got \(n)", param: "n") }
            throw .notImplemented("'n' > 1 (several choices per request) is not implemented yet; use n = 1", param: "n")
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
        try checkNotImplemented()
        if streamOptions != nil && stream != true {
            throw .invalidRequest("'stream_options' is only allowed when 'stream' is true", param: "stream_options")
        }
        return GenerationSettings(
            maxTokens: maxTokens, temperature: temperature, topK: topK, topP: topP, minP: minP, seed: seed?.value,
            stopStrings: stops, stream: stream ?? false, includeUsage: streamOptions?.includeUsage ?? false,
            logprobs: logprobs)
    }

    /// Penalties, logit bias and speculation are accepted only at their neutral values.
    private func checkNotImplemented() throws(OpenAIError) {
        for (value, param) in [(presencePenalty, "presence_penalty"), (frequencyPenalty, "frequency_penalty")] {
            guard let value, value != 0 else { continue }
            guard value >= -2 && value <= 2 else {
                throw .invalidRequest("'\(param)' must be between -2 and 2, got \(value)", param: param)
            }
            throw .notImplemented("'\(param)' is not implemented yet; only 0 is accepted", param: param)
        }
        if let repeatPenalty, repeatPenalty != 1 {
            guard repeatPenalty > 0 else {
                throw .invalidRequest("'repeat_penalty' must be positive, got \(repeatPenalty)", param: "repeat_penalty")
            }
            throw .notImplemented("'repeat_penalty' is not implemented yet; only 1 is accepted", param: "repeat_penalty")
        }
        if let logitBias, !logitBias.isEmpty {
            throw .notImplemented("'logit_bias' is not implemented yet; only an empty object is accepted", param: "logit_bias")
        }
        if let speculate, speculate != "none" {
            throw .notImplemented(
                "'speculate' = '\(speculate)' is not implemented yet; only 'none' is accepted", param: "speculate")
        }
    }
}
