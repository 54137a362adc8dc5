import NextTokenCore
import NextTokenTokenizer

/// The tokens a text can be spelled with, looked up by their bytes: every token the tokenizer
/// could produce from some text (normal pieces, byte-fallback pieces, user-defined tokens).
///
/// Unknown, unused and empty tokens are left out, and so are control tokens unless asked for:
/// ordinary text never turns into them (§7.2 of the algorithm notes).
package struct TokenSpellings: Sendable {
    /// The tokenizer the spellings come from.
    package let tokenizer: Tokenizer
    /// Every included token, keyed by its bytes; ids in increasing order.
    private let tokensByBytes: [[UInt8]: [TokenID]]
    /// The length in bytes of the longest included token.
    package let longestTokenLength: Int
    /// Whether decoding drops the leading space of the first piece of a sequence.
    package let stripsDummyPrefix: Bool

    /// The spellings of `tokenizer`'s vocabulary; `includeControlTokens` also lets control tokens
    /// (`<|im_end|>`, `<bos>`) spell their literal text.
    package init(tokenizer: Tokenizer, includeControlTokens: Bool = false) {
        var table: [[UInt8]: [TokenID]] = [:]
        var longest = 0
        for index in 0 ..< tokenizer.vocabularySize {
            let id = TokenID(truncatingIfNeeded: index)
            guard Self.isSpelling(type: tokenizer.tokenType(id), includeControl: includeControlTokens),
                  let bytes = try? tokenizer.tokenBytes(id), !bytes.isEmpty else { continue }
            table[bytes, default: []].append(id)
            longest = max(longest, bytes.count)
        }
        self.tokenizer = tokenizer
        tokensByBytes = table
        longestTokenLength = longest
        stripsDummyPrefix = tokenizer.stripsDummyPrefix
    }

    private static func isSpelling(type raw: Int32?, includeControl: Bool) -> Bool {
        switch raw.flatMap(TokenType.init(rawValue:)) {
        case .normal, .byte, .userDefined: true
        case .control: includeControl
        case .unknown, .unused, nil: false
        }
    }

    /// The included tokens whose bytes are exactly `bytes`.
    package func tokens(spelling bytes: [UInt8]) -> [TokenID] {
        tokensByBytes[bytes] ?? []
    }

    /// Whether decoding drops `id`'s leading space when it starts a sequence.
    package func dropsLeadingSpaceAtStart(_ id: TokenID) -> Bool {
        tokenizer.dropsLeadingSpaceAtSequenceStart(id)
    }

    /// The bytes `id` contributes to a decoded sequence (its leading space dropped when it is the
    /// first token of a sequence and the vocabulary strips the dummy prefix).
    package func effectiveBytes(of id: TokenID, atSequenceStart: Bool) -> [UInt8] {
        let bytes = (try? tokenizer.tokenBytes(id)) ?? []
        return atSequenceStart && dropsLeadingSpaceAtStart(id) ? Array(bytes.dropFirst()) : bytes
    }

    /// The pieces that decode to nothing when they start a sequence: a lone space piece, in a
    /// vocabulary with a dummy prefix (decoding drops that space).
    package var emptyAtSequenceStart: [TokenID] {
        stripsDummyPrefix ? tokens(spelling: [0x20]).filter(dropsLeadingSpaceAtStart) : []
    }

    /// Every `(end, token)` such that the token spells `bytes[start ..< end]`, longest first and
    /// then by id. At a sequence start a dummy-prefix piece `" x"` spells `x` (decoding drops its
    /// space), and a piece that starts with a space cannot spell text as it is.
    package func matches(in bytes: [UInt8], at start: Int, atSequenceStart: Bool) -> [(end: Int, token: TokenID)] {
        var found: [(end: Int, token: TokenID)] = []
        let longest = min(longestTokenLength, bytes.count - start)
        guard longest > 0 else { return found }
        let stripping = atSequenceStart && stripsDummyPrefix
        for length in stride(from: longest, through: 1, by: -1) {
            let span = Array(bytes[start ..< start + length])
            var ids: [TokenID] = []
            for token in tokens(spelling: span) where !(stripping && dropsLeadingSpaceAtStart(token)) {
                ids.append(token)
            }
            if stripping {
                ids += tokens(spelling: [0x20] + span).filter(dropsLeadingSpaceAtStart)
            }
            found += ids.sorted().map { (start + length, $0) }
        }
        return found
    }
}

extension Tokenizer {
    /// Whether decoding drops `id`'s leading space when it starts a sequence: a piece (not a
    /// byte, unknown or control token) whose bytes start with a space, in a vocabulary with a
    /// dummy prefix.
    package func dropsLeadingSpaceAtSequenceStart(_ id: TokenID) -> Bool {
        guard stripsDummyPrefix else { return false }
        let type = tokenType(id).flatMap(TokenType.init(rawValue:))
        guard type != .byte, type != .unknown, type != .control else { return false }
        return (try? tokenBytes(id).first) == 0x20
    }
}
