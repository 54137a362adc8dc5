import Foundation
import NextTokenByteLevel
import NextTokenCore
import NextTokenKernels
import NextTokenModel
import NextTokenTokenizer

/// An independent implementation of design §6.2 for tests: `P(stream starts with x)` as the sum
/// over every valid token sequence that covers `x` — a valid encoding of a prefix `x[..<i]`
/// (enumerated recursively, token by token) followed either by nothing (`i = n`) or by one
/// token reaching past the end — with every distribution computed from scratch in a fresh
/// context, without anchors or incremental state.
///
/// A sequence is valid when the text it spells, followed by nothing or by one of a few probe
/// continuations, encodes to a sequence starting with it (see `StreamEncoder.isPrefixValid`).
final class ReferenceCovers {
    let model: RealModel
    let strict: Bool
    private let pool = WorkerPool(threadCount: 2)
    private var tables: [[TokenID]: [Double]] = [:]
    private var validity: [[TokenID]: Bool] = [:]
    private var workspace = EncodingWorkspace()
    private let bySpelling: [[UInt8]: [TokenID]]
    private let byFirstByte: [[TokenID]]
    private let longest: Int
    static let probes: [[UInt8]] = ["a", "1", ".", " ", "\n", "s"].map { Array($0.utf8) }

    init(model: RealModel, strict: Bool) {
        self.model = model
        self.strict = strict
        var spelling: [[UInt8]: [TokenID]] = [:]
        var buckets = [[TokenID]](repeating: [], count: 256)
        var longest = 0
        for token in 0..<TokenID(model.tokenizer.vocabularySize) where model.vocabulary.isText(token) {
            let bytes = Array(model.vocabulary.bytes(of: token))
            spelling[bytes, default: []].append(token)
            buckets[Int(bytes[0])].append(token)
            longest = max(longest, bytes.count)
        }
        bySpelling = spelling
        byFirstByte = buckets
        self.longest = longest
    }

    func encode(_ bytes: [UInt8]) -> [TokenID] {
        var ids: [TokenID] = []
        model.tokenizer.encodeStream(bytes[...], workspace: &workspace, into: &ids)
        return ids
    }

    func bytes(_ tokens: [TokenID]) -> [UInt8] { tokens.flatMap { model.vocabulary.bytes(of: $0) } }

    /// Whether `tokens` can start the encoding of some text.
    func isValid(_ tokens: [TokenID]) -> Bool {
        if let known = validity[tokens] { return known }
        let spelled = bytes(tokens)
        var valid = encode(spelled) == tokens
        if !valid, model.tokenizer.streamKind != .sentencePiece, let last = spelled.last,
           !(0x30...0x39).contains(last), !(0x41...0x5A).contains(last), !(0x61...0x7A).contains(last) {
            valid = Self.probes.contains { encode(spelled + $0).starts(with: tokens) }
        }
        validity[tokens] = valid
        return valid
    }

    /// The (pruned, renormalised) next-token log-probabilities after `prefix` (no start tokens).
    func table(after prefix: [TokenID]) throws -> [Double] {
        if let table = tables[prefix] { return table }
        let lm = model.languageModel
        let path = model.vocabulary.startTokens + prefix
        let context = lm.makeContext(capacity: path.count, pool: pool)
        let logits = try lm.logits(ForwardBatch(tokens: path, startingAt: 0), context: context, logitRows: [path.count - 1])
        let maximum = Double(logits.max() ?? 0)
        let normalizer = maximum + log(logits.reduce(0.0) { $0 + exp(Double($1) - maximum) })
        var table = logits.map { Double($0) - normalizer }
        if strict {
            var kept = 0.0
            for token in table.indices {
                if model.vocabulary.isText(TokenID(token)), !isValid(prefix + [TokenID(token)]) {
                    table[token] = -.infinity
                } else {
                    kept += exp(table[token])
                }
            }
            table = table.map { $0 - log(kept) }
        }
        tables[prefix] = table
        return table
    }

    /// `log P(tokens)` under the (pruned) distributions.
    func logProbability(_ tokens: [TokenID]) throws -> Double {
        var total = 0.0
        for index in tokens.indices { total += try table(after: Array(tokens[..<index]))[Int(tokens[index])] }
        return total
    }

    /// Every valid token sequence spelling exactly `text[..<end]`, for each `end` in `0...text.count`.
    func encodings(of text: [UInt8]) -> [[[TokenID]]] {
        var result: [[[TokenID]]] = [[[]]]
        for end in 1...max(1, text.count) where end <= text.count {
            var found: [[TokenID]] = []
            for start in max(0, end - longest)..<end {
                guard let tokens = bySpelling[Array(text[start..<end])] else { continue }
                for left in result[start] {
                    for token in tokens where isValid(left + [token]) { found.append(left + [token]) }
                }
            }
            result.append(found)
        }
        return result
    }

    /// `log P(stream starts with text)`, counting only sequences that start with `anchorTokens`.
    func prefixLogProbability(_ text: [UInt8], anchorTokens: [TokenID] = []) throws -> Double {
        var terms: [Double] = []
        let lefts = encodings(of: text)
        for split in 0..<text.count {
            let rest = text[split...]
            for left in lefts[split] {
                let base = try logProbability(left)
                for token in byFirstByte[Int(text[split])] {
                    let spelled = model.vocabulary.bytes(of: token)
                    guard spelled.count > rest.count, spelled.starts(with: rest),
                          (left + [token]).starts(with: anchorTokens) else { continue }
                    let logQ = try table(after: left)[Int(token)]
                    if logQ > -.infinity { terms.append(base + logQ) }
                }
            }
        }
        for complete in lefts[text.count] where complete.starts(with: anchorTokens) {
            terms.append(try logProbability(complete))
        }
        var maximum = -Double.infinity
        for term in terms where term > maximum { maximum = term }
        return maximum + log(terms.reduce(0.0) { $0 + exp($1 - maximum) })
    }

    /// `log P(text, then a token of symbol class `symbol`)` (end of text, or special).
    func logProbability(_ text: [UInt8], thenSymbol symbol: Int) throws -> Double {
        var terms: [Double] = []
        for complete in encodings(of: text).last ?? [] {
            let row = try table(after: complete)
            var mass = 0.0
            for token in row.indices where model.vocabulary.firstSymbol(of: TokenID(token)) == symbol { mass += exp(row[token]) }
            terms.append(try logProbability(complete) + log(mass))
        }
        var maximum = -Double.infinity
        for term in terms where term > maximum { maximum = term }
        return maximum + log(terms.reduce(0.0) { $0 + exp($1 - maximum) })
    }
}
