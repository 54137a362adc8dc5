import NextTokenCore
import NextTokenTokenizer

/// One place where two encodings of the same text disagree: the smallest byte span bounded by
/// token boundaries both share, with each side's tokens over it.
public struct EncodingDifference: Sendable, Equatable {
    /// The bytes of the decoded text the difference covers.
    public var byteRange: Range<Int>
    /// The reference (usually canonical) sequence's tokens over ``byteRange``.
    public var referenceTokens: [TokenID]
    /// The other sequence's tokens over ``byteRange``.
    public var otherTokens: [TokenID]
    /// What kind of difference it is (at least one class).
    public var classes: Set<ArtifactClass>
}

/// Compares two token sequences for the same text and classifies where they differ (§7.4).
public struct ArtifactClassifier: Sendable {
    let tokenizer: Tokenizer

    /// A classifier for sequences of `tokenizer`'s tokens.
    public init(tokenizer: Tokenizer) {
        self.tokenizer = tokenizer
    }

    /// Where `other` differs from `reference`, or `nil` when they decode to different texts that
    /// are not even canonically equivalent (or contain ids outside the vocabulary).
    ///
    /// Identical sequences give no difference. Texts that are canonically equivalent but not
    /// byte-identical (NFC against NFD) give one difference over the whole text, classed
    /// ``ArtifactClass/normalizationEquivalent``. `atSequenceStart`: the sequences start the text
    /// (a dummy-prefix piece then decodes without its space).
    public func differences(
        reference: [TokenID], other: [TokenID], atSequenceStart: Bool = false
    ) -> [EncodingDifference]? {
        let referenceLengths = lengths(of: reference, atSequenceStart: atSequenceStart)
        let otherLengths = lengths(of: other, atSequenceStart: atSequenceStart)
        guard let referenceLengths, let otherLengths,
              let referenceBytes = try? tokenizer.decode(reference),
              let otherBytes = try? tokenizer.decode(other) else { return nil }
        guard referenceBytes == otherBytes else {
            let equivalent = String(decoding: referenceBytes, as: UTF8.self) == String(decoding: otherBytes, as: UTF8.self)
            guard equivalent else { return nil }
            return [EncodingDifference(byteRange: 0 ..< referenceBytes.count, referenceTokens: reference,
                                       otherTokens: other, classes: [.normalizationEquivalent])]
        }
        var text = ClassifiedText()
        text.decode(referenceBytes[...])
        var result: [EncodingDifference] = []
        var (i, j, referenceEnd, otherEnd) = (0, 0, 0, 0)
        while i < reference.count || j < other.count {
            if referenceEnd == otherEnd, i < reference.count, j < other.count, reference[i] == other[j] {
                referenceEnd += referenceLengths[i]
                otherEnd += otherLengths[j]
                i += 1
                j += 1
                continue
            }
            let start = referenceEnd
            let (firstI, firstJ) = (i, j)
            var referenceCuts: Set<Int> = []
            var otherCuts: Set<Int> = []
            if i < reference.count {
                referenceEnd += referenceLengths[i]
                i += 1
            }
            if j < other.count {
                otherEnd += otherLengths[j]
                j += 1
            }
            while referenceEnd != otherEnd {
                if referenceEnd < otherEnd, i < reference.count {
                    referenceCuts.insert(referenceEnd)
                    referenceEnd += referenceLengths[i]
                    i += 1
                } else if otherEnd < referenceEnd, j < other.count {
                    otherCuts.insert(otherEnd)
                    otherEnd += otherLengths[j]
                    j += 1
                } else {
                    break
                }
            }
            let referenceTokens = Array(reference[firstI ..< i])
            let otherTokens = Array(other[firstJ ..< j])
            let cuts = referenceCuts.symmetricDifference(otherCuts).filter { $0 > start && $0 < referenceEnd }
            var classes = classes(atCuts: cuts, in: text)
            classes.formUnion(tokenClasses(referenceTokens + otherTokens))
            if start == 0, atSequenceStart, tokenizer.stripsDummyPrefix,
               dummyPrefixSpace(referenceTokens, referenceLengths.dropFirst(firstI).first)
                != dummyPrefixSpace(otherTokens, otherLengths.dropFirst(firstJ).first) {
                classes.insert(.dummyPrefix)
            }
            if classes.isEmpty { classes.insert(.duplicatePiece) }
            result.append(EncodingDifference(byteRange: start ..< referenceEnd, referenceTokens: referenceTokens,
                                             otherTokens: otherTokens, classes: classes))
        }
        return result
    }

