import Foundation
import NextTokenCore

/// The next-token distribution at one canonical path position after pruning (design §6.4),
/// and the probability mass each first symbol receives from it.
struct NextTokenTable {
    /// Natural-log probabilities, renormalised over the kept tokens; `-infinity` when pruned.
    private(set) var logProbabilities: [Double]
    /// `Σ q(s)` over tokens `s` by the ``ByteAlphabet`` symbol they start with.
    private(set) var symbolMass: [Double]
    /// `log Σ p(s)` over the kept tokens before renormalising (0 when nothing was pruned).
    private(set) var logKeptMass: Double
    /// Validity tests run.
    private(set) var checks: Int

    /// The table for `row` (log-probabilities of every token), testing tokens as `mode` says
    /// with `isValid`; tokens that are not text are never tested.
    init(
        row: UnsafeBufferPointer<Double>, vocabulary: ByteVocabulary, mode: PruningMode,
        isValid: (TokenID) -> Bool
    ) {
        var logProbabilities = Array(row)
        var checks = 0
        var prunedMass = 0.0
        func test(_ token: Int) {
            guard vocabulary.isText(TokenID(token)), logProbabilities[token] > -.infinity else { return }
            checks += 1
            if !isValid(TokenID(token)) {
                prunedMass += exp(logProbabilities[token])
                logProbabilities[token] = -.infinity
            }
        }
        switch mode {
        case .fast:
            break
        case .strict:
            for token in logProbabilities.indices { test(token) }
        case .topMass(let target):
            // The smallest set of most likely tokens reaching `target`; tokens below 1e-12 can
            // never be needed for a target below 1 - 1e-6 and are not sorted.
            let candidates = logProbabilities.indices.filter { logProbabilities[$0] > -27.6 }
                .sorted { logProbabilities[$0] > logProbabilities[$1] || (logProbabilities[$0] == logProbabilities[$1] && $0 < $1) }
            var mass = 0.0
            for token in candidates {
                guard mass < target else { break }
                mass += exp(logProbabilities[token])
                test(token)
            }
        }
        var logKept = 0.0
        if prunedMass > 0 {
            var kept = 0.0
            for value in logProbabilities where value > -.infinity { kept += exp(value) }
            logKept = log(kept)
            if logKept.isFinite {
                for token in logProbabilities.indices where logProbabilities[token] > -.infinity {
                    logProbabilities[token] -= logKept
                }
            }
        }
        var symbolMass = [Double](repeating: 0, count: ByteAlphabet.size)
        if logKept.isFinite {
            for token in logProbabilities.indices where logProbabilities[token] > -.infinity {
                symbolMass[Int(vocabulary.firstSymbol[token])] += exp(logProbabilities[token])
            }
        }
        self.logProbabilities = logProbabilities
        self.symbolMass = symbolMass
        logKeptMass = logKept
        self.checks = checks
    }
}
