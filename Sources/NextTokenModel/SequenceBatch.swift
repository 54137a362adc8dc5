import NextTokenKernels

/// One sequence's share of a multi-sequence forward pass: its rows, its context (KV cache), and
/// the rows whose logits it wants.
public struct SequenceBatch: Sendable {
    /// The rows, positioned after the context's cached prefix.
    public var batch: ForwardBatch
    /// The sequence's own KV cache; the pass appends the rows to it.
    public let context: ModelContext
    /// Batch rows (indices into `batch`) whose logits are written.
    public var logitRows: [Int]

    public init(batch: ForwardBatch, context: ModelContext, logitRows: [Int]) {
        self.batch = batch
        self.context = context
        self.logitRows = logitRows
    }
}

/// The threads and scratch buffers of multi-sequence forward passes (continuous batching): one
/// caller at a time.
public final class ForwardWorkspace: @unchecked Sendable {
    /// The threads the passes run on.
    public let pool: WorkerPool
    /// Buffers reused across passes.
    let scratch = ScratchBuffers()

    public init(pool: WorkerPool) {
        self.pool = pool
    }
}
