import NextTokenCore

/// Stage 2 of the sampler chain: adds a fixed bias to the logits of chosen tokens
/// (`-infinity` bans a token). The biases are stored sorted by id, so applying them allocates
/// nothing.
struct LogitBiasStage: Sendable {
    private let entries: [(token: TokenID, bias: Float)]

    init(parameters: SamplingParameters) {
        entries = parameters.logitBias.sorted { $0.key < $1.key }.map { (token: $0.key, bias: $0.value) }
    }

    var isEmpty: Bool { entries.isEmpty }

    /// Adds the biases to `logits`.
    ///
    /// - Throws: ``SamplingError/logitBiasOutOfVocabulary(token:vocabularySize:)`` for a biased
    ///   token outside `logits`; nothing is changed then.
    func apply(to logits: UnsafeMutableBufferPointer<Float>) throws(SamplingError) {
        if let last = entries.last, Int(last.token) >= logits.count {
            throw .logitBiasOutOfVocabulary(token: last.token, vocabularySize: logits.count)
        }
        for entry in entries { logits[Int(entry.token)] += entry.bias }
    }
}
