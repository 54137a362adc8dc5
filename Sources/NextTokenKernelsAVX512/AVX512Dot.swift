#if arch(x86_64)
// The dot products of NextTokenKernels (`DotAccumulator` and the row-by-vector shapes), compiled
// for AVX-512: a 16-lane group is one zmm register instead of two ymm. The operations, lane by
// lane and in the same order, are those of NextTokenKernels, so the bits are too (its tests
// compare the two).

/// 16 running lane sums and a scalar sum of leftovers; see NextTokenKernels' `DotAccumulator`.
struct Accumulator {
    var lanes = SIMD16<Float>()
    var leftover: Float = 0

    @inline(__always)
    mutating func add(_ weights: SIMD16<Float>, _ input: SIMD16<Float>) {
        lanes = lanes.addingProduct(weights, input)
    }

    @inline(__always)
    mutating func add(_ weight: Float, _ input: Float) {
        leftover = leftover.addingProduct(weight, input)
    }

    @inline(__always)
    var total: Float {
        let eight = lanes.lowHalf + lanes.highHalf
        let four = eight.lowHalf + eight.highHalf
        let two = four.lowHalf + four.highHalf
        return (two[0] + two[1]) + leftover
    }
}

@inline(__always)
func group(_ base: UnsafeRawPointer, _ byteOffset: Int) -> SIMD16<Float> {
    base.loadUnaligned(fromByteOffset: byteOffset, as: SIMD16<Float>.self)
}

@inline(__always)
func element(_ base: UnsafeRawPointer, _ index: Int) -> Float {
    base.loadUnaligned(fromByteOffset: index &* 4, as: Float.self)
}

/// Float row `w` times vector `x`.
@inline(__always)
func dotOneByOne(_ w: UnsafeRawPointer, _ x: UnsafePointer<Float>, count: Int) -> Float {
    var a = Accumulator()
    let input = UnsafeRawPointer(x)
    let groupCount = count &>> 4
    for index in 0 ..< groupCount { a.add(group(w, index &* 64), group(input, index &* 64)) }
    for index in (groupCount &<< 4) ..< count { a.add(element(w, index), x[index]) }
    return a.total
}

/// Float rows `w0`, `w1` times vector `x`.
@inline(__always)
func dotTwoByOne(_ w0: UnsafeRawPointer, _ w1: UnsafeRawPointer, _ x: UnsafePointer<Float>, count: Int)
    -> (Float, Float) {
    var a0 = Accumulator()
    var a1 = Accumulator()
    let input = UnsafeRawPointer(x)
    let groupCount = count &>> 4
    for index in 0 ..< groupCount {
        let offset = index &* 64
        let vector = group(input, offset)
        a0.add(group(w0, offset), vector)
        a1.add(group(w1, offset), vector)
    }
    for index in (groupCount &<< 4) ..< count {
        a0.add(element(w0, index), x[index])
        a1.add(element(w1, index), x[index])
    }
    return (a0.total, a1.total)
}

/// Float rows `w0 + k·rowStride` (k = 0…3) times vector `x`.
@inline(__always)
func dotFourByOne(_ w0: UnsafeRawPointer, rowStride: Int, _ x: UnsafePointer<Float>, count: Int)
    -> (Float, Float, Float, Float) {
    var a0 = Accumulator()
    var a1 = Accumulator()
    var a2 = Accumulator()
    var a3 = Accumulator()
    let w1 = w0 + rowStride
    let w2 = w1 + rowStride
    let w3 = w2 + rowStride
    let input = UnsafeRawPointer(x)
    let groupCount = count &>> 4
    for index in 0 ..< groupCount {
        let offset = index &* 64
        let vector = group(input, offset)
        a0.add(group(w0, offset), vector)
        a1.add(group(w1, offset), vector)
        a2.add(group(w2, offset), vector)
        a3.add(group(w3, offset), vector)
    }
    for index in (groupCount &<< 4) ..< count {
        a0.add(element(w0, index), x[index])
        a1.add(element(w1, index), x[index])
        a2.add(element(w2, index), x[index])
        a3.add(element(w3, index), x[index])
    }
    return (a0.total, a1.total, a2.total, a3.total)
}

