#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import NextTokenKernels

/// Scaled dot-product attention of a batch's queries over the cached prefix and the batch rows
/// each row may see.
///
/// For every (row, head) the keys are visited in increasing slot order: the cached prefix, then the
/// visible batch rows. The reduction order therefore depends only on which keys a row sees, never
/// on the batch size or the thread split, so a row's output is bit-identical to the one it gets when
/// decoded alone after the same prefix.
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
        let visible: [[Int]] = (0 ..< rows).map { batch.visibleRows(of: $0) }
        let groupSize = headCount / kvHeadCount
        let queryWidth = headCount * headDimension
        let scoreScale = scale ?? 1 / Float(headDimension).squareRoot()
        let maxKeys = cachedLength + rows
        pool.parallelFor(rows * headCount) { tasks in
            withUnsafeTemporaryAllocation(of: Float.self, capacity: maxKeys) { scores in
                guard let scores = scores.baseAddress else { return }
                for task in tasks {
                    let row = task / headCount
                    let head = task % headCount
                    let kvOffset = (head / groupSize) * headDimension
                    let query = queries + row * queryWidth + head * headDimension
                    let out = output + row * queryWidth + head * headDimension
                    let position = batch.positions[row]
                    let firstCached = window.map { max(0, position - $0 + 1) } ?? 0
                    var slots = 0
                    var maxScore = -Float.infinity
                    func score(slot: Int) {
                        let s = VectorOps.dot(query, keys + slot * kvWidth + kvOffset, count: headDimension) * scoreScale
                        scores[slots] = s
                        slots += 1
                        maxScore = max(maxScore, s)
                    }
                    for slot in min(firstCached, cachedLength) ..< cachedLength { score(slot: slot) }
                    for j in visible[row] where batch.positions[j] >= position - (window ?? Int.max / 2) + 1 {
                        score(slot: cachedLength + j)
                    }
                    var sum: Float = 0
                    for t in 0 ..< slots {
                        let e = expf(scores[t] - maxScore)
                        scores[t] = e
                        sum += e
                    }
                    out.initialize(repeating: 0, count: headDimension)
                    var t = 0
                    func accumulate(slot: Int) {
                        let value = values + slot * kvWidth + kvOffset
                        let weight = scores[t]
                        for i in 0 ..< headDimension { out[i] += weight * value[i] }
                        t += 1
                    }
                    for slot in min(firstCached, cachedLength) ..< cachedLength { accumulate(slot: slot) }
                    for j in visible[row] where batch.positions[j] >= position - (window ?? Int.max / 2) + 1 {
                        accumulate(slot: cachedLength + j)
                    }
                    let inverse = 1 / sum
                    for i in 0 ..< headDimension { out[i] *= inverse }
                }
            }
        }
    }
}
