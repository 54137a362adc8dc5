import Foundation
import NextTokenCore

/// The exact next-byte distribution of a tokenized language model (design §6): the state of a
/// byte prefix as the anchor, the canonical encoding after it, and the cover set.
///
/// `P(bytes start with x) = Σ P(cover)` over the valid covers of `x`; next-byte probabilities
/// are ratios of such sums. Only the canonical encoding of the bytes so far is ever run through
/// the model (each byte costs one forward pass of the 1–3 tokens the encoding rewrote); every
/// cover is the canonical encoding of some shorter prefix plus one token, so its probability
/// comes from the distribution computed when that prefix was canonical.
public final class ExactByteState: BytePredictor {
    /// The vocabulary.
    public let vocabulary: ByteVocabulary
    /// Which next tokens are tested for validity.
    public let mode: PruningMode
    let evaluator: any TokenPathEvaluator
    var encoder: StreamEncoder

    /// The stream bytes: the vocabulary's stream prefix, then the text.
    var stream: [UInt8]
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
    /// Whether ``prefixLogProbability`` is computed (it costs a logits row per prompt token).
    public let tracksPrefixProbability: Bool
    /// Canonical prefixes covers build on, by byte offset after the anchor.
    var bases: [Int: CoverBase] = [:]
    /// The canonical encoding of the bytes after the anchor.
    var canonical = CoverBase.empty
    /// Covers with a non-empty overhang.
    var covers: [Cover] = []
    /// The pruned next-token distribution after ``canonical``.
    var table: NextTokenTable?
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
        let full = vocabulary.streamPrefix + Array(prompt)
        anchorPath = vocabulary.startTokens
        stream = []
        try feedPrompt(full)
    }

    /// The text so far (without the stream prefix).
    public var text: [UInt8] { Array(stream.dropFirst(vocabulary.streamPrefix.count)) }

    /// The canonical encoding of the text so far (without start tokens).
    public var canonicalTokens: [TokenID] {
        Array(anchorPath.dropFirst(vocabulary.startTokens.count)) + canonical.tokens
    }

    /// `log P(the stream starts with the bytes so far)`: the anchor's probability times the sum
    /// over the covers and the canonical encoding (design §6.2), natural log; `nil` unless
    /// ``tracksPrefixProbability``. It includes the stream prefix, whose probability is close to
    /// 1 where there is one.
    public var prefixLogProbability: Double? {
        anchorLogProbability.map { $0 + logSumExp([canonical.logProbability] + covers.map(\.logProbability)) }
    }

    /// The bytes after the anchor.
    public var word: ArraySlice<UInt8> { stream[anchorByte...] }

    /// Where the anchor is, as a byte offset in the stream (stream prefix included).
    public var anchorOffset: Int { anchorByte }

    /// Covers with a non-empty overhang.
    public var coverCount: Int { covers.count }

    public func distribution() throws(ByteLevelError) -> ByteDistribution {
        try ByteDistribution(weights: try masses().weights)
    }

    /// The masses of the next symbol (design §6.4 `nextByte`, before normalising).
    func masses() throws(ByteLevelError) -> SymbolMasses {
        if let cachedMasses { return cachedMasses }
        guard let table else { throw .inconsistentState("no next-token table") }
        var shift = canonical.logProbability
        for cover in covers where cover.logProbability > shift { shift = cover.logProbability }
        guard shift.isFinite else { throw .inconsistentState("the prefix has probability 0") }
        var weights = [Double](repeating: 0, count: ByteAlphabet.size)
        for cover in covers {
            weights[Int(vocabulary.byte(of: cover.token, at: cover.consumed))] += exp(cover.logProbability - shift)
        }
        let canonicalWeight = exp(canonical.logProbability - shift)
        if canonicalWeight > 0 {
            for symbol in 0..<ByteAlphabet.size { weights[symbol] += canonicalWeight * table.symbolMass[symbol] }
        }
        let result = SymbolMasses(weights: weights, shift: shift)
        cachedMasses = result
        return result
    }

    /// Evaluates the canonical path and rebuilds the pruned next-token table after it.
    func refreshTable() throws(ByteLevelError) {
        let path = anchorPath + canonical.tokens
        let context = Array(stream[validityAnchor...])
        let contextTokens = mode == .fast ? [] : encoder.encode(context[...])
        var candidate = context
        statistics.pathEvaluations += 1
        try evaluator.evaluate(path, rowsFrom: path.count - 1) { _, row throws(ByteLevelError) in
            let built = NextTokenTable(row: row, vocabulary: vocabulary, mode: mode) { token in
                candidate.removeSubrange(context.count...)
                candidate += vocabulary.bytes(of: token)
                return encoder.encodes(candidate[...], to: contextTokens, then: token)
            }
            statistics.validityChecks += built.checks
            table = built
        }
        cachedMasses = nil
    }
}
