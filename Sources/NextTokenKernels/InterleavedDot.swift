#if arch(x86_64)
import _Builtin_intrinsics.intel
#endif

/// Products of a group of 8 ``InterleavedRows`` rows with ``QuantizedActivations`` rows.
///
/// Each result is computed the same way whatever the kernel shape, so its bits do not depend on
/// the batch or on the row's place in it: for each 32-element sub-block in row order and each of
/// its groups (16-element halves where the weights or the activations have a scale per 16
/// elements; else the whole sub-block), the exact integer sum `Σ (u_e − bias) · q_e` over the
/// group's elements, then `acc = fma(Float(sum), scale · d', acc)`, then for types with a minimum
/// `acc = fma(minimum, s', acc)` for each activation block of the sub-block, where `d'` is the
/// activation block's scale and `s' = d' · Σq`. ``reference(_:_:group:lane:_:)`` is the scalar
/// twin, one row at a time.
enum InterleavedDot {
    /// Rows `8 · group ..< 8 · group + 8` times activation row `x`, lane `r` for row `8 · group + r`.
    @inline(__always)
    static func oneVector<Format: IntegerBlockFormat, Blocks: ActivationBlocks>(
        _ format: Format.Type, _ blocks: Blocks.Type, _ rows: InterleavedRows, group: Int, _ x: QuantizedRow
    ) -> SIMD8<Float> {
        #if arch(x86_64)
        var sum = _mm256_setzero_ps()
        for subBlock in 0 ..< rows.columnCount &>> 5 {
            let vectors = Vectors<Format, Blocks>(block: rows.block(group: group, subBlock: subBlock))
            for part in 0 ..< vectors.partCount {
                sum = vectors.add(vectors.sum(part: part, x, subBlock), part: part, x, subBlock, to: sum)
            }
            sum = vectors.addMinimums(x, subBlock, to: sum)
        }
        return unsafeBitCast(sum, to: SIMD8<Float>.self)
        #else
        return SIMD8((0 ..< 8).map { reference(format, blocks, rows, group: group, lane: $0, x) })
        #endif
    }

    /// The same group times four activation rows, each weight vector decoded once for the four.
    @inline(__always)
    static func fourVectors<Format: IntegerBlockFormat, Blocks: ActivationBlocks>(
        _ format: Format.Type, _ blocks: Blocks.Type, _ rows: InterleavedRows, group: Int,
        _ x0: QuantizedRow, _ x1: QuantizedRow, _ x2: QuantizedRow, _ x3: QuantizedRow
    ) -> (SIMD8<Float>, SIMD8<Float>, SIMD8<Float>, SIMD8<Float>) {
        #if arch(x86_64)
        var s0 = _mm256_setzero_ps(), s1 = _mm256_setzero_ps(), s2 = _mm256_setzero_ps(), s3 = _mm256_setzero_ps()
        for subBlock in 0 ..< rows.columnCount &>> 5 {
            let vectors = Vectors<Format, Blocks>(block: rows.block(group: group, subBlock: subBlock))
            for part in 0 ..< vectors.partCount {
                var i0 = _mm256_setzero_si256(), i1 = _mm256_setzero_si256()
                var i2 = _mm256_setzero_si256(), i3 = _mm256_setzero_si256()
                let range = vectors.range(part: part)
                var start = range.lowerBound
                while start < range.upperBound {
                    let end = min(start &+ Format.layout.pairSumsPerInt16, range.upperBound)
                    var p0 = _mm256_setzero_si256(), p1 = _mm256_setzero_si256()
                    var p2 = _mm256_setzero_si256(), p3 = _mm256_setzero_si256()
                    for vector in start ..< end {
                        let weights = vectors.weights(vector)
                        p0 = _mm256_add_epi16(p0, weights.pairs(x0, subBlock, vector))
                        p1 = _mm256_add_epi16(p1, weights.pairs(x1, subBlock, vector))
                        p2 = _mm256_add_epi16(p2, weights.pairs(x2, subBlock, vector))
                        p3 = _mm256_add_epi16(p3, weights.pairs(x3, subBlock, vector))
                    }
                    i0 = _mm256_add_epi32(i0, widen(p0))
                    i1 = _mm256_add_epi32(i1, widen(p1))
                    i2 = _mm256_add_epi32(i2, widen(p2))
                    i3 = _mm256_add_epi32(i3, widen(p3))
                    start = end
                }
                s0 = vectors.add(i0, part: part, x0, subBlock, to: s0)
                s1 = vectors.add(i1, part: part, x1, subBlock, to: s1)
                s2 = vectors.add(i2, part: part, x2, subBlock, to: s2)
                s3 = vectors.add(i3, part: part, x3, subBlock, to: s3)
            }
            s0 = vectors.addMinimums(x0, subBlock, to: s0)
            s1 = vectors.addMinimums(x1, subBlock, to: s1)
            s2 = vectors.addMinimums(x2, subBlock, to: s2)
            s3 = vectors.addMinimums(x3, subBlock, to: s3)
        }
        return (unsafeBitCast(s0, to: SIMD8<Float>.self), unsafeBitCast(s1, to: SIMD8<Float>.self),
                unsafeBitCast(s2, to: SIMD8<Float>.self), unsafeBitCast(s3, to: SIMD8<Float>.self))
        #else
        return (oneVector(format, blocks, rows, group: group, x0), oneVector(format, blocks, rows, group: group, x1),
                oneVector(format, blocks, rows, group: group, x2), oneVector(format, blocks, rows, group: group, x3))
        #endif
    }