/// Float rows `w + k·rowStride` (k = 0…3) times vectors `x0`, `x1`, into `y0[0..<4]` and
/// `y1[0..<4]`: eight independent accumulators keep both FMA ports busy.
@inline(__always)
func dotFourByTwo(
    _ w: UnsafeRawPointer, rowStride: Int, _ x0: UnsafePointer<Float>, _ x1: UnsafePointer<Float>, count: Int,
    _ y0: UnsafeMutablePointer<Float>, _ y1: UnsafeMutablePointer<Float>
) {
    var a00 = Accumulator(), a01 = Accumulator(), a10 = Accumulator(), a11 = Accumulator()
    var a20 = Accumulator(), a21 = Accumulator(), a30 = Accumulator(), a31 = Accumulator()
    let w1 = w + rowStride
    let w2 = w1 + rowStride
    let w3 = w2 + rowStride
    let input0 = UnsafeRawPointer(x0)
    let input1 = UnsafeRawPointer(x1)
    let groupCount = count &>> 4
    for index in 0 ..< groupCount {
        let offset = index &* 64
        let vector0 = group(input0, offset)
        let vector1 = group(input1, offset)
        let weights0 = group(w, offset)
        a00.add(weights0, vector0)
        a01.add(weights0, vector1)
        let weights1 = group(w1, offset)
        a10.add(weights1, vector0)
        a11.add(weights1, vector1)
        let weights2 = group(w2, offset)
        a20.add(weights2, vector0)
        a21.add(weights2, vector1)
        let weights3 = group(w3, offset)
        a30.add(weights3, vector0)
        a31.add(weights3, vector1)
    }
    for index in (groupCount &<< 4) ..< count {
        let weight0 = element(w, index), weight1 = element(w1, index)
        let weight2 = element(w2, index), weight3 = element(w3, index)
        a00.add(weight0, x0[index])
        a01.add(weight0, x1[index])
        a10.add(weight1, x0[index])
        a11.add(weight1, x1[index])
        a20.add(weight2, x0[index])
        a21.add(weight2, x1[index])
        a30.add(weight3, x0[index])
        a31.add(weight3, x1[index])
    }
    (y0[0], y0[1], y0[2], y0[3]) = (a00.total, a10.total, a20.total, a30.total)
    (y1[0], y1[1], y1[2], y1[3]) = (a01.total, a11.total, a21.total, a31.total)
}

/// Float rows `w0`, `w1` times vectors `x0`, `x1`: (w0·x0, w0·x1, w1·x0, w1·x1).
@inline(__always)
func dotTwoByTwo(
    _ w0: UnsafeRawPointer, _ w1: UnsafeRawPointer,
    _ x0: UnsafePointer<Float>, _ x1: UnsafePointer<Float>, count: Int
) -> (Float, Float, Float, Float) {
    var a00 = Accumulator()
    var a01 = Accumulator()
    var a10 = Accumulator()
    var a11 = Accumulator()
    let input0 = UnsafeRawPointer(x0)
    let input1 = UnsafeRawPointer(x1)
    let groupCount = count &>> 4
    for index in 0 ..< groupCount {
        let offset = index &* 64
        let weights0 = group(w0, offset)
        let weights1 = group(w1, offset)
        let vector0 = group(input0, offset)
        let vector1 = group(input1, offset)
        a00.add(weights0, vector0)
        a01.add(weights0, vector1)
        a10.add(weights1, vector0)
        a11.add(weights1, vector1)
    }
    for index in (groupCount &<< 4) ..< count {
        let weight0 = element(w0, index)
        let weight1 = element(w1, index)
        a00.add(weight0, x0[index])
        a01.add(weight0, x1[index])
        a10.add(weight1, x0[index])
        a11.add(weight1, x1[index])
    }
    return (a00.total, a01.total, a10.total, a11.total)
}
#endif
