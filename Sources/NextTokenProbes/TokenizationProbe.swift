import NextTokenCore
import NextTokenTokenizer

/// The encodings of one word (or other short text): the canonical one, how many others decode
/// to the same bytes, and how those differ from it.
public struct WordEncodings: Sendable, Equatable {
    /// The word as given.
    public var word: String
    /// The text that was probed: the word, after a space when words are probed as they appear
    /// inside a sentence.
    public var text: String
    /// Where ``text`` sits in the probed text (`nil` for a word probed on its own).
    public var byteRange: Range<Int>?
    /// The tokenizer's encoding of ``text`` (in its place in the text).
    public var canonical: [TokenID]
    /// How many token sequences decode to ``text``'s bytes, the canonical one included
    /// (saturating at `UInt64.max`).
    public var count: UInt64
    /// Non-canonical encodings, fewest tokens first, at most the probe's limit.
    public var encodings: [[TokenID]]
    /// Whether ``encodings`` lists every non-canonical encoding.
    public var isComplete: Bool
    /// Whether the enumeration met the canonical encoding (it always should).
    public var canonicalFound: Bool
    /// For each class, how many of ``encodings`` differ from the canonical one in that way.
    public var classCounts: [ArtifactClass: Int]

    /// Non-canonical encodings in all (not just those listed).
    public var alternativeCount: UInt64 { count == .max ? .max : count - (canonicalFound ? 1 : 0) }
}

/// The tokenizer half of the tokenization-consistency probe (§7.2, §7.4): enumerates and
/// classifies the non-canonical encodings of words and texts.
public struct TokenizationProbe: Sendable {
    /// Finds the encodings.
    public let enumerator: EncodingEnumerator
    /// Classifies how they differ from the canonical one.
    public let classifier: ArtifactClassifier

    /// A probe for `tokenizer`; `includeControlTokens` also lets control tokens spell their text.
    public init(tokenizer: Tokenizer, includeControlTokens: Bool = false) {
        enumerator = EncodingEnumerator(tokenizer: tokenizer, includeControlTokens: includeControlTokens)
        classifier = ArtifactClassifier(tokenizer: tokenizer)
    }

    /// The tokenizer probed.
    public var tokenizer: Tokenizer { enumerator.tokenizer }

    /// Probes `word` as a text of its own, after a space when `leadingSpace` (the form a word
    /// has inside a sentence), listing at most `limit` non-canonical encodings.
    public func probe(word: String, leadingSpace: Bool = true, limit: Int = 100) -> WordEncodings {
        let text = leadingSpace ? " " + word : word
        let canonical = tokenizer.encode(text, parseSpecial: false)
        let bytes = (try? tokenizer.decode(canonical)) ?? Array(text.utf8)
        return probe(word: word, text: text, bytes: bytes, canonical: canonical, atSequenceStart: true, limit: limit,
                     byteRange: nil)
    }

    /// Probes every word of `text` (see ``TextUnit``), each in its place in the text's encoding.
    public func probe(text: String, limit: Int = 100) -> [WordEncodings] {
        let ids = tokenizer.encode(text, parseSpecial: false)
        let bytes = (try? tokenizer.decode(ids)) ?? []
        return TextUnit.split(ids, bytes: bytes, tokenizer: tokenizer).map { unit in
            let unitBytes = Array(bytes[unit.byteRange])
            let word = String(decoding: unitBytes, as: UTF8.self)
            return probe(word: word, text: word, bytes: unitBytes, canonical: Array(ids[unit.tokenRange]),
                         atSequenceStart: unit.byteRange.lowerBound == 0, limit: limit, byteRange: unit.byteRange)
        }
    }

    private func probe(
        word: String, text: String, bytes: [UInt8], canonical: [TokenID], atSequenceStart: Bool, limit: Int,
        byteRange: Range<Int>?
    ) -> WordEncodings {
        let count = enumerator.count(of: bytes, atSequenceStart: atSequenceStart)
        let listed = enumerator.encodings(of: bytes, atSequenceStart: atSequenceStart, limit: max(0, limit) + 1)
        let canonicalFound = isPath(canonical, of: bytes, atSequenceStart: atSequenceStart)
        let alternatives = Array(listed.filter { $0 != canonical }.prefix(max(0, limit)))
        var classCounts: [ArtifactClass: Int] = [:]
        for encoding in alternatives {
            let classes = classifier.classes(reference: canonical, other: encoding, atSequenceStart: atSequenceStart)
            for artifact in classes ?? [] { classCounts[artifact, default: 0] += 1 }
        }
        let alternativeTotal = count == .max ? UInt64.max : count - (canonicalFound ? 1 : 0)
        return WordEncodings(word: word, text: text, byteRange: byteRange, canonical: canonical, count: count,
                             encodings: alternatives,
                             isComplete: UInt64(alternatives.count) == alternativeTotal,
                             canonicalFound: canonicalFound, classCounts: classCounts)
    }

    /// Whether `ids` is a path of the segmentation graph of `bytes`: made of included tokens that
    /// spell `bytes` exactly.
    private func isPath(_ ids: [TokenID], of bytes: [UInt8], atSequenceStart: Bool) -> Bool {
        let graph = SegmentationGraph(bytes: bytes, spellings: enumerator.spellings, atSequenceStart: atSequenceStart)
        var node = graph.root
        for id in ids {
            guard let edge = graph.edges[node].first(where: { $0.token == id }) else { return false }
            node = edge.end
        }
        return node == graph.end
    }
}