    /// The scalar twin: row `8 · group + lane` times `x`, one element at a time.
    static func reference<Format: IntegerBlockFormat, Blocks: ActivationBlocks>(
        _ format: Format.Type, _ blocks: Blocks.Type, _ rows: InterleavedRows, group: Int, lane: Int, _ x: QuantizedRow
    ) -> Float {
        let layout = Format.layout
        let parts = max(layout.scaleGroups, Blocks.count)
        var sum: Float = 0
        for subBlock in 0 ..< rows.columnCount / 32 {
            let block = rows.block(group: group, subBlock: subBlock)
            for part in 0 ..< parts {
                var integer: Int32 = 0
                for element in part * 32 / parts ..< (part + 1) * 32 / parts {
                    let stored = rows.quant(block, element, lane: lane)
                    let weight = layout.isSigned ? Int32(Int8(bitPattern: stored)) : Int32(stored)
                    integer += weight * Int32(x.quants[subBlock * 32 + element])
                }
                let activationBlock = subBlock * Blocks.count + (Blocks.count == parts ? part : 0)
                integer -= layout.bias * x.integerSums[activationBlock]
                let factor = rows.factor(block, layout.scaleGroups == parts ? part : 0, lane: lane)
                sum = sum.addingProduct(Float(integer), factor * x.scales[activationBlock])
            }
            if layout.hasMinimum {
                for half in 0 ..< Blocks.count {
                    sum = sum.addingProduct(rows.factor(block, layout.scaleGroups, lane: lane),
                                            x.sums[subBlock * Blocks.count + half])
                }
            }
        }
        return sum
    }
}

/// How many activation blocks a 32-element sub-block spans: one (blocks of 32) or two (of 16).
protocol ActivationBlocks {
    static var count: Int { get }
}

/// Activation blocks of 32 elements.
enum WholeBlocks: ActivationBlocks {
    static var count: Int { 1 }
}

/// Activation blocks of 16 elements.
enum HalfBlocks: ActivationBlocks {
    static var count: Int { 2 }
}

#if arch(x86_64)
/// The quant vectors and factors of one repacked sub-block, and its parts: the 16-element halves
/// where the weights or the activations have a scale per 16 elements, else the whole sub-block.
struct Vectors<Format: IntegerBlockFormat, Blocks: ActivationBlocks> {
    let block: UnsafeRawPointer

    @inline(__always)
    init(block: UnsafeRawPointer) { self.block = block }

    @inline(__always)
    var partCount: Int { max(Format.layout.scaleGroups, Blocks.count) }

    /// The quant vectors of part `part`.
    @inline(__always)
    func range(part: Int) -> Range<Int> {
        let count = 8 / partCount
        return part &* count ..< (part &+ 1) &* count
    }

    /// Factor `index` of the 8 rows.
    @inline(__always)
    func factors(_ index: Int) -> __m256 {
        Format.layout.halfFactors
            ? _mm256_cvtph_ps(block.loadUnaligned(fromByteOffset: index &* 16, as: __m128i.self))
            : block.loadUnaligned(fromByteOffset: index &* 32, as: __m256.self)
    }

