import Foundation
import NextTokenCore

/// The approximate next-byte predictors the exact method is compared with (design §6.5).
public enum BaselineMethod: String, Sendable, CaseIterable {
    /// Encode the bytes so far and group the next-token distribution by first byte: biased
    /// whenever the bytes end inside what would normally be one token.
    case naive
    /// Token healing: drop the last token of the encoding and keep only next tokens whose bytes
    /// start with the dropped bytes; the byte after them is the next byte. One backtracked
    /// token and one segmentation, where the exact method sums over all covers.
    case tokenHealing = "token-healing"
}

/// A ``BytePredictor`` for a ``BaselineMethod``: the canonical encoding of the bytes so far
/// (anchored like ``ExactByteState``) and the model's next-token distributions at its end.
///
/// Token healing's next-byte distribution: with `d` the dropped token's bytes and `p` the
/// distribution before it, each token extending `d` gives its probability to its byte after
/// `d`; tokens spelling exactly `d` give theirs to the naive distribution after the full
/// encoding.
public final class BaselineByteState: BytePredictor {
    /// The vocabulary.
    public let vocabulary: ByteVocabulary
    /// How the next byte is predicted.
    public let method: BaselineMethod
    private let evaluator: any TokenPathEvaluator
    private var encoder: StreamEncoder
    private var stream: [UInt8] = []
    private var anchorByte = 0
    private var anchorPath: [TokenID]
    private var canonical: [TokenID] = []
    private var cached: ByteDistribution?

    /// The predictor after `prompt` (text bytes; the stream prefix is added).
    ///
    /// - Throws: ``ByteLevelError/unencodableText(offset:)`` and path evaluation errors.
    public init(
        vocabulary: ByteVocabulary, evaluator: any TokenPathEvaluator, method: BaselineMethod,
        prompt: some Collection<UInt8>
    ) throws(ByteLevelError) {
        guard evaluator.vocabularySize == vocabulary.vocabularySize else {
            throw .vocabularyMismatch(tokenizer: vocabulary.vocabularySize, model: evaluator.vocabularySize)
        }
        self.vocabulary = vocabulary
        self.method = method
        self.evaluator = evaluator
        encoder = StreamEncoder(vocabulary: vocabulary)
        anchorPath = vocabulary.startTokens
        stream = vocabulary.streamPrefix + Array(prompt)
        try reencode()
        cached = try computeDistribution()
    }

    /// The canonical encoding of the text so far (without start tokens).
    public var canonicalTokens: [TokenID] {
        Array(anchorPath.dropFirst(vocabulary.startTokens.count)) + canonical
    }

    public func distribution() throws(ByteLevelError) -> ByteDistribution {
        if let cached { return cached }
        let computed = try computeDistribution()
        cached = computed
        return computed
    }

    @discardableResult
    public func advance(_ byte: UInt8) throws(ByteLevelError) -> Double {
        let probability = try distribution()[Int(byte)]
        guard probability > 0 else {
            throw .impossibleByte(byte, offset: stream.count - vocabulary.streamPrefix.count)
        }
        stream.append(byte)
        try reencode()
        // Computed now, so that an exact state walking beside this one on the same path finds
        // the rows it needs already evaluated.
        cached = try computeDistribution()
        return log(probability)
    }

    /// Moves the anchor to the stable boundary and re-encodes the bytes after it.
    private func reencode() throws(ByteLevelError) {
        let boundary = encoder.stableBoundary(in: stream, end: stream.count, from: anchorByte)
        if boundary > anchorByte {
            let prefix = encoder.encode(stream[anchorByte..<boundary])
            anchorPath += prefix
            anchorByte = boundary
        }
        canonical = encoder.encode(stream[anchorByte...])
        guard vocabulary.bytes(of: canonical).elementsEqual(stream[anchorByte...]) else {
            throw .unencodableText(offset: max(0, stream.count - 1 - vocabulary.streamPrefix.count))
        }
    }

    private func computeDistribution() throws(ByteLevelError) -> ByteDistribution {
        let path = anchorPath + canonical
        let healing = method == .tokenHealing && path.count > vocabulary.startTokens.count
        var before: [Double] = []
        var weights = [Double](repeating: 0, count: ByteAlphabet.size)
        try evaluator.evaluate(path, rowsFrom: path.count - (healing ? 2 : 1)) { position, row throws(ByteLevelError) in
            if position == path.count - 1 {
                weights = naiveWeights(row)
            } else {
                before = Array(row)
            }
        }
        guard healing, let last = path.last else { return try ByteDistribution(weights: weights) }
        let dropped = vocabulary.bytes(of: last)
        var healed = [Double](repeating: 0, count: ByteAlphabet.size)
        var exact = 0.0
        if let first = dropped.first {
            for token in vocabulary.textTokensByFirstByte[Int(first)] {
                let length = vocabulary.length(of: token)
                guard length >= dropped.count, vocabulary.bytes(of: token).starts(with: dropped) else { continue }
                let probability = exp(before[Int(token)])
                if length == dropped.count {
                    exact += probability
                } else {
                    healed[Int(vocabulary.byte(of: token, at: dropped.count))] += probability
                }
            }
        }
        let naiveTotal = weights.reduce(0, +)
        for symbol in healed.indices where naiveTotal > 0 { healed[symbol] += exact * weights[symbol] / naiveTotal }
        return try ByteDistribution(weights: healed)
    }

    /// The next-token probabilities of `row` summed by first symbol.
    private func naiveWeights(_ row: UnsafeBufferPointer<Double>) -> [Double] {
        var weights = [Double](repeating: 0, count: ByteAlphabet.size)
        for token in row.indices { weights[Int(vocabulary.firstSymbol[token])] += exp(row[token]) }
        return weights
    }
}
