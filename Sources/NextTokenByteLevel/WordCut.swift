import NextTokenSampling

/// A prompt that ends inside a word of a corpus, and the true rest of that word.
public struct WordCut: Sendable, Equatable {
    /// Byte offset of the cut in the corpus.
    public var offset: Int
    /// The context window: the bytes before the cut (starting on a character boundary).
    public var prompt: [UInt8]
    /// The word's bytes after the cut, up to the first character that is not part of a word.
    public var rest: [UInt8]
}

/// Seeded random prompts cut inside words (the next-word completion benchmark).
///
/// Offsets are drawn uniformly over the corpus's bytes (so longer words are cut more often) and
/// kept when they lie between two word characters (``WordCharacters``) on a character boundary,
/// have a full context window before them, are not already taken, and leave at most
/// ``maxRestBytes`` of the word. Draws use ``SeededRandom`` reduced modulo the range, so a seed
/// gives the same cuts on every platform.
public enum WordCutter {
    /// Longest rest of a word kept (longer runs are mostly hex strings and identifiers glued
    /// together, and cost generation time without telling much).
    public static let maxRestBytes = 32

    /// `count` distinct cuts of `text` with `contextBytes`-byte windows (a little less when the
    /// window would start inside a character).
    ///
    /// - Throws: ``ByteLevelError/invalidArgument(_:)`` when `count` is negative,
    ///   `contextBytes` is not positive, the text is not longer than the window, or too few
    ///   cuts are found in `count · 1000 + 10000` draws.
    public static func cuts(in text: String, count: Int, contextBytes: Int, seed: UInt64) throws(ByteLevelError) -> [WordCut] {
        guard count >= 0 else { throw .invalidArgument("the number of cuts must not be negative") }
        guard contextBytes > 0 else { throw .invalidArgument("the context window must be at least 1 byte") }
        guard count > 0 else { return [] }
        let bytes = Array(text.utf8)
        guard bytes.count > contextBytes else {
            throw .invalidArgument("the text has \(bytes.count) bytes, not more than the \(contextBytes)-byte context window")
        }
        var random = SeededRandom(seed: seed)
        var taken = Set<Int>()
        var cuts: [WordCut] = []
        let draws = count * 1000 + 10000
        for _ in 0..<draws where cuts.count < count {
            let offset = contextBytes + Int(random.next() % UInt64(bytes.count - contextBytes))
            guard !taken.contains(offset), let cut = cut(bytes, at: offset, contextBytes: contextBytes) else { continue }
            taken.insert(offset)
            cuts.append(cut)
        }
        guard cuts.count == count else {
            throw .invalidArgument("found only \(cuts.count) of \(count) cuts inside words in \(draws) draws")
        }
        return cuts
    }

    /// The cut at `offset` of `bytes`, when it lies inside a word with a short enough rest.
    static func cut(_ bytes: [UInt8], at offset: Int, contextBytes: Int) -> WordCut? {
        guard offset > 0, offset < bytes.count,
              let before = WordCharacters.scalar(bytes, endingAt: offset), WordCharacters.isWord(before) else { return nil }
        var end = offset
        while case .scalar(let scalar, let width) = WordCharacters.decode(bytes, at: end), WordCharacters.isWord(scalar) {
            end += width
            guard end - offset <= maxRestBytes else { return nil }
        }
        guard end > offset else { return nil }
        var start = max(0, offset - contextBytes)
        while start < offset, WordCharacters.isContinuation(bytes[start]) { start += 1 }
        return WordCut(offset: offset, prompt: Array(bytes[start..<offset]), rest: Array(bytes[offset..<end]))
    }
}
