import NextTokenCore

/// GPT-2 style byte-level BPE: pre-tokenize, map each word's bytes to their single-byte tokens,
/// then apply merges by rank (lowest first; leftmost among equal ranks).
///
/// A byte without a single-byte token is dropped before merging, as Hugging Face `tokenizers`
/// does for a byte-level vocabulary without an unknown token.
package struct ByteLevelBPE: Sendable {
    /// A merge rule in id space: its rank and the token the pair becomes.
    private struct Merge: Sendable {
        let rank: Int32
        let token: TokenID
    }

    /// How text is cut into words.
    package let preTokenizer: PreTokenizer
    /// The token of each single byte, or -1 where the vocabulary has none.
    private let byteTokens: [TokenID]
    /// Merges keyed by `left << 32 | right` token ids.
    private let merges: [UInt64: Merge]
    /// Words emitted whole when ``PreTokenizer/ignoresMerges``: normal tokens by their bytes.
    private let wholeWords: [[UInt8]: TokenID]

    /// Builds the byte table and the merge table.
    ///
    /// - Throws: ``TokenizerError/invalidMerge(rank:merge:)`` for a rule that is not
    ///   `"left right"` over vocabulary tokens whose join is also a token.
    package init(vocabulary: TokenizerVocabulary, preTokenizer: PreTokenizer) throws(TokenizerError) {
        self.preTokenizer = preTokenizer
        var ids: [[UInt8]: TokenID] = [:]
        ids.reserveCapacity(vocabulary.tokens.count)
        for (index, token) in vocabulary.tokens.enumerated() {
            let key = Array(token.utf8)
            if ids[key] == nil { ids[key] = TokenID(truncatingIfNeeded: index) }
        }
        byteTokens = (0...UInt8.max).map { ids[ByteLevelAlphabet.spellingBytes(of: $0)] ?? -1 }

        var merges: [UInt64: Merge] = [:]
        merges.reserveCapacity(vocabulary.merges.count)
        for (rank, merge) in vocabulary.merges.enumerated() {
            let bytes = Array(merge.utf8)
            guard let rank32 = Int32(exactly: rank),
                  let separator = bytes.dropFirst().firstIndex(of: 0x20),
                  let left = ids[Array(bytes[..<separator])],
                  let right = ids[Array(bytes[(separator + 1)...])],
                  let joined = ids[Array(bytes[..<separator] + bytes[(separator + 1)...])]
            else { throw .invalidMerge(rank: rank, merge: merge) }
            let key = Self.pairKey(left, right)
            if merges[key] == nil { merges[key] = Merge(rank: rank32, token: joined) }
        }
        self.merges = merges

        var wholeWords: [[UInt8]: TokenID] = [:]
        if preTokenizer.ignoresMerges {
            for (index, token) in vocabulary.tokens.enumerated()
            where vocabulary.tokenTypes[index] == TokenType.normal.rawValue {
                let key = ByteLevelAlphabet.bytes(of: token)
                if wholeWords[key] == nil { wholeWords[key] = TokenID(truncatingIfNeeded: index) }
            }
        }
        self.wholeWords = wholeWords
    }

    /// The bytes a token stands for: control, user-defined and unknown tokens are their own
    /// text; every other token is spelled in GPT-2's byte alphabet.
    package static func bytes(ofToken text: String, type: Int32) -> [UInt8] {
        switch TokenType(rawValue: type) {
        case .control, .userDefined, .unknown: Array(text.utf8)
        default: ByteLevelAlphabet.bytes(of: text)
        }
    }

    /// Appends the tokens of a text segment (no special tokens in it) to `ids`.
    package func encode(
        _ bytes: ArraySlice<UInt8>, workspace: inout EncodingWorkspace, into ids: inout [TokenID]
    ) {
        workspace.text.decode(bytes)
        workspace.pieceEnds.removeAll(keepingCapacity: true)
        preTokenizer.split(workspace.text, 0..<workspace.text.values.count, into: &workspace.pieceEnds)
        let offsets = workspace.text.byteOffsets
        let pieceEnds = workspace.pieceEnds
        var pieceStart = 0
        for pieceEnd in pieceEnds {
            let lower = bytes.startIndex + offsets[pieceStart]
            let upper = bytes.startIndex + offsets[pieceEnd]
            encodeWord(bytes[lower..<upper], &workspace.word, into: &ids)
            pieceStart = pieceEnd
        }
    }

    /// Appends the tokens of one pre-tokenized word.
    private func encodeWord(
        _ bytes: ArraySlice<UInt8>, _ word: inout WordWorkspace, into ids: inout [TokenID]
    ) {
        if !wholeWords.isEmpty, let token = wholeWords[Array(bytes)] {
            ids.append(token)
            return
        }
        word.reset()
        for byte in bytes {
            let token = byteTokens[Int(byte)]
            if token >= 0 { word.symbols.append(token) }
        }
        let count = word.symbols.count
        guard count > 1 else {
            ids.append(contentsOf: word.symbols)
            return
        }
        word.linkNeighbours()
        for position in 0..<(count - 1) {
            if let merge = merges[Self.pairKey(word.symbols[position], word.symbols[position + 1])] {
                word.queue.push(rank: merge.rank, position: position)
            }
        }
        while let (rank, position) = word.queue.pop() {
            let right = Int(word.next[position])
            // Skip candidates made stale by an earlier merge: the pair there must still be
            // the one this rank names.
            guard word.symbols[position] >= 0, right >= 0,
                  let merge = merges[Self.pairKey(word.symbols[position], word.symbols[right])],
                  merge.rank == rank else { continue }
            word.merge(position, with: right, into: merge.token)
            let left = Int(word.previous[position])
            if left >= 0,
               let before = merges[Self.pairKey(word.symbols[left], word.symbols[position])] {
                word.queue.push(rank: before.rank, position: left)
            }
            let after = Int(word.next[position])
            if after >= 0,
               let next = merges[Self.pairKey(word.symbols[position], word.symbols[after])] {
                word.queue.push(rank: next.rank, position: position)
            }
        }
        var position = 0
        while position >= 0 {
            ids.append(word.symbols[position])
            position = Int(word.next[position])
        }
    }

    @inline(__always)
    private static func pairKey(_ left: TokenID, _ right: TokenID) -> UInt64 {
        UInt64(UInt32(bitPattern: left)) << 32 | UInt64(UInt32(bitPattern: right))
    }
}
