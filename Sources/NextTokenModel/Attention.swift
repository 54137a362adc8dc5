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
    let kvWidth: Int
    /// Keys older than `position - window + 1` are hidden when set (sliding-window layers).
    var window: Int? = nil
    /// Multiplies each score; `1/√headDimension` unless the architecture says otherwise.
    var scale: Float? = nil

    /// Writes `rows × headCount × headDimension` outputs.
    func run(
        queries: UnsafePointer<Float>, keys: UnsafePointer<Float>, values: UnsafePointer<Float>,
        output: UnsafeMutablePointer<Float>, pool: WorkerPool
    ) {
        let rows = batch.tokens.count
        let groupSize = headCount / kvHeadCount
        let queryWidth = headCount * headDimension
        let scoreScale = scale ?? 1 / Float(headDimension).squareRoot()
        let maxKeys = cachedLength + rows
        // One task per (row, key/value head): the query heads of a group share their keys and values.
        pool.parallelFor(rows * kvHeadCount, scratchByteCount: 4 * maxKeys * (1 + groupSize)) { tasks, scratch in
            let slots = scratch.bindMemory(to: Int32.self, capacity: maxKeys)
            let scores = UnsafeMutableRawPointer(slots + maxKeys)
                .bindMemory(to: Float.self, capacity: groupSize * maxKeys)
            var slotsRow = -1
            var slotCount = 0
            for task in tasks {
                let row = task / kvHeadCount
                let kvHead = task % kvHeadCount
                if row != slotsRow {
                    slotCount = visibleSlots(of: row, into: slots)
                    slotsRow = row
                }
                let offset = row * queryWidth + kvHead * groupSize * headDimension
                let kvOffset = kvHead * headDimension
                AttentionKernel.attend(
                    queries: queries + offset, headCount: groupSize, keys: keys + kvOffset, values: values + kvOffset,
                    stride: kvWidth, slots: slots, slotCount: slotCount, headDimension: headDimension,
                    scale: scoreScale, scores: scores, output: output + offset)
            }
        }
    }

    /// Writes the slots row `row` attends to, in increasing order, and returns their count.
    private func visibleSlots(of row: Int, into slots: UnsafeMutablePointer<Int32>) -> Int {
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