    /// Quant vector `vector` (0..<8).
    @inline(__always)
    func weights(_ vector: Int) -> Weights<Format> {
        let quants = block + 8 &* Format.layout.factorCount &* Format.layout.factorByteCount
        guard Format.layout.nibbles else { return Weights(quants.loadUnaligned(fromByteOffset: 32 &* vector, as: __m256i.self)) }
        let packed = quants.loadUnaligned(fromByteOffset: 32 &* (vector & 3), as: __m256i.self)
        let nibbles = vector < 4 ? packed : _mm256_srli_epi16(packed, 4)
        return Weights(_mm256_and_si256(nibbles, _mm256_set1_epi8(0x0F)))
    }

    /// `Σ quant · q` of part `part`, per row, with sub-block `subBlock` of `x`: pairs of products
    /// added in Int16 as far as ``InterleavedLayout/pairSumsPerInt16`` allows, then in Int32.
    @inline(__always)
    func sum(part: Int, _ x: QuantizedRow, _ subBlock: Int) -> __m256i {
        var integers = _mm256_setzero_si256()
        let range = range(part: part)
        var start = range.lowerBound
        while start < range.upperBound {
            let end = min(start &+ Format.layout.pairSumsPerInt16, range.upperBound)
            var pairs = _mm256_setzero_si256()
            for vector in start ..< end { pairs = _mm256_add_epi16(pairs, weights(vector).pairs(x, subBlock, vector)) }
            integers = _mm256_add_epi32(integers, widen(pairs))
            start = end
        }
        return integers
    }

    /// `sum + Float(integers − bias · Σq) · (scale · d')` for part `part`, one fused multiply-add per lane.
    @inline(__always)
    func add(_ integers: __m256i, part: Int, _ x: QuantizedRow, _ subBlock: Int, to sum: __m256) -> __m256 {
        let activationBlock = subBlock &* Blocks.count &+ (Blocks.count == partCount ? part : 0)
        var corrected = integers
        if Format.layout.bias != 0 {
            corrected = _mm256_sub_epi32(integers, _mm256_set1_epi32(Format.layout.bias &* x.integerSums[activationBlock]))
        }
        let factor = factors(Format.layout.scaleGroups == partCount ? part : 0)
        let scales = _mm256_mul_ps(factor, _mm256_set1_ps(x.scales[activationBlock]))
        return _mm256_fmadd_ps(_mm256_cvtepi32_ps(corrected), scales, sum)
    }

    /// `sum + minimum · s'` for each activation block of the sub-block (types with a minimum).
    @inline(__always)
    func addMinimums(_ x: QuantizedRow, _ subBlock: Int, to sum: __m256) -> __m256 {
        guard Format.layout.hasMinimum else { return sum }
        let minimums = factors(Format.layout.scaleGroups)
        var result = sum
        for half in 0 ..< Blocks.count {
            result = _mm256_fmadd_ps(minimums, _mm256_set1_ps(x.sums[subBlock &* Blocks.count &+ half]), result)
        }
        return result
    }
}

/// One quant vector: 4 quants of each of 8 rows.
struct Weights<Format: IntegerBlockFormat> {
    let quants: __m256i
    /// `|quant|` for signed types (the unsigned operand of `vpmaddubsw`).
    let magnitudes: __m256i

    @inline(__always)
    init(_ quants: __m256i) {
        self.quants = quants
        magnitudes = Format.layout.isSigned ? _mm256_abs_epi8(quants) : quants
    }

    /// Per row, the 4 quants times activations `4 · vector ..< 4 · vector + 4` of block `subBlock`
    /// of `x`, as two Int16 sums of two products each (exact: see ``InterleavedLayout/pairSumsPerInt16``).
    @inline(__always)
    func pairs(_ x: QuantizedRow, _ subBlock: Int, _ vector: Int) -> __m256i {
        let four = UnsafeRawPointer(x.quants).loadUnaligned(fromByteOffset: subBlock &* 32 &+ vector &* 4, as: Int32.self)
        let activations = _mm256_set1_epi32(four)
        return Format.layout.isSigned
            ? _mm256_maddubs_epi16(magnitudes, _mm256_sign_epi8(activations, quants))
            : _mm256_maddubs_epi16(magnitudes, activations)
    }
}

/// Int16 pair sums added into Int32 lanes: lane `r` is row `r`'s total.
@inline(__always)
func widen(_ pairs: __m256i) -> __m256i {
    _mm256_madd_epi16(pairs, _mm256_set1_epi16(1))
}
#endif
