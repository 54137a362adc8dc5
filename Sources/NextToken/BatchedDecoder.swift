import Foundation
import NextTokenCore
import NextTokenKernels
import NextTokenModel
import Synchronization

/// Continuous batching: every request given to ``generate(tokens:options:)`` joins one decode
/// loop, whose forward passes carry a row for each decoding request and prompt chunks of the
/// ones still prefilling, so the weights are read once per step for all of them.
///
/// Each request keeps its own KV cache, sampler and stop rules, and a row's logits do not depend
/// on the other rows, so a request's output is exactly what ``Model/generate(tokens:options:)``
/// gives it alone. Requests join and leave between passes. The loop runs on a thread of its
/// own while there is work and ends when there is none.
public final class BatchedDecoder: Sendable {
    /// The model every request runs on.
    public let model: Model
    /// Most rows in one forward pass; prompt chunks fill what the decoding rows leave.
    public let maxRowsPerPass: Int
    private let workspace: ForwardWorkspace
    private let state = Mutex(LoopState())

    private struct LoopState: Sendable {
        var waiting: [BatchedSequence] = []
        var running = false
        var passes = 0
        var rows = 0
    }

    /// A decoder for `model` computing on `threads` worker threads (`nil`: every core) at `precision`.
    public init(model: Model, threads: Int? = nil, precision: Precision = .default, maxRowsPerPass: Int = 256) {
        self.model = model
        self.maxRowsPerPass = max(1, maxRowsPerPass)
        workspace = ForwardWorkspace(pool: WorkerPool(threadCount: threads ?? GenerationRun.defaultThreadCount),
                                     precision: precision)
    }

    /// Forward passes run so far and the rows they carried (rows / passes is the mean batch).
    public var passStatistics: (passes: Int, rows: Int) {
        state.withLock { ($0.passes, $0.rows) }
    }

    /// Generates a continuation of exactly `tokens` as ``Model/generate(tokens:options:)`` does,
    /// in the shared loop. `options.speculation` must be `.none`; `options.threads` and
    /// `options.precision` are ignored (the loop's threads compute every row, at its precision).
    public func generate(
        tokens: [TokenID], options: GenerationOptions
    ) -> AsyncThrowingStream<GenerationEvent, any Error> {
        let (stream, continuation) = AsyncThrowingStream<GenerationEvent, any Error>.makeStream()
        let cancelled = CancellationFlag()
        continuation.onTermination = { _ in cancelled.set() }
        let sequence: BatchedSequence
        do {
            sequence = try BatchedSequence(
                model: model, promptTokens: tokens, options: options, pool: workspace.pool,
                precision: workspace.precision, cancelled: cancelled,
                emit: { continuation.yield($0) },
                finish: { result in
                    switch result {
                    case .success(let summary):
                        continuation.yield(.finished(summary))
                        continuation.finish()
                    case .failure(let error):
                        continuation.finish(throwing: error)
                    }
                })
        } catch {
            continuation.finish(throwing: error)
            return stream
        }
        let start = state.withLock { state in
            state.waiting.append(sequence)
            defer { state.running = true }
            return !state.running
        }
        if start {
            let thread = Thread { [self] in loop() }
            thread.stackSize = 8 << 20
            thread.start()
        }
        return stream
    }

    /// Runs passes until no request is left.
    private func loop() {
        let lm = model.languageModel
        var active: [BatchedSequence] = []
        var logits: [Float] = []
        while true {
            let joined: [BatchedSequence]? = state.withLock { state in
                if state.waiting.isEmpty && active.isEmpty {
                    state.running = false
                    return nil
                }
                defer { state.waiting.removeAll() }
                return state.waiting
            }
            guard let joined else { return }
            active += joined
            // Decoding rows first (one each), then prompt chunks in arrival order.
            var budget = maxRowsPerPass
            var pass: [(sequence: BatchedSequence, rows: SequenceBatch)] = []
            for decoding in [true, false] {
                for sequence in active where sequence.isPrefilled == decoding {
                    guard let rows = sequence.nextRows(budget: budget) else { continue }
                    budget -= rows.batch.tokens.count
                    pass.append((sequence, rows))
                }
            }
            if !pass.isEmpty {
                let logitCount = pass.reduce(0) { $0 + $1.rows.logitRows.count }
                let needed = max(1, logitCount) * lm.vocabularySize
                if logits.count < needed { logits = [Float](repeating: 0, count: needed) }
                do {
                    try logits.withUnsafeMutableBufferPointer { buffer throws(ModelError) in
                        try lm.forward(pass.map(\.rows), workspace: workspace, logits: buffer.baseAddress!)
                    }
                } catch {
                    for (sequence, _) in pass { sequence.fail(.model(error)) }
                    active.removeAll { member in pass.contains { $0.sequence === member } }
                    continue
                }
                state.withLock { state in
                    state.passes += 1
                    state.rows += pass.reduce(0) { $0 + $1.rows.batch.tokens.count }
                }
                var offset = 0
                var failed: [BatchedSequence] = []
                logits.withUnsafeBufferPointer { buffer in
                    for (sequence, rows) in pass where !rows.logitRows.isEmpty {
                        let row = UnsafeBufferPointer(rebasing: buffer[offset * lm.vocabularySize ..< (offset + 1) * lm.vocabularySize])
                        offset += 1
                        do throws(NextTokenError) {
                            try sequence.accept(logits: row)
                        } catch {
                            sequence.fail(error)
                            failed.append(sequence)
                        }
                    }
                }
                active.removeAll { member in failed.contains { $0 === member } }
            }
            for sequence in active where sequence.isFinished { sequence.complete() }
            active.removeAll { $0.isFinished }
        }
    }
}
