import NextTokenCore

/// The storage types with kernels, as an exhaustive switch target.
enum RowFormatKind: Sendable {
    case f32, f16, bf16, q8_0, q4_0, q4_1

    init?(_ type: GGMLType) {
        switch type {
        case .f32: self = .f32
        case .f16: self = .f16
        case .bf16: self = .bf16
        case .q8_0: self = .q8_0
        case .q4_0: self = .q4_0
        case .q4_1: self = .q4_1
        default: return nil
        }
    }
}

/// How a storage type encodes a row, seen by the fast kernels: 32 consecutive elements (a
/// "chunk", one block for the quantized types) decode into two 16-lane registers.
///
/// Rows of block types are whole chunks; rows of element types (f32, f16, bf16) may end in a
/// remainder of fewer than 32 elements, read with ``decodeElement(_:at:)``.
protocol RowFormat {
    /// Bytes encoding one chunk of 32 elements.
    static var chunkByteCount: Int { get }
    /// Elements 0..<16 and 16..<32 of the chunk that starts at `chunk`.
    static func decodeChunk(_ chunk: UnsafeRawPointer) -> (low: SIMD16<Float>, high: SIMD16<Float>)
    /// Element `index` of the row that starts at `row`; the scalar path, bit-identical to the
    /// chunk decoder.
    static func decodeElement(_ row: UnsafeRawPointer, at index: Int) -> Float
}

/// The single summation order of every row-times-vector dot product in this module.
///
/// Elements are taken in groups of 16: group `g` (elements `16g..<16g+16`) is multiplied lane by
/// lane with the vector and added to 16 running lane sums, in increasing `g`. The `count % 16`
/// leftover elements are multiplied and added, in order, to one scalar sum. The result is the
/// lane sums folded in halves (lanes `i` and `i + 8`, then `i` and `i + 4`, …) plus the scalar
/// sum. Products and sums are rounded separately (no fused multiply-add), so the bits do not
/// depend on the build's target CPU. Every kernel, whatever rows, columns or threads it works on
/// together, performs exactly these operations for each (row, vector) pair: this is what makes
/// results independent of batch size and thread count.
struct DotAccumulator {
    var lanes = SIMD16<Float>()
    var leftover: Float = 0

    /// Adds one 16-element group.
    @inline(__always)
    mutating func add(_ weights: SIMD16<Float>, _ input: SIMD16<Float>) {
        lanes = lanes + weights * input
    }

    /// Adds one leftover element.
    @inline(__always)
    mutating func add(_ weight: Float, _ input: Float) {
        leftover = leftover + weight * input
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

/// Adds the elements of a row past its last whole chunk: a 16-group if there is one, then single
/// elements. Block formats have no such elements.
@inline(__always)
func accumulateRemainder<Format: RowFormat>(
    _ format: Format.Type, _ row: UnsafeRawPointer, _ input: UnsafePointer<Float>,
    from start: Int, to count: Int, into accumulator: inout DotAccumulator
) {
    var index = start
    if count &- index >= 16 {
        var weights = SIMD16<Float>()
        for lane in 0..<16 { weights[lane] = Format.decodeElement(row, at: index &+ lane) }
        accumulator.add(weights, loadGroup(input, index &* 4))
        index &+= 16
    }
    while index < count {
        accumulator.add(Format.decodeElement(row, at: index), input[index])
        index &+= 1
    }
}

extension RowFormat {
    /// The dot product of a row of `count` elements with `input`, in the order of
    /// ``DotAccumulator``.
    @inline(__always)
    static func dot(_ row: UnsafeRawPointer, _ input: UnsafePointer<Float>, count: Int) -> Float {
        var accumulator = DotAccumulator()
        let chunkCount = count &>> 5
        let x = UnsafeRawPointer(input)
        var chunk = row
        for index in 0..<chunkCount {
            let (low, high) = decodeChunk(chunk)
            accumulator.add(low, loadGroup(x, index &* 128))
            accumulator.add(high, loadGroup(x, index &* 128 &+ 64))
            chunk += chunkByteCount
        }
        accumulateRemainder(Self.self, row, input, from: chunkCount &<< 5, to: count, into: &accumulator)
        return accumulator.total
    }

    /// The dot products of two rows with the same `input`, interleaved so that their additions
    /// overlap; each result is bit-identical to ``dot(_:_:count:)``.
    @inline(__always)
    static func dot(
        _ row0: UnsafeRawPointer, _ row1: UnsafeRawPointer, _ input: UnsafePointer<Float>, count: Int
    ) -> (Float, Float) {
        var accumulator0 = DotAccumulator()
        var accumulator1 = DotAccumulator()
        let chunkCount = count &>> 5
        let x = UnsafeRawPointer(input)
        var chunk0 = row0
        var chunk1 = row1
        for index in 0..<chunkCount {
            let inputLow = loadGroup(x, index &* 128)
            let inputHigh = loadGroup(x, index &* 128 &+ 64)
            let (low0, high0) = decodeChunk(chunk0)
            let (low1, high1) = decodeChunk(chunk1)
            accumulator0.add(low0, inputLow)
            accumulator1.add(low1, inputLow)
            accumulator0.add(high0, inputHigh)
            accumulator1.add(high1, inputHigh)
            chunk0 += chunkByteCount
            chunk1 += chunkByteCount
        }
        let start = chunkCount &<< 5
        accumulateRemainder(Self.self, row0, input, from: start, to: count, into: &accumulator0)
        accumulateRemainder(Self.self, row1, input, from: start, to: count, into: &accumulator1)
        return (accumulator0.total, accumulator1.total)
    }

    /// Writes the `count` values of the row at `row` to `output`.
    @inline(__always)
    static func dequantize(_ row: UnsafeRawPointer, into output: UnsafeMutablePointer<Float>, count: Int) {
        let chunkCount = count &>> 5
        let destination = UnsafeMutableRawPointer(output)
        var chunk = row
        for index in 0..<chunkCount {
            let (low, high) = decodeChunk(chunk)
            destination.storeBytes(of: low, toByteOffset: index &* 128, as: SIMD16<Float>.self)
            destination.storeBytes(of: high, toByteOffset: index &* 128 &+ 64, as: SIMD16<Float>.self)
            chunk += chunkByteCount
        }
        for index in (chunkCount &<< 5)..<count {
            output[index] = decodeElement(row, at: index)
        }
    }
}
