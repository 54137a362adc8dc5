import NextTokenKernels
import NextTokenModel

/// The cost of one forward pass of `rows` rows relative to a one-row pass.
public struct BatchCost: Sendable, Equatable {
    /// Rows in the forward pass (all with logits, as speculative verification needs).
    public let rows: Int
    /// Median seconds of the `rows`-row pass divided by the median seconds of the one-row pass.
    public let relativeCost: Double
}

extension Benchmark {
    /// Row counts of the default batch curve.
    public static let batchCurveRows = [1, 2, 4, 8, 16, 32, 64]

    /// How the cost of one forward pass grows with its row count: for each count, the median of
    /// `repetitions` timed passes (after one warm-up) after a cached prefix of `prefix` tokens
    /// (attention over a long prefix costs every row its own pass over the cache), with the
    /// logits of every row, on `threads` threads; divided by the median of the one-row pass.
    public func batchCurve(
        _ model: any LanguageModel, rows rowCounts: [Int] = Benchmark.batchCurveRows, prefix: Int = 0, threads: Int
    ) throws(NextTokenError) -> [BatchCost] {
        guard repetitions > 0, threads > 0, prefix >= 0, rowCounts.allSatisfy({ $0 > 0 }) else {
            throw .invalidRequest("batch-curve row counts, repetitions and threads must be positive, the prefix not negative")
        }
        let counts = rowCounts.contains(1) ? rowCounts : [1] + rowCounts
        let largest = counts.max() ?? 1
        guard prefix + largest <= model.contextLength else {
            throw .promptTooLong(tokens: prefix + largest, contextLength: model.contextLength)
        }
        let context = model.makeContext(capacity: prefix + largest, pool: WorkerPool(threadCount: threads),
                                        precision: precision)
        let logits = UnsafeMutablePointer<Float>.allocate(capacity: largest * model.vocabularySize)
        defer { logits.deallocate() }
        if prefix > 0 {
            let tokens = (0 ..< prefix).map { Self.benchmarkToken($0, vocabularySize: model.vocabularySize) }
            try Self.forward(model, ForwardBatch(tokens: tokens, startingAt: 0), context: context, logitRows: [],
                             logits: logits)
        }
        var medians: [Int: Double] = [:]
        for count in counts {
            let tokens = (0 ..< count).map { Self.benchmarkToken(prefix + $0, vocabularySize: model.vocabularySize) }
            let batch = ForwardBatch(tokens: tokens, startingAt: prefix)
            var times: [Double] = []
            for repetition in 0 ... repetitions {
                context.cache.truncate(to: prefix)
                let seconds = try Self.seconds { () throws(NextTokenError) in
                    try Self.forward(model, batch, context: context, logitRows: Array(0 ..< count), logits: logits)
                }
                if repetition > 0 { times.append(seconds) }
            }
            medians[count] = Self.median(times)
        }
        let single = medians[1] ?? 1
        return rowCounts.map { BatchCost(rows: $0, relativeCost: (medians[$0] ?? 0) / single) }
    }
}
