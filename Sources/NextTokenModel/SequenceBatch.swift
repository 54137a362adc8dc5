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
    /// How the passes multiply (each sequence's cache keeps its own storage).
    public let precision: Precision
    /// Buffers reused across passes.
    let scratch = ScratchBuffers()

    public init(pool: WorkerPool, precision: Precision = .default) {
        self.pool = pool
        self.precision = precision
    }

    /// The products of a pass.
    var projections: Projections {
        Projections(precision: precision, pool: pool, activations: scratch.activations)
    }
}

extension Collection<SequenceBatch> {
    /// Checks every sequence (its batch, that its rows fit its cache, its logit rows, and that
    /// no two share a cache) and returns the number of rows of the pass.
    func validate(vocabularySize: Int) throws(ModelError) -> Int {
        var rows = 0
        for (index, sequence) in zip(indices, self) {
            try sequence.batch.validate(vocabularySize: vocabularySize)
            let cache = sequence.context.cache
            // Pairwise: a pass holds a handful of sequences, and a set would allocate.
            guard !self[..<index].contains(where: { $0.context.cache === cache }) else {
                throw .invalidBatch("two sequences share a KV cache")
            }
            guard cache.length + sequence.batch.tokens.count <= cache.capacity else {
                throw .contextFull(needed: cache.length + sequence.batch.tokens.count, capacity: cache.capacity)
            }
            guard sequence.logitRows.allSatisfy({ $0 >= 0 && $0 < sequence.batch.tokens.count }) else {
                throw .invalidBatch("logit row outside the batch")
            }
            rows += sequence.batch.tokens.count
        }
        guard rows > 0 else { throw .invalidBatch("no rows") }
        return rows
    }

    /// Calls `body` with each sequence and the pass row of its first batch row, in order.
    func forEachWithFirstRow(_ body: (SequenceBatch, Int) -> Void) {
        var first = 0
        for sequence in self {
            body(sequence, first)
            first += sequence.batch.tokens.count
        }
    }
}
