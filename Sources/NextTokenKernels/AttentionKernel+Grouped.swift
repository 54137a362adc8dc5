// Attention for the query heads that share a key/value head (grouped-query attention), up to four
// heads per pass over the cached keys and values: each key and value row is read once for the
// group instead of once per head. Each head's arithmetic is the one ``AttentionKernel`` documents
// (scores in the `DotAccumulator` order, values summed slot by slot with fused multiply-adds), so
// a head's bits do not depend on the heads it is computed with.

extension AttentionKernel {
    /// `scores[h * slotCount + j] = query_h · key(slot j)`, unscaled, for the `headCount` heads at
    /// `queries` (`headDimension` floats apart).
    @inline(__always)
    static func computeGroupScores<Element: CachedElement>(
        _ element: Element.Type, _ queries: UnsafePointer<Float>, headCount: Int, keys: UnsafeRawPointer, stride: Int,
        slots: UnsafePointer<Int32>, slotCount: Int, headDimension: Int, scores: UnsafeMutablePointer<Float>
    ) {
        var first = 0
        while first < headCount {
            let count = min(4, headCount &- first)
            // Heads past `count` repeat the last one; their sums are computed and dropped.
            let query = { (index: Int) in queries + (first &+ min(index, count &- 1)) &* headDimension }
            let (q0, q1, q2, q3) = (query(0), query(1), query(2), query(3))
            let groupCount = headDimension &>> 4
            for j in 0 ..< slotCount {
                let offset: Int = Int(slots[j]) &* stride &* Element.byteCount
                let key = keys + offset
                var a0 = DotAccumulator(), a1 = DotAccumulator(), a2 = DotAccumulator(), a3 = DotAccumulator()
                for group in 0 ..< groupCount {
                    let values = Element.group(key, group &* 16)
                    a0.add(values, loadGroup(UnsafeRawPointer(q0), group &* 64))
                    a1.add(values, loadGroup(UnsafeRawPointer(q1), group &* 64))
                    a2.add(values, loadGroup(UnsafeRawPointer(q2), group &* 64))
                    a3.add(values, loadGroup(UnsafeRawPointer(q3), group &* 64))
                }
                for index in (groupCount &<< 4) ..< headDimension {
                    let value = Element.element(key, index)
                    a0.add(value, q0[index])
                    a1.add(value, q1[index])
                    a2.add(value, q2[index])
                    a3.add(value, q3[index])
                }
                let totals = (a0.total, a1.total, a2.total, a3.total)
                let slot: Int = first &* slotCount &+ j
                let row = scores + slot
                row[0] = totals.0
                if count > 1 { row[slotCount] = totals.1 }
                if count > 2 { row[2 &* slotCount] = totals.2 }
                if count > 3 { row[3 &* slotCount] = totals.3 }
            }
            first &+= count
        }
    }

    /// `output[h * headDimension + i] = Σ_j weights[h * slotCount + j] · value(slot j)[i]` for the
    /// `headCount` heads, each element summed in slot order with fused multiply-adds.
    @inline(__always)
    static func accumulateGroupValues<Element: CachedElement>(
        _ element: Element.Type, _ values: UnsafeRawPointer, stride: Int, slots: UnsafePointer<Int32>,
        weights: UnsafePointer<Float>, headCount: Int, slotCount: Int, headDimension: Int,
        output: UnsafeMutablePointer<Float>
    ) {
        var first = 0
        while first < headCount {
            let count = min(4, headCount &- first)
            let weight = { (index: Int) in weights + (first &+ min(index, count &- 1)) &* slotCount }
            let (w0, w1, w2, w3) = (weight(0), weight(1), weight(2), weight(3))
            var start = 0
            while start &+ 16 <= headDimension {
                var a0 = SIMD16<Float>(), a1 = SIMD16<Float>(), a2 = SIMD16<Float>(), a3 = SIMD16<Float>()
                for j in 0 ..< slotCount {
                    let offset: Int = (Int(slots[j]) &* stride &+ start) &* Element.byteCount
                    let value = Element.group(values + offset, 0)
                    a0 = a0.addingProduct(SIMD16(repeating: w0[j]), value)
                    a1 = a1.addingProduct(SIMD16(repeating: w1[j]), value)
                    a2 = a2.addingProduct(SIMD16(repeating: w2[j]), value)
                    a3 = a3.addingProduct(SIMD16(repeating: w3[j]), value)
                }
                let destination = UnsafeMutableRawPointer(output + (first &* headDimension &+ start))
                let headBytes = headDimension &* 4
                destination.storeBytes(of: a0, as: SIMD16<Float>.self)
                if count > 1 { destination.storeBytes(of: a1, toByteOffset: headBytes, as: SIMD16<Float>.self) }
                if count > 2 { destination.storeBytes(of: a2, toByteOffset: 2 &* headBytes, as: SIMD16<Float>.self) }
                if count > 3 { destination.storeBytes(of: a3, toByteOffset: 3 &* headBytes, as: SIMD16<Float>.self) }
                start &+= 16
            }
            for head in first ..< first &+ count {
                for index in start ..< headDimension {
                    var sum: Float = 0
                    for j in 0 ..< slotCount {
                        let offset: Int = (Int(slots[j]) &* stride &+ index) &* Element.byteCount
                        sum = sum.addingProduct(weights[head &* slotCount &+ j], Element.element(values + offset, 0))
                    }
                    output[head &* headDimension &+ index] = sum
                }
            }
            first &+= count
        }
    }
}
