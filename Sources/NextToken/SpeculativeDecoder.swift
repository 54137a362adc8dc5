import NextTokenCore
import NextTokenModel
import NextTokenSampling
import NextTokenSpeculation

/// Lossless speculative decoding without a draft model (algorithms.md §0, §4.2).
///
/// Each step verifies a draft tree rooted at the pending token in one forward pass. The walk
/// samples at each visited node exactly as plain decoding would (one uniform per emitted token,
/// greedy ties to the lowest id) and descends while a child carries the sampled token; the KV rows
/// of the visited path are then compacted into place. With batch-invariant kernels the emitted
/// tokens are identical to plain decoding's, whatever the drafts.
struct SpeculativeDecoder {
    let model: any LanguageModel
    let context: ModelContext
    let drafter: any Drafter
    let maxBudget: Int
    let capacity: Int
    let adaptive: Bool
    private(set) var statistics = SpeculationStatistics()
    private var gate = DraftGate()

    /// Candidates per row recorded for Token Recycling.
    static let rowCandidates = 8

    init(model: any LanguageModel, context: ModelContext, drafter: any Drafter, maxBudget: Int, capacity: Int,
         adaptive: Bool) {
        self.model = model
        self.context = context
        self.drafter = drafter
        self.maxBudget = maxBudget
        self.capacity = capacity
        self.adaptive = adaptive
        statistics.method = drafter.name
    }

    mutating func run(
        prompt: [TokenID], emitter: inout TokenEmitter, sampler: inout Sampler, isCancelled: () -> Bool
    ) throws(NextTokenError) {
        let v = model.vocabularySize
        var history = prompt + emitter.tokens
        drafter.start(prompt: prompt)
        var logits: [Float] = []
        let clock = ContinuousClock()
        while !emitter.isFinished {
            if isCancelled() { emitter.end(.cancelled); break }
            let cached = context.cache.length
            guard cached < capacity else { emitter.end(.contextFull); break }
            let stepStart = clock.now
            let budget = min(maxBudget, capacity - cached - 1, emitter.remaining - 1)
            var tree = budget > 0 ? drafter.draft(history: history, budget: budget) : DraftTree(root: history[history.count - 1])
            if adaptive {
                let limit = gate.depthLimit(for: tree)
                tree = tree.pruned(toDepth: limit)
                if tree.draftCount > 0 { statistics.finalDepthLimit = limit }
            }
            let draftEnd = clock.now
            let rows = tree.nodes.count
            if logits.count < rows * v { logits = [Float](repeating: 0, count: rows * v) }
            let batch = ForwardBatch(
                tokens: tree.tokens, positions: tree.nodes.map { cached + $0.depth },
                mask: .rows(tree.nodes.indices.map { tree.pathIndices(to: $0) }))
            try logits.withUnsafeMutableBufferPointer { buffer throws(NextTokenError) in
                // `buffer` holds at least one row, so its base address exists.
                try GenerationRun.forward(model, batch, context: context, rows: Array(0 ..< rows),
                                          logits: buffer.baseAddress!)
            }

            var row = 0
            let visited = try TreeWalk.run(tree, choose: { node throws(NextTokenError) in
                row = node
                return try logits.withUnsafeBufferPointer { buffer throws(NextTokenError) in
                    // `history` is the committed tokens plus the path to `node`: what plain
                    // decoding's history is when it emits the same token.
                    try GenerationRun.sample(&sampler, buffer.baseAddress! + node * v, v, history: history)
                }
            }, emit: { token throws(NextTokenError) in
                try logits.withUnsafeBufferPointer { buffer throws(NextTokenError) in
                    try emitter.emit(token, logits: UnsafeBufferPointer(rebasing: buffer[row * v ..< (row + 1) * v]))
                }
                history.append(token)
                return !emitter.isFinished
            })
            for (slot, row) in visited.enumerated() { context.cache.moveSlot(cached + row, to: cached + slot) }
            context.cache.truncate(to: cached + visited.count)

            let topTokens = drafter.wantsRowCandidates
                ? logits.withUnsafeBufferPointer { buffer in
                    (0 ..< rows).map { Self.topTokens(buffer.baseAddress! + $0 * v, count: v, k: Self.rowCandidates) }
                }
                : []
            drafter.observe(VerificationOutcome(tree: tree, rowTopTokens: topTokens, visitedNodes: visited,
                                                history: history))
            let stepEnd = clock.now
            statistics.record(tree: tree, visited: visited, emitted: visited.count,
                              draftTime: draftEnd - stepStart, stepTime: stepEnd - stepStart)
            gate.record(tree: tree, visited: visited, seconds: (stepEnd - stepStart).seconds)
        }
        drafter.finish(history: history)
    }

    /// The `k` token ids with the largest logits, best first (ties: lower id).
    static func topTokens(_ row: UnsafePointer<Float>, count: Int, k: Int) -> [TokenID] {
        var best: [(logit: Float, id: Int)] = []
        best.reserveCapacity(k + 1)
        for id in 0 ..< count {
            let logit = row[id]
            guard !logit.isNaN else { continue }
            if best.count == k, let last = best.last, logit <= last.logit { continue }
            var position = best.count
            while position > 0 && best[position - 1].logit < logit { position -= 1 }
            best.insert((logit, id), at: position)
            if best.count > k { best.removeLast() }
        }
        return best.map { TokenID($0.id) }
    }
}
