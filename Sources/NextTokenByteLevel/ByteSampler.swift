import Foundation
import NextTokenSampling

/// Chooses next bytes from byte-level distributions (design §6.5): symbols that would break
/// UTF-8 (and special tokens) are removed, then temperature is applied to the probabilities
/// (`p^(1/T)`) and top-p keeps the smallest most likely set reaching `topP`; a temperature below
/// 0.1 means greedy (the most likely symbol, lowest on ties). One seeded uniform per sampled
/// byte.
public struct ByteSampler: Sendable {
    /// Temperature; below 0.1 is greedy.
    public let temperature: Double
    /// Top-p mass in `(0, 1]`.
    public let topP: Double
    private var random: SeededRandom

    /// A sampler; `seed` fixes the random stream.
    ///
    /// - Throws: ``ByteLevelError/sampling(_:)`` for a negative or non-finite temperature or a
    ///   top-p outside `(0, 1]`.
    public init(temperature: Double, topP: Double = 1, seed: UInt64) throws(ByteLevelError) {
        guard temperature.isFinite, temperature >= 0 else { throw .sampling(.invalidTemperature(temperature)) }
        guard topP > 0, topP <= 1 else { throw .sampling(.invalidTopP(topP)) }
        self.temperature = temperature
        self.topP = topP
        random = SeededRandom(seed: seed)
    }

    /// Whether sampling is greedy.
    public var isGreedy: Bool { temperature < 0.1 }

    /// The next symbol: a byte `validator` allows, or ``ByteAlphabet/endOfText`` at a character
    /// boundary; `nil` when the distribution gives none of them any probability.
    public mutating func sample(_ distribution: ByteDistribution, validator: UTF8Validator) -> Int? {
        var weights = [Double](repeating: 0, count: ByteAlphabet.size)
        for byte in 0..<256 where validator.allows(UInt8(byte)) { weights[byte] = distribution[byte] }
        if validator.isComplete { weights[ByteAlphabet.endOfText] = distribution[ByteAlphabet.endOfText] }
        guard let best = weights.indices.max(by: { weights[$0] < weights[$1] || (weights[$0] == weights[$1] && $0 > $1) }),
              weights[best] > 0 else { return nil }
        if isGreedy { return best }
        weights = weights.map { $0 > 0 ? pow($0, 1 / temperature) : 0 }
        if topP < 1 {
            let total = weights.reduce(0, +)
            let order = weights.indices.sorted { weights[$0] > weights[$1] || (weights[$0] == weights[$1] && $0 < $1) }
            var kept = 0.0
            var keep = Set<Int>()
            for symbol in order where weights[symbol] > 0 {
                keep.insert(symbol)
                kept += weights[symbol] / total
                if kept >= topP { break }
            }
            for symbol in weights.indices where !keep.contains(symbol) { weights[symbol] = 0 }
        }
        let total = weights.reduce(0, +)
        let uniform = random.nextUniform() * total
        var cumulative = 0.0
        var last = best
        for symbol in weights.indices where weights[symbol] > 0 {
            cumulative += weights[symbol]
            last = symbol
            if uniform < cumulative { return symbol }
        }
        return last
    }
}
