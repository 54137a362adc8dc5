import Foundation
import NextTokenCore

/// The exact next-byte distribution of a tokenized language model (design §6): the state of a
/// byte prefix as the anchor, the branches (valid encodings of the bytes after the anchor whose
/// last token ends exactly at the end) and the covers (valid encodings of a shorter prefix
/// plus one token reaching past the end).
///
/// `P(bytes start with x) = Σ P(branch) + Σ P(cover)`; next-byte probabilities are ratios of
/// such sums. Only branches are run through the model: the canonical encoding always (each byte
/// costs one forward pass of the 1–3 tokens the encoding rewrote), and rarely a second one that
/// a look-ahead pre-tokenizer needs (`"\n"` + `"\n"` before a non-space). Every cover is a past
/// branch plus one token, so its probability comes from the distribution computed then.
public final class ExactByteState: BytePredictor {
    /// The vocabulary.
    public let vocabulary: ByteVocabulary
    /// Which next tokens are tested for validity.
    public let mode: PruningMode
    /// Whether ``prefixLogProbability`` is computed (it costs a logits row per prompt token).
    public let tracksPrefixProbability: Bool
    let evaluator: any TokenPathEvaluator
    var encoder: StreamEncoder

    /// The stream bytes: the vocabulary's stream prefix, then the text.
    var stream: [UInt8] = []
    /// Where the anchor is in ``stream``.
    var anchorByte = 0
    /// Where validity is judged from: the stable boundary of the bytes so far (equal to
    /// ``anchorByte`` except just after a prompt was fed at once).
    var validityAnchor = 0
    /// The start tokens, then the encoding of `stream[..<anchorByte]`.
    var anchorPath: [TokenID]
    /// `log P(anchor tokens | start tokens)` under the pruned distributions; `nil` when the
    /// state does not track prefix probabilities.
    var anchorLogProbability: Double?
    /// Encodings covers build on, by key.
    var bases: [Int: CoverBase] = [:]
    var nextBaseKey = 0
    /// The branches; the first is the canonical encoding.
    var branches: [Branch] = [Branch(base: .empty, table: nil)]
    /// Covers with a non-empty overhang.
    var covers: [Cover] = []
    var cachedMasses: SymbolMasses?
    /// What the state did so far.
    public internal(set) var statistics = ByteStateStatistics()

    /// The state after `prompt` (text bytes; the stream prefix is added).
    ///
    /// The prompt is encoded up to its anchor and evaluated in one batch; its last word is then
    /// added byte by byte.
    ///
    /// - Parameter tracksPrefixProbability: compute ``prefixLogProbability``, which needs the
    ///   model's distribution at every prompt position (and, with pruning, validity tests there);
    ///   next-byte distributions do not need it.
    /// - Throws: ``ByteLevelError/unencodableText(offset:)``,
    ///   ``ByteLevelError/impossibleByte(_:offset:)``, and path evaluation errors.
    public init(
        vocabulary: ByteVocabulary, evaluator: any TokenPathEvaluator, mode: PruningMode = .fast,
        prompt: some Collection<UInt8>, tracksPrefixProbability: Bool = true
    ) throws(ByteLevelError) {
        guard evaluator.vocabularySize == vocabulary.vocabularySize else {
            throw .vocabularyMismatch(tokenizer: vocabulary.vocabularySize, model: evaluator.vocabularySize)
        }
        self.vocabulary = vocabulary
        self.mode = mode
        self.evaluator = evaluator
        self.tracksPrefixProbability = tracksPrefixProbability
        encoder = StreamEncoder(vocabulary: vocabulary)
        anchorPath = vocabulary.startTokens
        try feedPrompt(vocabulary.streamPrefix + Array(prompt))
    }

    /// The canonical encoding (the first branch).
    var canonical: CoverBase { branches[0].base }

    /// The text so far (without the stream prefix).
    public var text: [UInt8] { Array(stream.dropFirst(vocabulary.streamPrefix.count)) }

    /// The canonical encoding of the text so far (without start tokens).
    public var canonicalTokens: [TokenID] {
        Array(anchorPath.dropFirst(vocabulary.startTokens.count)) + canonical.tokens
    }

    /// `log P(the stream starts with the bytes so far)`: the anchor's probability times the sum
    /// over branches and covers (design §6.2), natural log; `nil` unless
    /// ``tracksPrefixProbability``. It includes the stream prefix, whose probability is close to
    /// 1 where there is one.
    public var prefixLogProbability: Double? {
        anchorLogProbability.map {
            $0 + logSumExp(branches.map(\.base.logProbability) + covers.map(\.logProbability))
        }
    }

    /// The bytes after the anchor.
    public var word: ArraySlice<UInt8> { stream[anchorByte...] }

    /// Where the anchor is, as a byte offset in the stream (stream prefix included).
    public var anchorOffset: Int { anchorByte }

    /// Covers with a non-empty overhang.
    public var coverCount: Int { covers.count }

    /// Encodings whose last token ends at the end of the bytes (the canonical one first).
    public var branchCount: Int { branches.count }

    public func distribution() throws(ByteLevelError) -> ByteDistribution {
        try ByteDistribution(weights: try masses().weights)
    }

    /// The masses of the next symbol (design §6.4 `nextByte`, before normalising).
    func masses() throws(ByteLevelError) -> SymbolMasses {
        if let cachedMasses { return cachedMasses }
        var shift = -Double.infinity
        for branch in branches where branch.base.logProbability > shift { shift = branch.base.logProbability }
        for cover in covers where cover.logProbability > shift { shift = cover.logProbability }
        guard shift.isFinite else { throw .inconsistentState("the prefix has probability 0") }
        var weights = [Double](repeating: 0, count: ByteAlphabet.size)
        for cover in covers {
            weights[Int(vocabulary.byte(of: cover.token, at: cover.consumed))] += exp(cover.logProbability - shift)
        }
        for branch in branches {
            guard let table = branch.table else { throw .inconsistentState("a branch has no next-token table") }
            let weight = exp(branch.base.logProbability - shift)
            guard weight > 0 else { continue }
            for symbol in 0..<ByteAlphabet.size { weights[symbol] += weight * table.symbolMass[symbol] }
        }
        let result = SymbolMasses(weights: weights, shift: shift)
        cachedMasses = result
        return result
    }

    /// Evaluates every branch's path and rebuilds its pruned next-token table; the canonical
    /// branch last, so the path evaluator ends on it.
    func refreshTables() throws(ByteLevelError) {
        let context = Array(stream[validityAnchor...])
        let lead = validityAnchor < anchorByte ? encoder.encode(stream[validityAnchor..<anchorByte]) : []
        for index in branches.indices.reversed() {
            let base = branches[index].base
            let path = anchorPath + base.tokens
            let contextTokens = lead + base.tokens
            var candidate = context
            statistics.pathEvaluations += 1
            try evaluator.evaluate(path, rowsFrom: path.count - 1) { _, row throws(ByteLevelError) in
                let table = NextTokenTable(row: row, vocabulary: vocabulary, mode: mode) { token in
                    candidate.removeSubrange(context.count...)
                    candidate += vocabulary.bytes(of: token)
                    return encoder.isPrefixValid(candidate, prefix: contextTokens, then: token)
                }
                statistics.validityChecks += table.checks
                branches[index].table = table
            }
        }
        cachedMasses = nil
    }
}
