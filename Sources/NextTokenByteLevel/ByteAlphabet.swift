import Foundation

/// The symbols of byte-level distributions: the 256 byte values, then end of text, then "some
/// other special token" (a control token that is neither text nor an end, such as
/// `<|im_start|>`).
///
/// Models with different vocabularies share this alphabet, which is what lets their next-byte
/// distributions be averaged (design §6.5).
public enum ByteAlphabet {
    /// The symbol of an end-of-text token (EOS, an end-of-turn token, a document separator).
    public static let endOfText = 256
    /// The symbol of any other control token.
    public static let special = 257
    /// Number of symbols.
    public static let size = 258

    /// A readable name: the byte as an escaped character, or `<end>` / `<special>`.
    public static func name(of symbol: Int) -> String {
        switch symbol {
        case endOfText: return "<end>"
        case special: return "<special>"
        case 0x20...0x7E: return String(UnicodeScalar(UInt8(symbol)))
        default: return "\\x" + String(symbol, radix: 16, uppercase: true)
        }
    }
}

/// A probability distribution over the ``ByteAlphabet`` symbols.
public struct ByteDistribution: Sendable, Equatable {
    /// `probabilities[symbol]`, ``ByteAlphabet/size`` entries summing to 1.
    public let probabilities: [Double]

    /// The distribution proportional to `weights` (``ByteAlphabet/size`` non-negative finite
    /// entries, not all zero).
    ///
    /// - Throws: ``ByteLevelError/invalidArgument(_:)`` for a wrong count or unusable weights.
    public init(weights: [Double]) throws(ByteLevelError) {
        guard weights.count == ByteAlphabet.size else {
            throw .invalidArgument("a byte distribution needs \(ByteAlphabet.size) weights, got \(weights.count)")
        }
        var total = 0.0
        for weight in weights {
            guard weight.isFinite, weight >= 0 else { throw .invalidArgument("invalid byte weight \(weight)") }
            total += weight
        }
        guard total > 0, total.isFinite else { throw .invalidArgument("byte weights sum to \(total)") }
        probabilities = weights.map { $0 / total }
    }

    /// The probability of `symbol`.
    public subscript(symbol: Int) -> Double { probabilities[symbol] }

    /// The natural log of the probability of `symbol` (`-infinity` for zero).
    public func logProbability(of symbol: Int) -> Double { log(probabilities[symbol]) }

    /// The most likely symbol; the lowest symbol wins ties.
    public var mostLikely: Int {
        var best = 0
        for symbol in 1..<probabilities.count where probabilities[symbol] > probabilities[best] { best = symbol }
        return best
    }
}
