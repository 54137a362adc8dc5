import NextTokenCore

/// Scratch buffers for one `encode` call, reused from segment to segment and word to word.
package struct EncodingWorkspace: Sendable {
    /// The current segment, decoded and classified.
    package var text = ClassifiedText()
    /// The end (scalar index) of each pre-tokenized piece of the segment.
    package var pieceEnds: [Int] = []
    /// The symbols of the word being merged.
    package var word = WordWorkspace()

    /// Empty buffers.
    package init() {}
}

/// The symbols of one word (or SentencePiece segment) as a doubly linked list over arrays, plus the queue of candidate
/// merges. A merged-away symbol is marked -1 and unlinked; position 0 is never merged away.
package struct WordWorkspace: Sendable {
    /// The token of each symbol, or -1 once merged into its left neighbour.
    package var symbols: [TokenID] = []
    /// The position of each symbol's right neighbour, or -1.
    package var next: [Int32] = []
    /// The position of each symbol's left neighbour, or -1.
    package var previous: [Int32] = []
    /// The byte offset where each symbol starts in its segment (SentencePiece BPE, whose
    /// symbols are spans of the text; byte-level BPE leaves it empty).
    package var starts: [Int32] = []
    /// Candidate merges.
    package var queue = MergeQueue()

    /// Empty buffers.
    package init() {}

    /// Clears every buffer, keeping storage.
    package mutating func reset() {
        symbols.removeAll(keepingCapacity: true)
        next.removeAll(keepingCapacity: true)
        previous.removeAll(keepingCapacity: true)
        starts.removeAll(keepingCapacity: true)
        queue.removeAll()
    }

    /// Links `symbols` left to right.
    package mutating func linkNeighbours() {
        let count = symbols.count
        for position in 0..<count {
            previous.append(Int32(truncatingIfNeeded: position - 1))
            next.append(position + 1 < count ? Int32(truncatingIfNeeded: position + 1) : -1)
        }
    }

    /// Replaces the symbol at `position` and its right neighbour `right` by `token`.
    package mutating func merge(_ position: Int, with right: Int, into token: TokenID) {
        symbols[position] = token
        symbols[right] = -1
        let after = next[right]
        next[position] = after
        if after >= 0 { previous[Int(after)] = Int32(truncatingIfNeeded: position) }
    }
}
