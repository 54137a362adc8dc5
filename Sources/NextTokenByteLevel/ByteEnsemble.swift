import Foundation

/// How an ensemble mixes its members' next-byte distributions.
public enum EnsembleRule: String, Sendable, CaseIterable {
    /// `Σ wₘ Pₘ(b)`: the mixture (the default, and the reference's plain average with uniform
    /// weights). Never assigns 0 to a symbol some member finds possible.
    case arithmetic
    /// `Π Pₘ(b)^wₘ`, renormalised: a product of experts, sharper where the members agree, 0
    /// where any member with positive weight gives 0.
    case geometric
}

/// Byte-level ensemble of models with different vocabularies (design §6.5): each member keeps
/// its own state; the ensemble's next-byte distribution is the weighted mean of theirs over the
/// common alphabet, and every member advances with the chosen byte.
public final class ByteEnsemble: BytePredictor {
    /// The members.
    public let members: [any BytePredictor]
    /// Their weights, normalised to sum to 1.
    public let weights: [Double]
    /// The mixing rule.
    public let rule: EnsembleRule
    private var cached: ByteDistribution?

    /// An ensemble of `members` with `weights` (uniform when `nil`).
    ///
    /// - Throws: ``ByteLevelError/emptyEnsemble``, ``ByteLevelError/invalidWeights(_:)`` when
    ///   the weights are not one non-negative finite number per member with a positive sum.
    public init(members: [any BytePredictor], weights: [Double]? = nil, rule: EnsembleRule = .arithmetic) throws(ByteLevelError) {
        guard !members.isEmpty else { throw .emptyEnsemble }
        let raw = weights ?? Array(repeating: 1, count: members.count)
        let total = raw.reduce(0, +)
        guard raw.count == members.count, raw.allSatisfy({ $0.isFinite && $0 >= 0 }), total > 0, total.isFinite else {
            throw .invalidWeights(raw)
        }
        self.members = members
        self.weights = raw.map { $0 / total }
        self.rule = rule
    }

    public func distribution() throws(ByteLevelError) -> ByteDistribution {
        if let cached { return cached }
        var mixed = [Double](repeating: 0, count: ByteAlphabet.size)
        var logMixed = [Double](repeating: 0, count: ByteAlphabet.size)
        for (member, weight) in zip(members, weights) where weight > 0 {
            let distribution = try member.distribution()
            for symbol in 0..<ByteAlphabet.size {
                switch rule {
                case .arithmetic: mixed[symbol] += weight * distribution[symbol]
                case .geometric: logMixed[symbol] += weight * log(distribution[symbol])
                }
            }
        }
        if rule == .geometric {
            let maximum = logMixed.max() ?? -.infinity
            guard maximum.isFinite else {
                throw .invalidArgument("the members give no symbol a positive probability together")
            }
            mixed = logMixed.map { exp($0 - maximum) }
        }
        let result = try ByteDistribution(weights: mixed)
        cached = result
        return result
    }

    @discardableResult
    public func advance(_ byte: UInt8) throws(ByteLevelError) -> Double {
        let probability = try distribution()[Int(byte)]
        guard probability > 0 else { throw .impossibleByte(byte, offset: -1) }
        for member in members { try member.advance(byte) }
        cached = nil
        return log(probability)
    }
}
