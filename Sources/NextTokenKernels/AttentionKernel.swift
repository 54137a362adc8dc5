#if arch(x86_64)
import NextTokenKernelsAVX512
#endif

/// Scaled dot-product attention of one query head over a list of key/value slots.
///
/// For the slots `s_0, s_1, …` in the order given: `score_j = (q · k_{s_j}) · scale` (summed in
/// the ``VectorOps/dot(_:_:count:)`` order), `w_j = exp(score_j − max score)` (``FastMath/exp(_:)``,
/// 16 at a time), `output = Σ_j w_j · v_{s_j} / Σ_j w_j` (weights summed 16 lanes at a time and
/// folded; each output element accumulated slot by slot with fused multiply-adds, in slot-list
/// order). The result depends only on the query, the listed slots and their order: never on how
/// the callers batch rows or split work across threads.
public enum AttentionKernel {
    /// Writes `headDimension` outputs for each of `headCount` query heads that share the keys and
    /// values (grouped-query attention): heads `h` at `queries + h * headDimension`, outputs at
    /// `output + h * headDimension`. Each head's output depends only on its own query (the
    /// arithmetic above). Keys and values are read once for up to four heads
    /// (`AttentionKernel+Grouped.swift`; on AVX-512 CPUs with an f32 cache the scores go head by head
    /// and the values through `AVX512Kernels.attentionValues`). Keys and values are f32 or f16
    /// (``KVStorage``); f16 elements convert exactly, so a head's products are those of their Floats.
    ///
    /// - Parameters:
    ///   - keys: slot `s`'s key starts `s * stride` elements of `storage` after `keys` (likewise
    ///     for `values`).
    ///   - slots: `slotCount` (at least 1) slot indices.
    ///   - scores: scratch for `headCount * slotCount` floats.
    public static func attend(
        queries: UnsafePointer<Float>, headCount: Int, keys: UnsafeRawPointer, values: UnsafeRawPointer,
        storage: KVStorage, stride: Int, slots: UnsafePointer<Int32>, slotCount: Int, headDimension: Int,
        scale: Float, scores: UnsafeMutablePointer<Float>, output: UnsafeMutablePointer<Float>
    ) {
        precondition(slotCount > 0, "attention over no slots")
        switch storage {
        case .f32:
            attend(F32Element.self, queries: queries, headCount: headCount, keys: keys, values: values, stride: stride,
                   slots: slots, slotCount: slotCount, headDimension: headDimension, scale: scale, scores: scores,
                   output: output)
        case .f16:
            attend(F16Element.self, queries: queries, headCount: headCount, keys: keys, values: values, stride: stride,
                   slots: slots, slotCount: slotCount, headDimension: headDimension, scale: scale, scores: scores,
                   output: output)
        }
    }

    @inline(__always)
    static func attend<Element: CachedElement>(
        _ element: Element.Type, queries: UnsafePointer<Float>, headCount: Int, keys: UnsafeRawPointer,
        values: UnsafeRawPointer, stride: Int, slots: UnsafePointer<Int32>, slotCount: Int, headDimension: Int,
        scale: Float, scores: UnsafeMutablePointer<Float>, output: UnsafeMutablePointer<Float>
    ) {
        #if arch(x86_64)
        let avx512 = Element.self == F32Element.self && CPUFeatures.avx512
        #else
        let avx512 = false
        #endif
        if avx512 {
            for head in 0 ..< headCount {
                computeScores(Element.self, queries + head &* headDimension, keys: keys, stride: stride, slots: slots,
                              slotCount: slotCount, headDimension: headDimension, scores: scores + head &* slotCount)
            }
        } else {
            computeGroupScores(Element.self, queries, headCount: headCount, keys: keys, stride: stride, slots: slots,
                               slotCount: slotCount, headDimension: headDimension, scores: scores)
        }
        for head in 0 ..< headCount {
            exponentiate(scores + head &* slotCount, count: slotCount, scale: scale)
        }
        var head = 0
        #if arch(x86_64)
        if avx512 && headDimension % 64 == 0 {
            let values = values.assumingMemoryBound(to: Float.self)
            while head < headCount {
                let heads = min(4, headCount &- head)
                AVX512Kernels.attentionValues(
                    values: values, stride: stride, slots: slots, slotCount: slotCount,
                    headDimension: headDimension, headCount: heads, weights: scores + head &* slotCount,
                    weightStride: slotCount, output: output + head &* headDimension)
                head &+= heads
            }
        }
        #endif
        if head < headCount {
            accumulateGroupValues(Element.self, values, stride: stride, slots: slots, weights: scores + head &* slotCount,
                                  headCount: headCount &- head, slotCount: slotCount, headDimension: headDimension,
                                  output: output + head &* headDimension)
        }
        for head in 0 ..< headCount {
            let inverse = 1 / reduceSum(scores + head &* slotCount, count: slotCount) { $0 }
            transformInPlace(output + head &* headDimension, count: headDimension) { $0 * inverse }
        }
    }

