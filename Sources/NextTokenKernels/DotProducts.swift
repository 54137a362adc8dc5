// Dot products of float rows with float vectors, all in one summation order.

/// The single summation order of every row-times-vector dot product in this module.
///
/// Elements are taken in groups of 16: group `g` (elements `16g..<16g+16`) is multiplied lane by
/// lane with the vector and added to 16 running lane sums, in increasing `g`. The `count % 16`
/// leftover elements are multiplied and added, in order, to one scalar sum. The result is the
/// lane sums folded in halves (lanes `i` and `i + 8`, then `i` and `i + 4`, …) plus the scalar
/// sum. Each product is added with a fused multiply-add (one rounding; `llvm.fma`, which is fused
/// on every CPU, so the bits still do not depend on the build's target). Every kernel, whatever rows, vectors or threads it works on
/// together, performs exactly these operations for each (row, vector) pair: this is what makes
/// results independent of batch size and thread count.
struct DotAccumulator {
    var lanes = SIMD16<Float>()
    var leftover: Float = 0

    /// Adds one 16-element group.
    @inline(__always)
    mutating func add(_ weights: SIMD16<Float>, _ input: SIMD16<Float>) {
        lanes = lanes.addingProduct(weights, input)
    }

    /// Adds one leftover element.
    @inline(__always)
    mutating func add(_ weight: Float, _ input: Float) {
        leftover = leftover.addingProduct(weight, input)
    }

    /// Adds `count` elements: whole groups, then (only at the end of a row) leftovers.
    @inline(__always)
    mutating func accumulate(_ weights: UnsafeRawPointer, _ input: UnsafePointer<Float>, count: Int) {
        let x = UnsafeRawPointer(input)
        let groupCount = count &>> 4
        for group in 0..<groupCount {
            add(loadGroup(weights, group &* 64), loadGroup(x, group &* 64))
        }
        for index in (groupCount &<< 4)..<count {
            add(weights.loadUnaligned(fromByteOffset: index &* 4, as: Float.self), input[index])
        }
    }

    /// The folded total.
    @inline(__always)
    var total: Float {
        let eight = lanes.lowHalf + lanes.highHalf
        let four = eight.lowHalf + eight.highHalf
        let two = four.lowHalf + four.highHalf
        return (two[0] + two[1]) + leftover
    }
}

/// Loads 16 floats from `base + byteOffset`, with no alignment requirement.
@inline(__always)
func loadGroup(_ base: UnsafeRawPointer, _ byteOffset: Int) -> SIMD16<Float> {
    base.loadUnaligned(fromByteOffset: byteOffset, as: SIMD16<Float>.self)
}

/// Float row `w` times vector `x`.
@inline(__always)
func dotOneByOne(_ w: UnsafeRawPointer, _ x: UnsafePointer<Float>, count: Int) -> Float {
    var accumulator = DotAccumulator()
    accumulator.accumulate(w, x, count: count)
    return accumulator.total
}

/// Float rows `w0`, `w1` times vector `x`, interleaved: (w0·x, w1·x).
@inline(__always)
func dotTwoByOne(
    _ w0: UnsafeRawPointer, _ w1: UnsafeRawPointer, _ x: UnsafePointer<Float>, count: Int
) -> (Float, Float) {
    var a0 = DotAccumulator()
    var a1 = DotAccumulator()
    let input = UnsafeRawPointer(x)
    let groupCount = count &>> 4
    for group in 0..<groupCount {
        let offset = group &* 64
        let vector = loadGroup(input, offset)
        a0.add(loadGroup(w0, offset), vector)
        a1.add(loadGroup(w1, offset), vector)
    }
    for index in (groupCount &<< 4)..<count {
        a0.add(w0.loadUnaligned(fromByteOffset: index &* 4, as: Float.self), x[index])
        a1.add(w1.loadUnaligned(fromByteOffset: index &* 4, as: Float.self), x[index])
    }
    return (a0.total, a1.total)
}

/// Float rows `w0 + k·rowStride` (k = 0…3) times vector `x`, interleaved.
@inline(__always)
func dotFourByOne(
    _ w0: UnsafeRawPointer, rowStride: Int, _ x: UnsafePointer<Float>, count: Int
) -> (Float, Float, Float, Float) {
    var a0 = DotAccumulator()
    var a1 = DotAccumulator()
    var a2 = DotAccumulator()
    var a3 = DotAccumulator()
    let w1 = w0 + rowStride
    let w2 = w1 + rowStride
    let w3 = w2 + rowStride
    let input = UnsafeRawPointer(x)
    let groupCount = count &>> 4
    for group in 0..<groupCount {
        let offset = group &* 64
        let vector = loadGroup(input, offset)
        a0.add(loadGroup(w0, offset), vector)
        a1.add(loadGroup(w1, offset), vector)
        a2.add(loadGroup(w2, offset), vector)
        a3.add(loadGroup(w3, offset), vector)
    }
    for index in (groupCount &<< 4)..<count {
        a0.add(w0.loadUnaligned(fromByteOffset: index &* 4, as: Float.self), x[index])
        a1.add(w1.loadUnaligned(fromByteOffset: index &* 4, as: Float.self), x[index])
        a2.add(w2.loadUnaligned(fromByteOffset: index &* 4, as: Float.self), x[index])
        a3.add(w3.loadUnaligned(fromByteOffset: index &* 4, as: Float.self), x[index])
    }
    return (a0.total, a1.total, a2.total, a3.total)
}

/// Float rows `w0`, `w1` times vectors `x0`, `x1`: (w0·x0, w0·x1, w1·x0, w1·x1).
@inline(__always)
func dotTwoByTwo(
    _ w0: UnsafeRawPointer, _ w1: UnsafeRawPointer,
    _ x0: UnsafePointer<Float>, _ x1: UnsafePointer<Float>, count: Int
) -> (Float, Float, Float, Float) {
    var a00 = DotAccumulator()
    var a01 = DotAccumulator()
    var a10 = DotAccumulator()
    var a11 = DotAccumulator()
    let input0 = UnsafeRawPointer(x0)
    let input1 = UnsafeRawPointer(x1)
    let groupCount = count &>> 4
    for group in 0..<groupCount {
        let offset = group &* 64
        let weights0 = loadGroup(w0, offset)
        let weights1 = loadGroup(w1, offset)
        let vector0 = loadGroup(input0, offset)
        let vector1 = loadGroup(input1, offset)
        a00.add(weights0, vector0)
        a01.add(weights0, vector1)
        a10.add(weights1, vector0)
        a11.add(weights1, vector1)
    }
    for index in (groupCount &<< 4)..<count {
        let weight0 = w0.loadUnaligned(fromByteOffset: index &* 4, as: Float.self)
        let weight1 = w1.loadUnaligned(fromByteOffset: index &* 4, as: Float.self)
        a00.add(weight0, x0[index])
        a01.add(weight0, x1[index])
        a10.add(weight1, x0[index])
        a11.add(weight1, x1[index])
    }
    return (a00.total, a01.total, a10.total, a11.total)
}
