import NextTokenCore
import NextTokenKernels

/// A transformer that turns token batches into next-token logits.
///
/// Implementations are immutable after loading and may serve several ``ModelContext``s, each
/// used by one caller at a time.
public protocol LanguageModel: AnyObject, Sendable {
    /// Rows of a logits vector.
    var vocabularySize: Int { get }
    /// The context length the model was trained for.
    var contextLength: Int { get }
    /// Layers, for sizing a KV cache.
    var layerCount: Int { get }
    /// Floats per position per layer in the KV cache.
    var kvWidth: Int { get }
    /// Floats per position, layer and key/value head (a divisor of ``kvWidth``).
    var headDimension: Int { get }
    /// Weight bytes a one-token forward pass reads at the int8 precision (every layer matrix and the
    /// output head): the memory traffic that bounds generation speed.
    var weightBytesPerToken: Int { get }
    /// Width of the residual stream.
    var embeddingLength: Int { get }

    /// Evaluates `batch` after the context's cached prefix, appends every row to the KV cache, and
    /// writes the logits of `logitRows` (batch row indices) to `logits`, one row of
    /// `vocabularySize` floats after another.
    ///
    /// A row's logits are bit-identical whatever else is in the batch and whatever the thread
    /// count: speculative decoding relies on it.
    func forward(
        _ batch: ForwardBatch,
        context: ModelContext,
        logitRows: [Int],
        logits: UnsafeMutablePointer<Float>
    ) throws(ModelError)

    /// Evaluates several sequences in one pass (continuous batching): each sequence's rows follow
    /// its own cached prefix and are appended to its own cache, and the logits of every
    /// sequence's `logitRows` are written one after another, in sequence order.
    ///
    /// A row's logits are bit-identical to the ones ``forward(_:context:logitRows:logits:)``
    /// gives for its sequence alone. The contexts must be distinct.
    func forward(
        _ sequences: [SequenceBatch],
        workspace: ForwardWorkspace,
        logits: UnsafeMutablePointer<Float>
    ) throws(ModelError)
}

extension LanguageModel {
    /// Runs the sequences one after another, each on its own context's threads: correct, without
    /// the shared weight pass (architectures that do not batch across sequences).
    public func forward(
        _ sequences: [SequenceBatch], workspace: ForwardWorkspace, logits: UnsafeMutablePointer<Float>
    ) throws(ModelError) {
        var offset = 0
        for sequence in sequences {
            try forward(sequence.batch, context: sequence.context, logitRows: sequence.logitRows,
                        logits: logits + offset * vocabularySize)
            offset += sequence.logitRows.count
        }
    }

    /// A fresh context with room for `capacity` positions, computing on `pool` at `precision`.
    public func makeContext(capacity: Int, pool: WorkerPool, precision: Precision = .default) -> ModelContext {
        ModelContext(
            cache: KVCache(layerCount: layerCount, kvWidth: kvWidth, headDimension: headDimension,
                           capacity: max(1, capacity), storage: precision.cacheStorage),
            pool: pool, precision: precision
        )
    }

    /// Runs `batch` and returns the logits of `logitRows` as one array (convenient, allocates).
    public func logits(
        _ batch: ForwardBatch, context: ModelContext, logitRows: [Int]
    ) throws(ModelError) -> [Float] {
        var result = [Float](repeating: 0, count: logitRows.count * vocabularySize)
        var thrown: ModelError?
        result.withUnsafeMutableBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            do throws(ModelError) {
                try forward(batch, context: context, logitRows: logitRows, logits: base)
            } catch {
                thrown = error
            }
        }
        if let thrown { throw thrown }
        return result
    }
}

/// One sequence's mutable state: its KV cache, scratch buffers and the threads that compute it.
public final class ModelContext: @unchecked Sendable {
    /// The cached keys and values.
    public let cache: KVCache
    /// The threads forward passes run on.
    public let pool: WorkerPool
    /// How forward passes on this context compute.
    public let precision: Precision
    /// Buffers reused across forward passes (a decode step allocates nothing once warm).
    let scratch = ScratchBuffers()
    /// Receives intermediate rows of every forward pass on this context (probes); `nil` by default.
    package var observer: (any ForwardObserver)?

    init(cache: KVCache, pool: WorkerPool, precision: Precision) {
        self.cache = cache
        self.pool = pool
        self.precision = precision
    }

    /// The products of a forward pass on this context.
    var projections: Projections {
        Projections(precision: precision, pool: pool, activations: scratch.activations)
    }
}
