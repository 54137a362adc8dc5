import NextTokenCore

/// SentencePiece BPE, the `llama` vocabulary of GGUF files (Llama 2, Gemma, Mistral v1 …).
///
/// The text is escaped first (every space becomes `▁`, with a leading `▁` when the vocabulary
/// asks for a dummy prefix). Each segment between special tokens is split into Unicode scalars;
/// then, repeatedly, the adjacent pair whose concatenation is a normal piece with the highest
/// score is merged, the leftmost among equal scores. A final symbol that is not a piece becomes
/// one `<0xXX>` byte piece per UTF-8 byte; when the vocabulary lacks byte pieces, it becomes the
/// unknown token, or is dropped if there is none. There is no pre-tokenizer: nothing is split on
/// whitespace.
package struct SentencePieceBPE: Sendable {
    /// The normal pieces, by their text.
    private let pieces: PieceTable
    /// Each token's merge rank: its score as a key that orders higher scores first (see
    /// ``rank(ofScore:)``). Read only for normal pieces.
    private let ranks: [UInt32]
    /// The `<0xXX>` piece of each byte value, when the vocabulary has all 256 of them.
    private let byteTokens: [TokenID]?
    /// The token for a symbol that is no piece when there are no byte pieces.
    private let unknown: TokenID?
    /// Whether a `▁` is put before the text, and dropped again when decoding.
    package let addsDummyPrefix: Bool

    /// Marks a symbol of the work list not yet looked up in ``pieces``; -1 marks one merged away.
    private static let notLookedUp: TokenID = -2

    /// Builds the piece table, the ranks and the byte pieces of `vocabulary`.
    ///
    /// - Throws: ``TokenizerError/missingScores(model:)`` without scores, and
    ///   ``TokenizerError/countMismatch(field:count:tokenCount:)`` when scores or token types do
    ///   not have one entry per token.
    package init(vocabulary: TokenizerVocabulary) throws(TokenizerError) {
        let count = vocabulary.tokens.count
        guard let scores = vocabulary.scores else { throw .missingScores(model: vocabulary.model.rawValue) }
        guard scores.count == count else {
            throw .countMismatch(field: "scores", count: scores.count, tokenCount: count)
        }
        guard vocabulary.tokenTypes.count == count else {
            throw .countMismatch(field: "token types", count: vocabulary.tokenTypes.count, tokenCount: count)
        }
        var normalPieces: [(text: String, id: TokenID)] = []
        normalPieces.reserveCapacity(count)
        var byteTokens = [TokenID](repeating: -1, count: 256)
        for (index, text) in vocabulary.tokens.enumerated() {
            let id = TokenID(truncatingIfNeeded: index)
            switch TokenType(rawValue: vocabulary.tokenTypes[index]) {
            case .normal:
                normalPieces.append((text, id))
            case .byte:
                if let byte = Self.byteValue(ofPiece: text), byteTokens[Int(byte)] < 0 {
                    byteTokens[Int(byte)] = id
                }
            default:
                break
            }
        }
        pieces = PieceTable(pieces: normalPieces)
        ranks = scores.map(Self.rank(ofScore:))
        self.byteTokens = byteTokens.contains(-1) ? nil : byteTokens
        unknown = vocabulary.unknown
        addsDummyPrefix = vocabulary.addSpacePrefix
    }

    /// A merge rank for `score`: a lower rank for a higher score, equal ranks for equal scores
    /// (-0 and +0 included), and the lowest priority for NaN.
    package static func rank(ofScore score: Float) -> UInt32 {
        guard !score.isNaN else { return .max }
        let bits = (score == 0 ? 0 : score).bitPattern
        // IEEE 754 bits made to sort as unsigned integers in the order of the values.
        let ascending = bits & 0x8000_0000 != 0 ? ~bits : bits | 0x8000_0000
        return ~ascending
    }

    /// The byte a byte piece `<0xXX>` stands for, or `nil` if `text` is not spelled so.
    package static func byteValue(ofPiece text: String) -> UInt8? {
        let utf8 = Array(text.utf8)
        guard utf8.count == 6, utf8.starts(with: Array("<0x".utf8)), utf8[5] == UInt8(ascii: ">") else {
            return nil
        }
        return UInt8(String(decoding: utf8[3..<5], as: UTF8.self), radix: 16)
    }

    /// The bytes a token stands for: control and unknown tokens are their own text, a byte
    /// piece its byte, and every other piece its text with `▁` turned back into a space.
    package static func bytes(ofToken text: String, type: Int32) -> [UInt8] {
        switch TokenType(rawValue: type) {
        case .control, .unknown: Array(text.utf8)
        case .byte: byteValue(ofPiece: text).map { [$0] } ?? Array(text.utf8)
        default: Metaspace.unescape(text)
        }
    }

    /// The escaped UTF-8 bytes of a whole input text, dummy prefix included.
    package func escaped(_ text: String) -> [UInt8] {
        Metaspace.escape(text.utf8, addingPrefix: addsDummyPrefix)
    }

    /// Appends the tokens of a segment of escaped text (no special tokens in it) to `ids`.
    package func encode(
        _ bytes: ArraySlice<UInt8>, workspace: inout EncodingWorkspace, into ids: inout [TokenID]
    ) {
        guard !bytes.isEmpty else { return }
        let symbolCount = splitIntoScalars(bytes, &workspace.word)
        bytes.withUnsafeBufferPointer { text in
            mergePairs(text, &workspace.word, symbolCount: symbolCount)
            appendTokens(text, workspace.word, into: &ids)
        }
    }

    /// Fills `word` with one symbol per scalar of `bytes`, linked left to right; returns the
    /// symbol count. A byte that starts no well-formed sequence is a symbol of its own.
    private func splitIntoScalars(_ bytes: ArraySlice<UInt8>, _ word: inout WordWorkspace) -> Int {
        word.reset()
        var index = bytes.startIndex
        while index < bytes.endIndex {
            word.starts.append(Int32(truncatingIfNeeded: index - bytes.startIndex))
            word.symbols.append(Self.notLookedUp)
            index += ClassifiedText.scalar(in: bytes, at: index).1
        }
        word.linkNeighbours()
        return word.symbols.count
    }

    /// Merges pairs, best rank first and leftmost among equals, until no pair is a piece.
    ///
    /// The queue holds candidates keyed by (rank, left position). A merge changes only the
    /// pairs beside it, which are pushed anew; a popped candidate is stale when its left symbol
    /// was merged away or its pair no longer joins to a piece of the popped rank.
    private func mergePairs(_ text: UnsafeBufferPointer<UInt8>, _ word: inout WordWorkspace, symbolCount: Int) {
        guard symbolCount > 1 else { return }
        for position in 0..<(symbolCount - 1) {
            pushCandidate(at: position, text, &word)
        }
        while let (rank, position) = word.queue.pop() {
            let right = Int(word.next[position])
            guard word.symbols[position] != -1, right >= 0,
                  let token = pieces.id(of: pairSpan(position, right, text, word)),
                  Int32(bitPattern: ranks[Int(token)]) == rank else { continue }
            word.merge(position, with: right, into: token)
            let left = Int(word.previous[position])
            if left >= 0 { pushCandidate(at: left, text, &word) }
            if word.next[position] >= 0 { pushCandidate(at: position, text, &word) }
        }
    }

    /// Queues the pair of the symbol at `position` and its right neighbour if it joins to a piece.
    @inline(__always)
    private func pushCandidate(at position: Int, _ text: UnsafeBufferPointer<UInt8>, _ word: inout WordWorkspace) {
        let right = Int(word.next[position])
        guard let token = pieces.id(of: pairSpan(position, right, text, word)) else { return }
        word.queue.push(rank: Int32(bitPattern: ranks[Int(token)]), position: position)
    }

    /// The bytes of the symbol at `position` joined with the one at `right`, its right neighbour.
    @inline(__always)
    private func pairSpan(
        _ position: Int, _ right: Int, _ text: UnsafeBufferPointer<UInt8>, _ word: WordWorkspace
    ) -> UnsafeBufferPointer<UInt8> {
        let after = Int(word.next[right])
        let end = after >= 0 ? Int(word.starts[after]) : text.count
        return UnsafeBufferPointer(rebasing: text[Int(word.starts[position])..<end])
    }

    /// Appends the token of each remaining symbol, or its byte pieces when it is no piece.
    private func appendTokens(_ text: UnsafeBufferPointer<UInt8>, _ word: WordWorkspace, into ids: inout [TokenID]) {
        var position = 0
        while position >= 0 {
            let after = Int(word.next[position])
            let end = after >= 0 ? Int(word.starts[after]) : text.count
            let span = UnsafeBufferPointer(rebasing: text[Int(word.starts[position])..<end])
            var token = word.symbols[position]
            if token == Self.notLookedUp { token = pieces.id(of: span) ?? -1 }
            if token >= 0 {
                ids.append(token)
            } else if let byteTokens {
                for byte in span { ids.append(byteTokens[Int(byte)]) }
            } else if let unknown {
                ids.append(unknown)
            }
            position = after
        }
    }
}