    /// `scores[j] = query · key(slot j)`, unscaled.
    @inline(__always)
    static func computeScores<Element: CachedElement>(
        _ element: Element.Type, _ query: UnsafePointer<Float>, keys: UnsafeRawPointer, stride: Int,
        slots: UnsafePointer<Int32>, slotCount: Int, headDimension: Int, scores: UnsafeMutablePointer<Float>
    ) {
        #if arch(x86_64)
        if Element.self == F32Element.self && CPUFeatures.avx512 && headDimension % 16 == 0 {
            AVX512Kernels.attentionScores(
                query: query, keys: keys.assumingMemoryBound(to: Float.self), stride: stride, slots: slots, slotCount: slotCount,
                headDimension: headDimension, scores: scores)
            return
        }
        #endif
        @inline(__always)
        func key(_ j: Int) -> UnsafeRawPointer {
            let offset: Int = Int(slots[j]) &* stride &* Element.byteCount
            return keys + offset
        }
        // Four keys at a time: four independent accumulators, each in the order of one dot product.
        var j = 0
        while j &+ 4 <= slotCount {
            (scores[j], scores[j &+ 1], scores[j &+ 2], scores[j &+ 3]) =
                dotFourKeys(Element.self, key(j), key(j &+ 1), key(j &+ 2), key(j &+ 3), query, count: headDimension)
            j &+= 4
        }
        while j < slotCount {
            var accumulator = DotAccumulator()
            let groupCount = headDimension &>> 4
            for group in 0..<groupCount {
                accumulator.add(Element.group(key(j), group &* 16), loadGroup(UnsafeRawPointer(query), group &* 64))
            }
            for index in (groupCount &<< 4)..<headDimension { accumulator.add(Element.element(key(j), index), query[index]) }
            scores[j] = accumulator.total
            j &+= 1
        }
    }

    /// Scales the scores and replaces them with `exp(score − max score)`.
    @inline(__always)
    static func exponentiate(_ scores: UnsafeMutablePointer<Float>, count: Int, scale: Float) {
        var shift = -Float.infinity
        for j in 0 ..< count {
            let score = scores[j] * scale
            scores[j] = score
            shift = max(shift, score)
        }
        transformInPlace(scores, count: count) { FastMath.exp($0 - shift) }
    }
}

/// Four cached keys at independent addresses times vector `x`, each in the `DotAccumulator` order.
@inline(__always)
func dotFourKeys<Element: CachedElement>(
    _ element: Element.Type, _ w0: UnsafeRawPointer, _ w1: UnsafeRawPointer, _ w2: UnsafeRawPointer, _ w3: UnsafeRawPointer,
    _ x: UnsafePointer<Float>, count: Int
) -> (Float, Float, Float, Float) {
    var a0 = DotAccumulator()
    var a1 = DotAccumulator()
    var a2 = DotAccumulator()
    var a3 = DotAccumulator()
    let input = UnsafeRawPointer(x)
    let groupCount = count &>> 4
    for group in 0..<groupCount {
        let vector = loadGroup(input, group &* 64)
        a0.add(Element.group(w0, group &* 16), vector)
        a1.add(Element.group(w1, group &* 16), vector)
        a2.add(Element.group(w2, group &* 16), vector)
        a3.add(Element.group(w3, group &* 16), vector)
    }
    for index in (groupCount &<< 4)..<count {
        a0.add(Element.element(w0, index), x[index])
        a1.add(Element.element(w1, index), x[index])
        a2.add(Element.element(w2, index), x[index])
        a3.add(Element.element(w3, index), x[index])
    }
    return (a0.total, a1.total, a2.total, a3.total)
}
