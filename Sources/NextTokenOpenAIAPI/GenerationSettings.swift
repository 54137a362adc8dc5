import NextTokenCore

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
    /// Choices generated for each prompt (`n`).
    public var choices: Int = 1
    /// OpenAI's presence penalty (-2…2; 0 = off).
    public var presencePenalty: Double = 0
    /// OpenAI's frequency penalty (-2…2; 0 = off).
    public var frequencyPenalty: Double = 0
    /// llama.cpp's repetition penalty (> 0; 1 = off).
    public var repeatPenalty: Double = 1
    /// Bias added to each listed token's logit (-100…100); the ids are not yet checked against a
    /// vocabulary.
    public var logitBias: [TokenID: Double] = [:]
    /// The speculative-decoding method's name (`none` = off); the server checks it against the
    /// engine's methods.
    public var speculate = "none"

    /// The seed of choice `index`: choice 0 uses the request's seed, so `n` = 1 and the first of
    /// several choices agree; every later choice a seed mixed from it and the index (SplitMix64),
    /// so a seeded request gives the same choices every time. `nil` (no seed) stays `nil`.
    public func seed(forChoice index: Int) -> UInt64? {
        guard let seed, index > 0 else { return seed }
        var mixed = seed &+ UInt64(index) &* 0x9E37_79B9_7F4A_7C15
        mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
        mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
        return mixed ^ (mixed >> 31)
    }
}
