import NextTokenCore

/// Token healing (design §6.5 baseline): the prompt's last token is removed, and the first
/// generated token must start with its bytes, so a prompt that ends inside a word can be
/// completed by one token that spells the whole word.
public struct TokenHealing: Sendable {
    /// The tokens to prefill: the prompt's tokens without its last text token.
    public let contextTokens: [TokenID]
    /// The bytes of the removed token (empty when nothing was removed).
    public let healedBytes: [UInt8]
    /// The tokens the first generated token may be (every token when nothing was removed).
    public let allowedFirstTokens: [TokenID]?

    /// Healing for `promptTokens`, whose first `fixedCount` tokens (BOS, chat turns) are never
    /// removed.
    public init(promptTokens: [TokenID], fixedCount: Int, vocabulary: ByteVocabulary) {
        guard promptTokens.count > fixedCount, let last = promptTokens.last, vocabulary.isText(last) else {
            contextTokens = promptTokens
            healedBytes = []
            allowedFirstTokens = nil
            return
        }
        let dropped = vocabulary.bytes(of: last)
        contextTokens = Array(promptTokens.dropLast())
        healedBytes = Array(dropped)
        allowedFirstTokens = dropped.first.map { first in
            vocabulary.textTokensByFirstByte[Int(first)].filter { vocabulary.bytes(of: $0).starts(with: dropped) }
        } ?? []
    }
}
