import NextTokenKernels
import NextTokenModel

/// The key-space clustering utility of in-context navigation (design §8.5): k-means over a model's
/// output-head rows (the token "keys"), then, per next-token ranking, how often ranks after the top
/// share a cluster with the top tokens (``KeySpaceShare``).
public struct KeySpaceProbe: Sendable {
    /// The clusters of the output-head rows; token `t` is in `clustering.assignments[t]`.
    public let clustering: KMeans

    /// Clusters the output-head rows of `model`.
    /// - Throws: ``ProbeError/noOutputHead`` for a model without accessible rows, or the clustering's
    ///   ``ProbeError/invalidParameter(name:value:)``.
    public init(
        model: any LanguageModel, clusterCount: Int, maxIterations: Int, seed: UInt64, pool: WorkerPool
    ) throws(ProbeError) {
        guard let head = model.outputHeadMatrix else { throw .noOutputHead }
        let width = head.columnCount
        var rows = [Float](repeating: 0, count: head.rowCount * width)
        rows.withUnsafeMutableBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            pool.parallelFor(head.rowCount) { range in
                for row in range { head.dequantizeRow(row, into: base + row * width) }
            }
        }
        clustering = try KMeans(
            rows: rows, dimension: width, clusterCount: clusterCount, maxIterations: maxIterations, seed: seed, pool: pool)
    }

    /// The cluster shares of one next-token logits row (see ``KeySpaceShare``).
    public func share(logits: [Float], topCount: Int, bandEnds: [Int]) throws(ProbeError) -> KeySpaceShare {
        try KeySpaceShare(logits: logits, clusters: clustering.assignments, topCount: topCount, bandEnds: bandEnds)
    }
}
