import NextTokenKernels

/// Scaled dot-product attention of a batch's queries over the cached prefix and the batch rows
/// each row may see.
///
/// For every (row, head) the keys are visited in increasing slot order: the cached prefix, then the
/// visible batch rows (``AttentionKernel`` fixes the arithmetic for a slot list). The reduction
/// order therefore depends only on which keys a row sees, never on the batch size or the thread
/// split, so a row's output is bit-identical to the one it gets when decoded alone after the same
/// prefix.
struct Attention {
    let headCount: Int
    let kvHeadCount: Int
    let headDimension: Int
    let batch: ForwardBatch
    /// Slots `0 ..< cachedLength` hold the prefix; batch row `j` sits in slot `cachedLength + j`.
    let cachedLength: Int
    /// Slots the cache can hold: the per-thread scratch is sized for it on the first pass, so that
    /// later passes over a growing prefix never reallocate it.
    let slotCapacity: Int
    let kvWidth: Int
    /// Keys older than `position - window + 1` are hidden when set (sliding-window layers).
    var window: Int? = nil
    /// Multiplies each score; `1/√headDimension` unless the architecture says otherwise.
    var scale: Float? = nil

    /// Writes `rows × headCount × headDimension` outputs.
    func run(
        queries: UnsafePointer<Float>, cache: KVCache, layer: Int, output: UnsafeMutablePointer<Float>, pool: WorkerPool
    ) {
        let pass = Pass(attention: self, queries: queries, cache: cache, layer: layer, output: output)
        // One task per (row, key/value head): the query heads of a group share their keys and values.
        pool.parallelFor(batch.tokens.count * kvHeadCount, scratchByteCount: pass.scratchByteCount, pass)
    }

    /// One call's operands as parallel work over (row, key/value head) tasks.
    private struct Pass: ParallelWork {
        let attention: Attention
        let queries: UnsafePointer<Float>
        let cache: KVCache
        let layer: Int
        let output: UnsafeMutablePointer<Float>

        /// Slots a row may see at most.
        var maxKeys: Int { max(attention.slotCapacity, attention.cachedLength + attention.batch.tokens.count) }
        var groupSize: Int { attention.headCount / attention.kvHeadCount }
        /// Per thread: the visible slots, then the scores of a group's heads.
        var scratchByteCount: Int { 4 * maxKeys * (1 + groupSize) }

        func run(_ tasks: Range<Int>, scratch: UnsafeMutableRawPointer) {
            let a = attention
            let maxKeys = maxKeys
            let groupSize = groupSize
            let queryWidth = a.headCount * a.headDimension
            let scoreScale = a.scale ?? 1 / Float(a.headDimension).squareRoot()
            let slots = scratch.bindMemory(to: Int32.self, capacity: maxKeys)
            let scores = UnsafeMutableRawPointer(slots + maxKeys).bindMemory(to: Float.self, capacity: groupSize * maxKeys)
            var slotsRow = -1
            var slotCount = 0
            for task in tasks {
                let row = task / a.kvHeadCount
                let kvHead = task % a.kvHeadCount
                if row != slotsRow {
                    slotCount = a.visibleSlots(of: row, into: slots)
                    slotsRow = row
                }
                let offset = row * queryWidth + kvHead * groupSize * a.headDimension
                AttentionKernel.attend(
                    queries: queries + offset, headCount: groupSize, keys: cache.keys(layer: layer, head: kvHead),
                    values: cache.values(layer: layer, head: kvHead), storage: cache.storage, stride: a.headDimension, slots: slots, slotCount: slotCount, headDimension: a.headDimension,
                    scale: scoreScale, scores: scores, output: output + offset)
            }
        }
    }

    /// Writes the slots row `row` attends to, in increasing order, and returns their count.
    fileprivate func visibleSlots(of row: Int, into slots: UnsafeMutablePointer<Int32>) -> Int {
        let position = batch.positions[row]
        let oldest = window.map { position - $0 + 1 } ?? Int.min
        var count = 0
        for slot in max(0, min(oldest, cachedLength)) ..< cachedLength {
            slots[count] = Int32(slot)
            count += 1
        }
        func add(_ j: Int) {
            guard batch.positions[j] >= oldest else { return }
            slots[count] = Int32(cachedLength + j)
            count += 1
        }
        switch batch.mask {
        case .causal: for j in 0 ... row { add(j) }
        case .rows(let visible): for j in visible[row] { add(j) }
        }
        return count
    }
}
