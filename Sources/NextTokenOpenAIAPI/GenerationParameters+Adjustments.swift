import NextTokenCore

extension GenerationParameters {
    /// The range of a `logit_bias` value (OpenAI's).
    public static let logitBiasRange = -100.0 ... 100.0
    /// The range of `presence_penalty` and `frequency_penalty` (OpenAI's).
    public static let penaltyRange = -2.0 ... 2.0

    /// Checks the penalties and the logit bias, and stores them with the speculation name in
    /// `settings`.
    /// - Throws: ``OpenAIError`` (400) naming the parameter.
    func validateAdjustments(into settings: inout GenerationSettings) throws(OpenAIError) {
        for (value, param) in [(presencePenalty, "presence_penalty"), (frequencyPenalty, "frequency_penalty")] {
            guard let value else { continue }
            guard Self.penaltyRange.contains(value) else {
                throw .invalidRequest("'\(param)' must be between -2 and 2, got \(value)", param: param)
            }
        }
        settings.presencePenalty = presencePenalty ?? 0
        settings.frequencyPenalty = frequencyPenalty ?? 0
        if let repeatPenalty {
            guard repeatPenalty > 0 && repeatPenalty.isFinite else {
                throw .invalidRequest("'repeat_penalty' must be positive, got \(repeatPenalty)", param: "repeat_penalty")
            }
            settings.repeatPenalty = repeatPenalty
        }
        settings.logitBias = try validatedLogitBias()
        settings.speculate = speculate ?? "none"
    }

    /// `logit_bias` keyed by token id.
    /// - Throws: ``OpenAIError`` (400, param `logit_bias`) for a key that is not a token id
    ///   (a decimal integer from 0 to 2³¹ − 1) or a bias outside -100…100.
    private func validatedLogitBias() throws(OpenAIError) -> [TokenID: Double] {
        var biases: [TokenID: Double] = [:]
        for (key, bias) in (logitBias ?? [:]).sorted(by: { $0.key < $1.key }) {
            guard !key.isEmpty, key.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
                  let token = TokenID(key) else {
                throw .invalidRequest("'logit_bias' keys must be token ids (non-negative integers), got '\(key)'",
                                      param: "logit_bias")
            }
            guard Self.logitBiasRange.contains(bias) else {
                throw .invalidRequest("'logit_bias' values must be between -100 and 100, got \(bias) for token \(key)",
                                      param: "logit_bias")
            }
            // "007" and "7" name the same token: their biases add up, as repeated ids do in the CLI.
            biases[token, default: 0] += bias
        }
        return biases
    }
}
