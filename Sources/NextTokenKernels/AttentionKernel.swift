/// Scaled dot-product attention of one query head over a list of key/value slots.
///
/// For the slots `s_0, s_1, …` in the order given: `score_j = (q · k_{s_j}) · scale` (summed in
/// the ``VectorOps/dot(_:_:count:)`` order), `w_j = exp(score_j − max score)` (``FastMath/exp(_:)``,
/// 16 at a time), `output = Σ_j w_j · v_{s_j} / Σ_j w_j` (weights summed 16 lanes at a time and
/// folded; the output accumulated slot by slot with fused multiply-adds, in slot-list order). The
/// result depends only on the query, the listed slots and their order: never on how the callers
/// batch rows or split work across threads.
public enum AttentionKernel {
    /// Writes `headDimension` outputs.
    ///
    /// - Parameters:
    ///   - keys: slot `s`'s key starts at `keys + s * stride` (likewise for `values`).
    ///   - slots: `slotCount` (at least 1) slot indices.
    ///   - scores: scratch for `slotCount` floats.
    public static func attend(
        query: UnsafePointer<Float>, keys: UnsafePointer<Float>, values: UnsafePointer<Float>, stride: Int,
        slots: UnsafePointer<Int32>, slotCount: Int, headDimension: Int, scale: Float,
        scores: UnsafeMutablePointer<Float>, output: UnsafeMutablePointer<Float>
    ) {
        precondition(slotCount > 0, "attention over no slots")
        var maxScore = -Float.infinity
        for j in 0 ..< slotCount {
            let key = UnsafeRawPointer(keys + Int(slots[j]) &* stride)
            let score = dotOneByOne(key, query, count: headDimension) * scale
            scores[j] = score
            maxScore = max(maxScore, score)
        }
        let shift = maxScore
        transformInPlace(scores, count: slotCount) { FastMath.exp($0 - shift) }
        let inverse = 1 / reduceSum(scores, count: slotCount) { $0 }
        output.initialize(repeating: 0, count: headDimension)
        for j in 0 ..< slotCount {
            let weight = scores[j]
            combineInPlace(output, values + Int(slots[j]) &* stride, count: headDimension) { sum, value in
                sum.addingProduct(SIMD16(repeating: weight), value)
            }
        }
        transformInPlace(output, count: headDimension) { $0 * inverse }
    }
}
