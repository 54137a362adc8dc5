import NextTokenCore

/// Turns token ids into text one id at a time, as they are generated.
///
/// A token can end inside a multi-byte character; those bytes are held back until the character
/// completes. Bytes that can never form a character are emitted as U+FFFD at once, so nothing is
/// lost silently. The concatenated output equals `String(decoding: tokenizer.decode(ids), as:
/// UTF8.self)` (unless `continuing`), and every returned chunk is valid text on its own. Byte
/// pieces (`<0xE2>` …) that spell one character arrive one at a time and are held back alike.
public struct StreamingDetokenizer: Sendable {
    private let tokenizer: Tokenizer
    /// Bytes received but not yet emitted: at most the start of one character.
    private var pending: [UInt8] = []
    /// Whether a new sequence starts with the first id (see `init(tokenizer:continuing:)`).
    private let startsSequence: Bool
    /// Whether no token but control tokens has been appended since the sequence started.
    private var atSequenceStart: Bool

    /// A detokenizer for ids of `tokenizer`'s vocabulary.
    ///
    /// - Parameter continuing: whether the ids continue text decoded elsewhere, such as tokens
    ///   generated after a prompt. A vocabulary with a dummy prefix (`add_space_prefix`) drops
    ///   the leading space of a sequence's first piece, as ``Tokenizer/decode(_:)`` does; a
    ///   continuation keeps it. Other vocabularies decode the same either way.
    public init(tokenizer: Tokenizer, continuing: Bool = false) {
        self.tokenizer = tokenizer
        startsSequence = !continuing
        atSequenceStart = !continuing
    }

    /// The text that `id` completes; empty while a character is still incomplete.
    ///
    /// - Throws: ``TokenizerError/tokenOutOfRange(id:vocabularySize:)`` for an id outside the
    ///   vocabulary; the held-back bytes stay as they were.
    public mutating func append(_ id: TokenID) throws(TokenizerError) -> String {
        try tokenizer.appendBytes(of: id, to: &pending, atSequenceStart: &atSequenceStart)
        let emitted = Self.emittableCount(pending)
        guard emitted > 0 else { return "" }
        let text = String(decoding: pending[..<emitted], as: UTF8.self)
        pending.removeFirst(emitted)
        return text
    }

    /// The held-back bytes, with an incomplete character as U+FFFD; the detokenizer is then
    /// empty and ready for a new sequence.
    public mutating func finish() -> String {
        defer {
            pending.removeAll()
            atSequenceStart = startsSequence
        }
        return String(decoding: pending, as: UTF8.self)
    }

    /// How many leading bytes can be decoded now: all of them, unless they end with the
    /// well-formed start of a multi-byte character that later bytes could complete.
    static func emittableCount(_ bytes: [UInt8]) -> Int {
        let count = bytes.count
        // The last lead byte among the last three bytes, if any.
        var lead = count - 1
        while lead >= 0, lead >= count - 3, bytes[lead] & 0xC0 == 0x80 { lead -= 1 }
        guard lead >= 0, lead >= count - 3 else { return count }
        let needed: Int
        switch bytes[lead] {
        case 0xC2...0xDF: needed = 2
        case 0xE0...0xEF: needed = 3
        case 0xF0...0xF4: needed = 4
        default: return count
        }
        let present = count - lead
        guard present < needed else { return count }
        if present >= 2 {
            // Table 3-7 of the Unicode Standard: the second byte's range depends on the lead.
            let second = bytes[lead + 1]
            let allowed: ClosedRange<UInt8> = switch bytes[lead] {
            case 0xE0: 0xA0...0xBF
            case 0xED: 0x80...0x9F
            case 0xF0: 0x90...0xBF
            case 0xF4: 0x80...0x8F
            default: 0x80...0xBF
            }
            guard allowed.contains(second) else { return count }
        }
        return lead
    }
}
