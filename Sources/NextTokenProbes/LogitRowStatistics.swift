#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Statistics of one row of logits, computed in `Double`: its log-sum-exp, and from it the
/// log-probability, rank, entropy and top-k mass of the softmax distribution.
struct LogitRowStatistics {
    /// `log Σ exp(logit)` over the row.
    let logSumExp: Double
    /// The row's largest logit.
    let maximum: Double

    /// The statistics of `row`; a row without a finite logit has `logSumExp == -infinity`.
    init(_ row: UnsafeBufferPointer<Float>) {
        var maximum = -Double.infinity
        for logit in row where Double(logit) > maximum { maximum = Double(logit) }
        self.maximum = maximum
        guard maximum.isFinite else {
            logSumExp = maximum
            return
        }
        var sum = 0.0
        for logit in row { sum += exp(Double(logit) - maximum) }
        logSumExp = maximum + log(sum)
    }

    /// `log softmax(row)[index]`.
    func logProbability(of index: Int, in row: UnsafeBufferPointer<Float>) -> Double {
        Double(row[index]) - logSumExp
    }

    /// 1 + the number of entries with a strictly larger logit than entry `index` (ties share
    /// the better rank).
    static func rank(of index: Int, in row: UnsafeBufferPointer<Float>) -> Int {
        let logit = row[index]
        var above = 0
        for value in row where value > logit { above += 1 }
        return above + 1
    }

    /// The entropy of `softmax(row)` in nats: `-Σ p log p`.
    func entropy(of row: UnsafeBufferPointer<Float>) -> Double {
        guard logSumExp.isFinite else { return 0 }
        var sum = 0.0
        for logit in row {
            let logP = Double(logit) - logSumExp
            let p = exp(logP)
            if p > 0 { sum -= p * logP }
        }
        return sum
    }

    /// The probability of the `k` likeliest entries together.
    func topMass(_ k: Int, of row: UnsafeBufferPointer<Float>) -> Double {
        guard k > 0, logSumExp.isFinite else { return 0 }
        if k >= row.count { return 1 }
        // The k largest logits, kept in ascending order (k is small).
        var top: [Float] = []
        top.reserveCapacity(k + 1)
        for value in row {
            guard top.count < k || value > top[0] else { continue }
            let slot = top.firstIndex(where: { $0 >= value }) ?? top.count
            top.insert(value, at: slot)
            if top.count > k { top.removeFirst() }
        }
        return top.reduce(0.0) { $0 + exp(Double($1) - logSumExp) }
    }
}
