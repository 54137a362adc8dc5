import Foundation
import NextTokenCore

/// Next-token log-probabilities along one token path that changes a little at a time: the
/// byte-level states move their canonical path by rewriting its last few tokens.
///
/// ``ModelTokenPath`` evaluates a transformer with a KV cache; tests plug in exact oracles.
public protocol TokenPathEvaluator: AnyObject {
    /// Entries of each row (the model's logits count).
    var vocabularySize: Int { get }

    /// Makes `tokens` the current path and hands `row` the natural-log next-token
    /// probabilities after `tokens[...k]`, for every `k` in `first ..< tokens.count` in
    /// increasing order. The buffer is only valid during the call.
    ///
    /// - Throws: ``ByteLevelError/invalidArgument(_:)`` when `first` is not an index of `tokens`,
    ///   ``ByteLevelError/contextFull(needed:capacity:)``, ``ByteLevelError/model(_:)``, or what
    ///   `row` throws.
    func evaluate(
        _ tokens: [TokenID], rowsFrom first: Int,
        _ row: (Int, UnsafeBufferPointer<Double>) throws(ByteLevelError) -> Void
    ) throws(ByteLevelError)
}

/// Fills `output` with the log-softmax of `logits` (computed in `Double`).
func logSoftmax(_ logits: UnsafeBufferPointer<Float>, into output: UnsafeMutableBufferPointer<Double>) {
    var maximum = -Float.infinity
    for value in logits where value > maximum { maximum = value }
    guard maximum.isFinite else {
        for index in output.indices { output[index] = -.infinity }
        return
    }
    let shift = Double(maximum)
    var total = 0.0
    for value in logits { total += exp(Double(value) - shift) }
    let normalizer = shift + log(total)
    for index in logits.indices { output[index] = Double(logits[index]) - normalizer }
}

/// `log(Σ exp(values))`, `-infinity` for no values or all `-infinity`.
func logSumExp(_ values: some Sequence<Double>) -> Double {
    var maximum = -Double.infinity
    for value in values where value > maximum { maximum = value }
    guard maximum.isFinite else { return maximum }
    var total = 0.0
    for value in values { total += exp(value - maximum) }
    return maximum + log(total)
}