    /// The union of the classes of every difference (empty for identical sequences), or `nil`
    /// as in ``differences(reference:other:atSequenceStart:)``.
    public func classes(reference: [TokenID], other: [TokenID], atSequenceStart: Bool = false) -> Set<ArtifactClass>? {
        differences(reference: reference, other: other, atSequenceStart: atSequenceStart)?
            .reduce(into: Set<ArtifactClass>()) { $0.formUnion($1.classes) }
    }

    /// Where a sequence keeps the space its dummy prefix adds: 0 nowhere (its first token has no
    /// leading space to drop), 1 in a piece of its own, 2 attached to text (`"▁word"`).
    private func dummyPrefixSpace(_ tokens: [TokenID], _ firstLength: Int?) -> Int {
        guard let first = tokens.first, tokenizer.dropsLeadingSpaceAtSequenceStart(first) else { return 0 }
        return firstLength == 0 ? 1 : 2
    }

    /// The decoded length of each token, or `nil` for an id outside the vocabulary.
    private func lengths(of ids: [TokenID], atSequenceStart: Bool) -> [Int]? {
        var lengths: [Int] = []
        var start = atSequenceStart
        for id in ids {
            guard let bytes = try? tokenizer.tokenBytes(id) else { return nil }
            var length = bytes.count
            if start, tokenizer.stripsDummyPrefix, !tokenizer.isControl(id) {
                if tokenizer.dropsLeadingSpaceAtSequenceStart(id) { length -= 1 }
                start = false
            }
            lengths.append(length)
        }
        return lengths
    }

    /// Classes of token boundaries that only one side has, from the characters around them.
    private func classes(atCuts cuts: Set<Int>, in text: ClassifiedText) -> Set<ArtifactClass> {
        var classes: Set<ArtifactClass> = []
        for cut in cuts {
            guard let scalar = scalarIndex(startingAt: cut, in: text), scalar > 0, scalar < text.classes.count else {
                classes.insert(.byteFallback)
                continue
            }
            let (left, right) = (text.classes[scalar - 1], text.classes[scalar])
            if left == .whitespace || right == .whitespace {
                classes.insert(.whitespaceBoundaryShift)
            } else if left == .number, right == .number {
                classes.insert(.digitRegrouping)
            } else if left != .other, right != .other {
                classes.insert(.intraWordResegmentation)
            } else {
                classes.insert(.punctuationAttachment)
            }
        }
        return classes
    }

    /// The index of the scalar starting at byte `offset`, or `nil` when `offset` is inside one.
    private func scalarIndex(startingAt offset: Int, in text: ClassifiedText) -> Int? {
        var low = 0
        var high = text.byteOffsets.count - 1
        while low <= high {
            let middle = (low + high) / 2
            let value = text.byteOffsets[middle]
            if value == offset { return middle }
            if value < offset { low = middle + 1 } else { high = middle - 1 }
        }
        return nil
    }

    /// Classes that follow from the kinds of tokens involved.
    private func tokenClasses(_ tokens: [TokenID]) -> Set<ArtifactClass> {
        var classes: Set<ArtifactClass> = []
        for token in tokens {
            switch tokenizer.tokenType(token).flatMap(TokenType.init(rawValue:)) {
            case .byte: classes.insert(.byteFallback)
            case .control, .userDefined: classes.insert(.specialTokenLiteral)
            default: break
            }
        }
        return classes
    }
}
