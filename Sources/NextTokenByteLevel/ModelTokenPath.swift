import NextTokenCore
import NextTokenKernels
import NextTokenModel

/// A ``TokenPathEvaluator`` backed by a transformer and one KV cache.
///
/// Moving to a new path keeps the cached prefix it shares with the old one (``KVCache/truncate(to:)``)
/// and runs only the rest; the rows of the last two positions are kept, so a second caller
/// asking for them on the same path (a baseline walking beside an exact state) costs nothing.
/// Not thread-safe: one walk owns it at a time.
public final class ModelTokenPath: TokenPathEvaluator {
    /// Rows per forward pass when no logits are wanted (prefill).
    static let prefillChunk = 256
    /// Rows per forward pass when logits are wanted (bounds the logits buffer).
    static let rowsPerPass = 32

    public let model: any LanguageModel
    private let context: ModelContext
    /// The tokens in the KV cache.
    private var cached: [TokenID] = []
    /// Log-probability rows of recent positions whose prefix is still cached.
    private var recentRows: [(position: Int, row: [Double])] = []
    private var logits: [Float]
    private var row: [Double]

    public var vocabularySize: Int { model.vocabularySize }
    /// Most tokens a path may have.
    public var capacity: Int { context.cache.capacity }

    /// A path evaluator for `model` holding up to `capacity` tokens (at most the model's context
    /// length), computing on `pool`.
    public init(model: any LanguageModel, capacity: Int, pool: WorkerPool) {
        self.model = model
        context = model.makeContext(capacity: max(1, min(capacity, model.contextLength)), pool: pool)
        logits = [Float](repeating: 0, count: Self.rowsPerPass * model.vocabularySize)
        row = [Double](repeating: 0, count: model.vocabularySize)
    }

    public func evaluate(
        _ tokens: [TokenID], rowsFrom first: Int,
        _ deliver: (Int, UnsafeBufferPointer<Double>) throws(ByteLevelError) -> Void
    ) throws(ByteLevelError) {
        guard first >= 0, first < tokens.count else {
            throw .invalidArgument("row \(first) of a path of \(tokens.count) tokens")
        }
        guard tokens.count <= capacity else { throw .contextFull(needed: tokens.count, capacity: capacity) }
        var shared = 0
        while shared < min(cached.count, tokens.count), cached[shared] == tokens[shared] { shared += 1 }
        recentRows.removeAll { $0.position >= shared }
        if tokens.count <= shared, (first..<tokens.count).allSatisfy({ k in recentRows.contains { $0.position == k } }) {
            for position in first..<tokens.count {
                guard let entry = recentRows.first(where: { $0.position == position }) else { continue }
                try entry.row.withUnsafeBufferPointer { buffer throws(ByteLevelError) in try deliver(position, buffer) }
            }
            return
        }
        let keep = min(shared, first)
        context.cache.truncate(to: keep)
        cached.removeSubrange(keep...)
        recentRows.removeAll { $0.position >= keep }
        var start = keep
        while start < tokens.count {
            let end = start < first ? min(first, start + Self.prefillChunk) : min(tokens.count, start + Self.rowsPerPass)
            let lower = max(start, first)
            let rows = lower < end ? (lower..<end).map { $0 - start } : []
            let batch = ForwardBatch(tokens: Array(tokens[start..<end]), startingAt: start)
            try forward(batch, rows: rows)
            cached += tokens[start..<end]
            for (index, batchRow) in rows.enumerated() {
                let position = start + batchRow
                try deliverRow(index, position: position, last: tokens.count - 1, deliver)
            }
            start = end
        }
    }

    private func forward(_ batch: ForwardBatch, rows: [Int]) throws(ByteLevelError) {
        var thrown: ModelError?
        logits.withUnsafeMutableBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            do throws(ModelError) {
                try model.forward(batch, context: context, logitRows: rows, logits: base)
            } catch {
                thrown = error
            }
        }
        if let thrown { throw .model(thrown) }
    }

    private func deliverRow(
        _ index: Int, position: Int, last: Int,
        _ deliver: (Int, UnsafeBufferPointer<Double>) throws(ByteLevelError) -> Void
    ) throws(ByteLevelError) {
        let width = model.vocabularySize
        logits.withUnsafeBufferPointer { all in
            row.withUnsafeMutableBufferPointer { output in
                logSoftmax(UnsafeBufferPointer(rebasing: all[index * width ..< (index + 1) * width]), into: output)
            }
        }
        if position >= last - 1 {
            recentRows.removeAll { $0.position == position }
            recentRows.append((position, row))
        }
        try row.withUnsafeBufferPointer { buffer throws(ByteLevelError) in try deliver(position, buffer) }
    }
}
