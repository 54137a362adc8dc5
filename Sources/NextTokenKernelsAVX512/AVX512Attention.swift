#if arch(x86_64)
// The two hot loops of NextTokenKernels' `AttentionKernel` for AVX-512, with the arithmetic of the
// portable code lane by lane (so the bits are the same): key scores eight keys at a time, and
// value sums for the query heads that share a key/value head (grouped-query attention) in one
// pass over the values.
extension AVX512Kernels {
    /// `scores[j] = key(slot j) · query` for `j < slotCount` (`key(s) = keys + s * stride`), each
    /// dot product summed like NextTokenKernels' `DotAccumulator`. `headDimension` is a multiple
    /// of 16.
    public static func attentionScores(
        query: UnsafePointer<Float>, keys: UnsafePointer<Float>, stride: Int, slots: UnsafePointer<Int32>,
        slotCount: Int, headDimension: Int, scores: UnsafeMutablePointer<Float>
    ) {
        let input = UnsafeRawPointer(query)
        let groupCount = headDimension &>> 4
        @inline(__always)
        func key(_ j: Int) -> UnsafeRawPointer { UnsafeRawPointer(keys + Int(slots[j]) &* stride) }
        var j = 0
        while j &+ 8 <= slotCount {
            let k0 = key(j), k1 = key(j &+ 1), k2 = key(j &+ 2), k3 = key(j &+ 3)
            let k4 = key(j &+ 4), k5 = key(j &+ 5), k6 = key(j &+ 6), k7 = key(j &+ 7)
            var sums = Accumulators()
            for index in 0 ..< groupCount {
                let offset = index &* 64
                let q = group(input, offset)
                sums[0].add(group(k0, offset), q)
                sums[1].add(group(k1, offset), q)
                sums[2].add(group(k2, offset), q)
                sums[3].add(group(k3, offset), q)
                sums[4].add(group(k4, offset), q)
                sums[5].add(group(k5, offset), q)
                sums[6].add(group(k6, offset), q)
                sums[7].add(group(k7, offset), q)
            }
            for k in 0 ..< 8 { scores[j &+ k] = sums[k].total }
            j &+= 8
        }
        while j < slotCount {
            var sum = Accumulator()
            let k = key(j)
            for index in 0 ..< groupCount { sum.add(group(k, index &* 64), group(input, index &* 64)) }
            scores[j] = sum.total
            j &+= 1
        }
    }

    /// `output[h * headDimension + i] = Σ_j weights[h * weightStride + j] · value(slot j)[i]` for
    /// heads `h < headCount` (1…4; `value(s) = values + s * stride`), each element summed in slot
    /// order with fused multiply-adds, as NextTokenKernels' `AttentionKernel.accumulateValues`
    /// does per head. `headDimension` is a multiple of 64.
    public static func attentionValues(
        values: UnsafePointer<Float>, stride: Int, slots: UnsafePointer<Int32>, slotCount: Int,
        headDimension: Int, headCount: Int, weights: UnsafePointer<Float>, weightStride: Int,
        output: UnsafeMutablePointer<Float>
    ) {
        let shape = ValueSums(
            values: values, stride: stride, slots: slots, slotCount: slotCount, headDimension: headDimension,
            weights: weights, weightStride: weightStride, output: output)
        for start in Swift.stride(from: 0, to: headDimension, by: 64) {
            switch headCount {
            case 1: shape.accumulate(One.self, start: start)
            case 2: shape.accumulate(Two.self, start: start)
            case 3: shape.accumulate(Three.self, start: start)
            default: shape.accumulate(Four.self, start: start)
            }
        }
    }
}

/// The operands of one ``AVX512Kernels/attentionValues(values:stride:slots:slotCount:headDimension:headCount:weights:weightStride:output:)`` call.
private struct ValueSums {
    let values: UnsafePointer<Float>
    let stride: Int
    let slots: UnsafePointer<Int32>
    let slotCount: Int
    let headDimension: Int
    let weights: UnsafePointer<Float>
    let weightStride: Int
    let output: UnsafeMutablePointer<Float>

    /// Elements `start ..< start + 64` of every head's output: four 16-lane sums per head.
    @inline(__always)
    func accumulate<Heads: VectorCount>(_ heads: Heads.Type, start: Int) {
        var sums = HeadSums()
        for j in 0 ..< slotCount {
            let value = UnsafeRawPointer(values + (Int(slots[j]) &* stride &+ start))
            let v0 = group(value, 0), v1 = group(value, 64), v2 = group(value, 128), v3 = group(value, 192)
            for head in 0 ..< Heads.count {
                let weight = SIMD16<Float>(repeating: weights[head &* weightStride &+ j])
                sums[head, 0] = sums[head, 0].addingProduct(weight, v0)
                sums[head, 1] = sums[head, 1].addingProduct(weight, v1)
                sums[head, 2] = sums[head, 2].addingProduct(weight, v2)
                sums[head, 3] = sums[head, 3].addingProduct(weight, v3)
            }
        }
        for head in 0 ..< Heads.count {
            let out = UnsafeMutableRawPointer(output + (head &* headDimension &+ start))
            for part in 0 ..< 4 {
                out.storeBytes(of: sums[head, part], toByteOffset: part &* 64, as: SIMD16<Float>.self)
            }
        }
    }
}

/// Sixteen 16-lane sums (four heads × four groups) in named fields, which stay in registers when
/// indexed with constants.
private struct HeadSums {
    private var s00 = SIMD16<Float>(), s01 = SIMD16<Float>(), s02 = SIMD16<Float>(), s03 = SIMD16<Float>()
    private var s10 = SIMD16<Float>(), s11 = SIMD16<Float>(), s12 = SIMD16<Float>(), s13 = SIMD16<Float>()
    private var s20 = SIMD16<Float>(), s21 = SIMD16<Float>(), s22 = SIMD16<Float>(), s23 = SIMD16<Float>()
    private var s30 = SIMD16<Float>(), s31 = SIMD16<Float>(), s32 = SIMD16<Float>(), s33 = SIMD16<Float>()

    subscript(_ head: Int, _ part: Int) -> SIMD16<Float> {
        @inline(__always) get {
            switch (head, part) {
            case (0, 0): s00
            case (0, 1): s01
            case (0, 2): s02
            case (0, _): s03
            case (1, 0): s10
            case (1, 1): s11
            case (1, 2): s12
            case (1, _): s13
            case (2, 0): s20
            case (2, 1): s21
            case (2, 2): s22
            case (2, _): s23
            case (_, 0): s30
            case (_, 1): s31
            case (_, 2): s32
            default: s33
            }
        }
        @inline(__always) set {
            switch (head, part) {
            case (0, 0): s00 = newValue
            case (0, 1): s01 = newValue
            case (0, 2): s02 = newValue
            case (0, _): s03 = newValue
            case (1, 0): s10 = newValue
            case (1, 1): s11 = newValue
            case (1, 2): s12 = newValue
            case (1, _): s13 = newValue
            case (2, 0): s20 = newValue
            case (2, 1): s21 = newValue
            case (2, 2): s22 = newValue
            case (2, _): s23 = newValue
            case (_, 0): s30 = newValue
            case (_, 1): s31 = newValue
            case (_, 2): s32 = newValue
            default: s33 = newValue
            }
        }
    }
}
#endif
