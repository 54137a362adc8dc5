import NextTokenCore

/// Stage 1 of the sampler chain: repetition, frequency and presence penalties over the last
/// `penaltyWindow` tokens of the history.
///
/// For each distinct token `t` that occurs `count` times in the window, its logit `l` becomes
/// `l / r` when `l > 0` and `l × r` otherwise (llama.cpp's `repeat_penalty` `r`), then
/// `l − count × frequency − presence` (OpenAI). Only those tokens change. Counting reuses
/// per-vocabulary scratch that is reset after every call, so a warm stage allocates nothing.
struct PenaltyStage: Sendable {
    let repetition: Float
    let frequency: Float
    let presence: Float
    /// Tokens considered: the last `window` of the history, or all of it when `window == -1`.
    let window: Int
    /// Occurrences per token id in the current window; all zero between calls.
    private var counts: [Int32] = []
    /// The distinct tokens of the current window, in first-seen order.
    private var distinct: [TokenID] = []

    init(parameters: SamplingParameters) {
        repetition = Float(parameters.repetitionPenalty)
        frequency = Float(parameters.frequencyPenalty)
        presence = Float(parameters.presencePenalty)
        window = parameters.penaltyWindow
    }

    /// The history tokens the penalties look at.
    func windowTokens(_ history: [TokenID]) -> ArraySlice<TokenID> {
        window < 0 ? history[...] : history.suffix(window)
    }

    /// Applies the penalties for `history` to `logits` (a copy of the model's logits). History
    /// tokens outside the vocabulary are ignored.
    mutating func apply(history: [TokenID], to logits: UnsafeMutableBufferPointer<Float>) {
        if counts.count < logits.count { counts = [Int32](repeating: 0, count: logits.count) }
        distinct.removeAll(keepingCapacity: true)
        let tokens = windowTokens(history)
        if distinct.capacity < tokens.count { distinct.reserveCapacity(Swift.max(tokens.count, 64)) }
        for token in tokens where token >= 0 && Int(token) < logits.count {
            let index = Int(token)
            if counts[index] == 0 { distinct.append(token) }
            counts[index] &+= 1
        }
        for token in distinct {
            let index = Int(token)
            logits[index] = penalized(logits[index], count: counts[index])
            counts[index] = 0
        }
    }

    /// One token's penalised logit.
    func penalized(_ logit: Float, count: Int32) -> Float {
        var value = logit > 0 ? logit / repetition : logit * repetition
        value -= Float(count) * frequency + (count > 0 ? presence : 0)
        return value
    }
}
