import NextTokenCore
import NextTokenTokenizer

/// Encodes byte strings with a vocabulary's tokenizer and finds anchor boundaries (design §6.3),
/// reusing its scratch buffers from call to call. One per byte-level state.
struct StreamEncoder {
    let vocabulary: ByteVocabulary
    private var workspace = EncodingWorkspace()
    private var scratch: [TokenID] = []

    init(vocabulary: ByteVocabulary) {
        self.vocabulary = vocabulary
    }

    /// The tokens of stream bytes `bytes` (no dummy prefix added, special tokens not parsed).
    mutating func encode(_ bytes: ArraySlice<UInt8>) -> [TokenID] {
        scratch.removeAll(keepingCapacity: true)
        vocabulary.tokenizer.encodeStream(bytes, workspace: &workspace, into: &scratch)
        return scratch
    }

    /// Continuations tried by ``isPrefixValid(_:prefix:then:)`` after the empty one: a letter, a
    /// digit, punctuation, a space, a newline, and `s` (which completes a contraction).
    private static let probes: [[UInt8]] = ["a", "1", ".", " ", "\n", "s"].map { Array($0.utf8) }

    /// Whether the token sequence `prefix + [last]`, whose bytes are `bytes`, can start the
    /// encoding of some text: whether `bytes` followed by nothing, or by one of a few probe
    /// continuations, encodes to a sequence starting with it.
    ///
    /// Design §6.2 tests `encode(bytes) == tokens`. That suffices for SentencePiece, whose
    /// encodings keep their prefixes, but not for pre-tokenizers that look ahead: GPT-2's
    /// `\s+(?!\S)` encodes `"\n\n"` as one token yet `"\n\n```"` as `"\n", "\n", "```"`. A
    /// pre-tokenizer piece boundary depends on at most the next few characters' classes, and
    /// only after whitespace, punctuation or an apostrophe, so the probes are tried only when
    /// the bytes end in something other than an ASCII letter or digit.
    mutating func isPrefixValid(_ bytes: [UInt8], prefix: [TokenID], then last: TokenID) -> Bool {
        if encodes(bytes[...], startingWith: prefix, then: last, exactly: true) { return true }
        guard !vocabulary.isSentencePiece, let final = bytes.last, !Self.isAlphanumeric(final) else { return false }
        var extended = bytes
        for probe in Self.probes {
            extended.removeSubrange(bytes.count...)
            extended += probe
            if encodes(extended[...], startingWith: prefix, then: last, exactly: false) { return true }
        }
        return false
    }

    /// Whether `bytes` encode to `prefix + [last]`, exactly or as the start of the encoding.
    private mutating func encodes(
        _ bytes: ArraySlice<UInt8>, startingWith prefix: [TokenID], then last: TokenID, exactly: Bool
    ) -> Bool {
        scratch.removeAll(keepingCapacity: true)
        vocabulary.tokenizer.encodeStream(bytes, workspace: &workspace, into: &scratch)
        guard exactly ? scratch.count == prefix.count + 1 : scratch.count > prefix.count,
              scratch[prefix.count] == last else { return false }
        for index in prefix.indices where scratch[index] != prefix[index] { return false }
        return true
    }

    @inline(__always)
    private static func isAlphanumeric(_ byte: UInt8) -> Bool {
        (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
    }

    /// The latest boundary `p` in `from ... end` of `stream[..<end]` that no continuation of
    /// those bytes can move: encoding `stream[..<end] + e` equals encoding `stream[..<p]`
    /// followed by encoding `stream[p..<end] + e`, for every `e`. `from` must be such a
    /// boundary already (0 always is).
    ///
    /// Byte-level BPE: the start of the second-to-last pre-tokenizer piece (third-to-last when
    /// the vocabulary has user-defined tokens), since a piece's extent depends on at most a few
    /// characters after it. SentencePiece: the last space that follows a non-space, unless a
    /// piece joins that character to a space. Either way the boundary must not fall inside a
    /// user-defined token's text, completely or partly present. When in doubt the boundary moves
    /// earlier, which only lengthens the last word (more covers, still exact).
    mutating func stableBoundary(in stream: [UInt8], end: Int, from: Int) -> Int {
        guard end - from >= 2 else { return from }
        if vocabulary.isSentencePiece {
            var position = end - 1
            while position > from {
                let before = stream[position - 1]
                if stream[position] == 0x20, before != 0x20, !vocabulary.bridgingBytes[Int(before)],
                   !crossesUserDefined(stream, end: end, at: position) {
                    return position
                }
                position -= 1
            }
            return from
        }
        guard let ends = vocabulary.tokenizer.pieceEnds(of: stream[from..<end], workspace: &workspace) else {
            return from
        }
        let margin = vocabulary.longestUserDefined > 0 ? 3 : 2
        guard ends.count > margin else { return from }
        for index in stride(from: ends.count - margin - 1, through: 0, by: -1) {
            let position = from + ends[index]
            if !crossesUserDefined(stream, end: end, at: position) { return position }
        }
        return from
    }

    /// The anchor for a prompt `stream[..<end]` that is fed at once: the stable boundary, moved
    /// earlier until it is also a token boundary of the prompt's first few longer prefixes, so
    /// that the prompt's last bytes are then added exactly as a byte-by-byte walk would add them.
    mutating func promptAnchor(in stream: [UInt8], end: Int) -> Int {
        var anchor = stableBoundary(in: stream, end: end, from: 0)
        while anchor > 0, !vocabulary.isSentencePiece, !isSettled(anchor, in: stream, end: end) {
            anchor = stableBoundary(in: stream, end: anchor, from: 0)
        }
        return anchor
    }

    /// Whether `anchor` is a piece boundary of `stream[..<i]` for the next three `i` after it.
    private mutating func isSettled(_ anchor: Int, in stream: [UInt8], end: Int) -> Bool {
        let base = stableBoundary(in: stream, end: anchor, from: 0)
        for limit in (anchor + 1)...min(end, anchor + 3) {
            guard let ends = vocabulary.tokenizer.pieceEnds(of: stream[base..<limit], workspace: &workspace),
                  ends.contains(anchor - base) else { return false }
        }
        return true
    }

    /// Whether a user-defined token's text, fully present or cut off by the end of the bytes,
    /// covers both `stream[position - 1]` and `stream[position]`.
    private func crossesUserDefined(_ stream: [UInt8], end: Int, at position: Int) -> Bool {
        let longest = vocabulary.longestUserDefined
        guard longest > 1 else { return false }
        for start in max(0, position - longest + 1)..<position {
            for text in vocabulary.userDefinedByFirstByte[Int(stream[start])] where start + text.count > position {
                let available = min(text.count, end - start)
                var matches = true
                for offset in 0..<available where text[offset] != stream[start + offset] {
                    matches = false
                    break
                }
                if matches { return true }
            }
        }
        return false
    }
}
