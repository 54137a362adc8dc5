import Foundation
import NextTokenByteLevel
import NextTokenCore
import NextTokenTokenizer

/// The toy of design §6.7: a first-order Markov source over the bytes `A` and `B`, a
/// longest-match tokenizer over {A, B, AA} (byte-level BPE with the single merge `A A`), and an
/// exact "language model" over its tokens, computed by enumerating every text of `length` bytes
/// and its encoding (then EOS).
final class ToyMarkovOracle: TokenPathEvaluator {
    static let bos: TokenID = 0
    static let eos: TokenID = 1
    static let tokenA: TokenID = 2
    static let tokenB: TokenID = 3
    static let tokenAA: TokenID = 4

    /// P(first byte = A), P(A | A), P(A | B).
    let firstA: Double, aAfterA: Double, aAfterB: Double
    let tokenizer: Tokenizer
    /// Probability mass of every token prefix (after BOS) of the encoded texts.
    private var mass: [[TokenID]: Double] = [:]
    /// Mass moved to invalid continuations (0 = the exact oracle).
    let noise: Double

    var vocabularySize: Int { 5 }

    static func makeTokenizer() throws -> Tokenizer {
        try Tokenizer(vocabulary: TokenizerVocabulary(
            model: .gpt2, preTokenizer: "gpt2", tokens: ["<s>", "</s>", "A", "B", "AA"],
            tokenTypes: [3, 3, 1, 1, 1], merges: ["A A"], bos: bos, eos: eos, addBOS: true))
    }

    init(length: Int = 12, firstA: Double = 0.6, aAfterA: Double = 0.7, aAfterB: Double = 0.4, noise: Double = 0) throws {
        self.firstA = firstA
        self.aAfterA = aAfterA
        self.aAfterB = aAfterB
        self.noise = noise
        tokenizer = try Self.makeTokenizer()
        for code in 0..<(1 << length) {
            let text = (0..<length).map { (code >> ($0)) & 1 == 0 ? UInt8(ascii: "A") : UInt8(ascii: "B") }
            let probability = markovProbability(text)
            let tokens = tokenizer.encode(String(decoding: text, as: UTF8.self), parseSpecial: false) + [Self.eos]
            for count in 0...tokens.count { mass[Array(tokens[..<count]), default: 0] += probability }
        }
    }

    /// The source's probability that a text starts with `bytes`.
    func markovProbability(_ bytes: [UInt8]) -> Double {
        var probability = 1.0
        var previous: UInt8?
        for byte in bytes {
            let pA = previous.map { $0 == UInt8(ascii: "A") ? aAfterA : aAfterB } ?? firstA
            probability *= byte == UInt8(ascii: "A") ? pA : 1 - pA
            previous = byte
        }
        return probability
    }

    /// The source's next-byte probability of `A` after `bytes`.
    func nextA(after bytes: [UInt8]) -> Double {
        bytes.last.map { $0 == UInt8(ascii: "A") ? aAfterA : aAfterB } ?? firstA
    }

    /// Whether the tokenizer would produce exactly `tokens` (no EOS) for their bytes.
    func isCanonical(_ tokens: [TokenID]) -> Bool {
        let bytes = tokens.flatMap { (try? tokenizer.tokenBytes($0)) ?? [] }
        return tokenizer.encode(String(decoding: bytes, as: UTF8.self), parseSpecial: false) == tokens
    }

    /// The exact next-token distribution after `prefix` (tokens after BOS); with `noise`, that
    /// share of the mass goes evenly to the text tokens whose addition is not canonical.
    func row(after prefix: [TokenID]) -> [Double] {
        let total = mass[prefix] ?? 0
        var probabilities = (0..<vocabularySize).map { token -> Double in
            total > 0 ? (mass[prefix + [TokenID(token)]] ?? 0) / total : 0
        }
        if noise > 0, total > 0, !prefix.contains(Self.eos) {
            let invalid = [Self.tokenA, Self.tokenB, Self.tokenAA].filter { !isCanonical(prefix + [$0]) }
            if !invalid.isEmpty {
                probabilities = probabilities.map { $0 * (1 - noise) }
                for token in invalid { probabilities[Int(token)] += noise / Double(invalid.count) }
            }
        }
        return probabilities.map { log($0) }
    }

    func evaluate(
        _ tokens: [TokenID], rowsFrom first: Int,
        _ row: (Int, UnsafeBufferPointer<Double>) throws(ByteLevelError) -> Void
    ) throws(ByteLevelError) {
        guard tokens.first == Self.bos, first >= 0, first < tokens.count else {
            throw .invalidArgument("toy paths start with BOS")
        }
        for position in first..<tokens.count {
            try self.row(after: Array(tokens[1..<(position + 1)])).withUnsafeBufferPointer { buffer throws(ByteLevelError) in
                try row(position, buffer)
            }
        }
    }
}
