import Foundation
import NextTokenCore

/// The log-probability of one generated token under the model's raw distribution (the log-softmax
/// of its logits, before temperature or any filter), with the most likely alternatives.
public struct TokenLogprob: Sendable, Equatable {
    /// One token and its log-probability.
    public struct Alternative: Sendable, Equatable {
        /// The token id.
        public var token: TokenID
        /// Natural log of its probability.
        public var logprob: Double

        /// An alternative token.
        public init(token: TokenID, logprob: Double) {
            self.token = token
            self.logprob = logprob
        }
    }

    /// The generated token.
    public var token: TokenID
    /// Natural log of the generated token's probability.
    public var logprob: Double
    /// The most likely tokens, most likely first (lowest id first on ties); as many as
    /// ``GenerationOptions/logprobs`` asked for, at most the vocabulary size.
    public var top: [Alternative]

    /// A token's log-probability and alternatives.
    public init(token: TokenID, logprob: Double, top: [Alternative]) {
        self.token = token
        self.logprob = logprob
        self.top = top
    }

    /// The log-probability of `token` and the `topCount` most likely tokens under `logits`.
    ///
    /// Log-sum-exp is accumulated in `Double` after subtracting the maximum; NaN and `-infinity`
    /// logits have probability 0 (log-probability `-infinity`).
    /// - Precondition: `token` indexes `logits`, which holds at least one finite logit.
    init(token: TokenID, logits: UnsafeBufferPointer<Float>, topCount: Int) {
        precondition(Int(token) >= 0 && Int(token) < logits.count, "token outside the logits row")
        var maximum = -Float.infinity
        for logit in logits where logit > maximum { maximum = logit }
        var sum = 0.0
        if maximum.isFinite {
            for logit in logits where logit > -.infinity { sum += Foundation.exp(Double(logit - maximum)) }
        }
        let logNormalizer = Double(maximum) + Foundation.log(sum)
        func logprob(_ logit: Float) -> Double {
            logit > -.infinity ? Double(logit) - logNormalizer : -.infinity
        }
        self.token = token
        self.logprob = logprob(logits[Int(token)])
        self.top = Self.topIndices(logits, count: topCount).map {
            Alternative(token: TokenID(truncatingIfNeeded: $0), logprob: logprob(logits[$0]))
        }
    }

    /// Indices of the `count` highest candidate logits, highest first, lowest index on ties.
    /// A short sorted list with one comparison per logit: `count` is small (the API caps it at 20).
    static func topIndices(_ logits: UnsafeBufferPointer<Float>, count: Int) -> [Int] {
        guard count > 0 else { return [] }
        var best: [Int] = []
        best.reserveCapacity(count + 1)
        for index in logits.indices {
            let logit = logits[index]
            guard logit > -.infinity else { continue }
            if best.count == count, let last = best.last, !(logit > logits[last]) { continue }
            var position = best.count
            while position > 0 && logit > logits[best[position - 1]] { position -= 1 }
            best.insert(index, at: position)
            if best.count > count { best.removeLast() }
        }
        return best
    }
}
