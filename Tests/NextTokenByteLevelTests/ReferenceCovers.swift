import Foundation
import NextTokenByteLevel
import NextTokenCore
import NextTokenKernels
import NextTokenModel
import NextTokenTokenizer

/// An independent implementation of design §6.2/§6.4 for tests: `P(stream starts with x)` as
/// the sum over every split point of the whole text (no anchor) of the canonical left part
/// followed by one token covering the rest, each distribution computed from scratch in a fresh
/// context, validity judged by re-encoding the whole token sequence.
final class ReferenceCovers {
    let model: RealModel
    let strict: Bool
    private let pool = WorkerPool(threadCount: 2)
    private var tables: [[TokenID]: [Double]] = [:]
    private var workspace = EncodingWorkspace()
    private let byFirstByte: [[TokenID]]

    init(model: RealModel, strict: Bool) {
        self.model = model
        self.strict = strict
        var buckets = [[TokenID]](repeating: [], count: 256)
        for token in 0..<TokenID(model.tokenizer.vocabularySize) where model.vocabulary.isText(token) {
            buckets[model.vocabulary.firstSymbol(of: token)].append(token)
        }
        byFirstByte = buckets
    }

    func encode(_ bytes: [UInt8]) -> [TokenID] {
        var ids: [TokenID] = []
        model.tokenizer.encodeStream(bytes[...], workspace: &workspace, into: &ids)
        return ids
    }

    func bytes(_ tokens: [TokenID]) -> [UInt8] { tokens.flatMap { model.vocabulary.bytes(of: $0) } }

    func isValid(_ tokens: [TokenID]) -> Bool { encode(bytes(tokens)) == tokens }

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

    /// `log P(stream starts with text)`: covers with a non-empty overhang at every split point,
    /// plus the canonical encoding.
    func prefixLogProbability(_ text: [UInt8]) throws -> Double {
        var terms: [Double] = []
        for split in 0..<text.count {
            let left = encode(Array(text[..<split]))
            guard bytes(left) == Array(text[..<split]) else { continue }
            let rest = text[split...]
            var base: Double?
            for token in byFirstByte[Int(text[split])] {
                let spelled = model.vocabulary.bytes(of: token)
                guard spelled.count > rest.count, spelled.starts(with: rest) else { continue }
                if base == nil { base = try logProbability(left) }
                let row = try table(after: left)
                guard let base, row[Int(token)] > -.infinity else { continue }
                terms.append(base + row[Int(token)])
            }
        }
        let canonical = encode(text)
        if bytes(canonical) == text { terms.append(try logProbability(canonical)) }
        var maximum = -Double.infinity
        for term in terms where term > maximum { maximum = term }
        return maximum + log(terms.reduce(0.0) { $0 + exp($1 - maximum) })
    }

    /// `log P(text, then a token of symbol class `symbol`)` for the end-of-text and special symbols.
    func logProbability(_ text: [UInt8], thenSymbol symbol: Int) throws -> Double {
        let canonical = encode(text)
        let row = try table(after: canonical)
        var mass = 0.0
        for token in row.indices where model.vocabulary.firstSymbol(of: TokenID(token)) == symbol { mass += exp(row[token]) }
        return try logProbability(canonical) + log(mass)
    }
}
