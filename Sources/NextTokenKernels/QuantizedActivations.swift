#if arch(x86_64)
import _Builtin_intrinsics.intel
#endif

/// Activation rows quantized to 8 bits in blocks of 32 (or 16), the input of the integer matrix products
/// (``MatrixMultiply/multiply(_:activations:output:outputStride:pool:)``), together with the Float
/// rows they came from (for weight types without integer kernels).
///
/// Block `b` of a row keeps `q_i = round(x_i / d)` (to nearest, ties to even) with
/// `d = max|x_i| / 127`, so `q_i` lies in −127…127 (as llama.cpp's q8_0/q8_1 activation blocks do,
/// `ggml-quants.c`), its scale `d`, and `s = d · Σq_i` for weight types with a block minimum. A
/// block of zeros, or one holding an infinity or a NaN, becomes zeros with `d = 0`. Rows are
/// quantized one by one, so a row's quants never depend on the rest of the batch.
///
/// Buffers grow on demand and are kept, so steady-state use allocates nothing. Not thread-safe:
/// one owner quantizes, then any number of threads read.
public final class QuantizedActivations: @unchecked Sendable {
    /// Rows of the last quantization.
    public private(set) var rowCount = 0
    /// Elements per row.
    public private(set) var columnCount = 0
    /// The Float rows given to the last quantization (not owned).
    public private(set) var floats: UnsafePointer<Float>
    /// Floats between the starts of consecutive Float rows.
    public private(set) var floatStride = 0
    /// Whether the rows were quantized: `columnCount` is a multiple of 32.
    public private(set) var isQuantized = false
    /// Elements per block: 32, or 16 where a finer scale is worth twice the scale arithmetic.
    public private(set) var blockLength = 32

    private var quants: UnsafeMutablePointer<Int8>
    private var scales: UnsafeMutablePointer<Float>
    private var sums: UnsafeMutablePointer<Float>
    private var integerSums: UnsafeMutablePointer<Int32>
    private var blockCapacity = 0
    nonisolated(unsafe) private static let empty = UnsafeMutablePointer<Float>.allocate(capacity: 1)

    /// An empty batch.
    public init() {
        quants = .allocate(capacity: 32)
        scales = .allocate(capacity: 1)
        sums = .allocate(capacity: 1)
        integerSums = .allocate(capacity: 1)
        floats = UnsafePointer(Self.empty)
        blockCapacity = 1
    }

    deinit {
        quants.deallocate()
        scales.deallocate()
        sums.deallocate()
        integerSums.deallocate()
    }

    /// Quantizes `rows` rows of `columns` floats, `stride` floats apart (with `quantizing` false,
    /// only records the Float rows, so that products use them as they are). The Float rows must
    /// stay valid and unchanged while the batch is used.
    public func quantize(
        _ input: UnsafePointer<Float>, stride: Int, rows: Int, columns: Int, quantizing: Bool = true,
        blockLength: Int = 32
    ) {
        precondition(rows >= 0 && columns >= 0 && (rows <= 1 || stride >= columns), "bad activation shape")
        precondition(blockLength == 32 || blockLength == 16, "activation blocks of 32 or 16 elements")
        rowCount = rows
        columnCount = columns
        floats = input
        floatStride = stride
        self.blockLength = blockLength
        isQuantized = quantizing && columns > 0 && columns % 32 == 0
        guard isQuantized, rows > 0 else { return }
        let blocksPerRow = columns / blockLength
        reserve(blocks: rows * blocksPerRow)
        for row in 0 ..< rows {
            for block in 0 ..< blocksPerRow {
                let index = row &* blocksPerRow &+ block
                let x = input + (row &* stride &+ block &* blockLength)
                let (scale, sum) = blockLength == 32
                    ? ActivationQuantizer.quantize(x, into: quants + index &* 32)
                    : ActivationQuantizer.quantizeReference(x, count: 16, into: quants + index &* 16)
                scales[index] = scale
                sums[index] = scale * Float(sum)
                integerSums[index] = sum
            }
        }
    }

    /// Row `row` of the last quantization as the integer kernels read it.
    func row(_ row: Int) -> QuantizedRow {
        let offset = row &* (columnCount / blockLength)
        return QuantizedRow(quants: UnsafePointer(quants + offset &* blockLength), scales: UnsafePointer(scales + offset),
                            sums: UnsafePointer(sums + offset), integerSums: UnsafePointer(integerSums + offset))
    }

    /// Element `index` of row `row` as the integer kernels see it, `q · d` (for tests).
    package func dequantized(row: Int, element index: Int) -> Float {
        precondition(isQuantized && row >= 0 && row < rowCount && index >= 0 && index < columnCount)
        let quantized = self.row(row)
        return Float(quantized.quants[index]) * quantized.scales[index / blockLength]
    }

    private func reserve(blocks: Int) {
        guard blocks > blockCapacity else { return }
        quants.deallocate()
        scales.deallocate()
        sums.deallocate()
        integerSums.deallocate()
        quants = .allocate(capacity: blocks * 32)  // room for 32-element blocks: 16-element ones need half
        scales = .allocate(capacity: blocks)
        sums = .allocate(capacity: blocks)
        integerSums = .allocate(capacity: blocks)
        blockCapacity = blocks
    }
}

/// One quantized activation row: per block (of 32 or 16 quants), a scale `d`, `d · Σq` and `Σq`.
struct QuantizedRow {
    let quants: UnsafePointer<Int8>
    let scales: UnsafePointer<Float>
    let sums: UnsafePointer<Float>
    let integerSums: UnsafePointer<Int32>
}

/// Quantizes one block of floats (see ``QuantizedActivations``): blocks of 32 by an AVX2 path and
/// its scalar twin, which give the same bits; blocks of 16 (rare: one row per output head) by the
/// scalar path alone.
enum ActivationQuantizer {
    /// Writes the 32 quants to `output`; returns `d` and `Σq`.
    @inline(__always)
    static func quantize(_ x: UnsafePointer<Float>, into output: UnsafeMutablePointer<Int8>) -> (Float, Int32) {
        #if arch(x86_64)
        let raw = UnsafeRawPointer(x)
        let v0 = raw.loadUnaligned(fromByteOffset: 0, as: __m256.self)
        let v1 = raw.loadUnaligned(fromByteOffset: 32, as: __m256.self)
        let v2 = raw.loadUnaligned(fromByteOffset: 64, as: __m256.self)
        let v3 = raw.loadUnaligned(fromByteOffset: 96, as: __m256.self)
        // x · 0 is 0 for finite x and NaN otherwise; a NaN survives the sum.
        let zero = _mm256_setzero_ps()
        let probe = unsafeBitCast(
            _mm256_add_ps(_mm256_add_ps(_mm256_mul_ps(v0, zero), _mm256_mul_ps(v1, zero)),
                          _mm256_add_ps(_mm256_mul_ps(v2, zero), _mm256_mul_ps(v3, zero))), to: SIMD8<Float>.self)
        guard probe.sum() == 0 else { return zeros(output) }
        let signBit = _mm256_set1_ps(-0.0)
        let magnitudes = _mm256_max_ps(
            _mm256_max_ps(_mm256_andnot_ps(signBit, v0), _mm256_andnot_ps(signBit, v1)),
            _mm256_max_ps(_mm256_andnot_ps(signBit, v2), _mm256_andnot_ps(signBit, v3)))
        let lanes = unsafeBitCast(magnitudes, to: SIMD8<Float>.self)
        let magnitude = lanes.max()
        guard magnitude > 0 else { return zeros(output) }
        let inverse = _mm256_set1_ps(127 / magnitude)
        // vcvtps2dq rounds to nearest even (the default rounding mode).
        let q0 = _mm256_cvtps_epi32(_mm256_mul_ps(v0, inverse))
        let q1 = _mm256_cvtps_epi32(_mm256_mul_ps(v1, inverse))
        let q2 = _mm256_cvtps_epi32(_mm256_mul_ps(v2, inverse))
        let q3 = _mm256_cvtps_epi32(_mm256_mul_ps(v3, inverse))
        let total = unsafeBitCast(_mm256_add_epi32(_mm256_add_epi32(q0, q1), _mm256_add_epi32(q2, q3)),
                                  to: SIMD8<Int32>.self)
        // The packs interleave 128-bit lanes; the permutation restores element order.
        let packed = _mm256_packs_epi16(_mm256_packs_epi32(q0, q1), _mm256_packs_epi32(q2, q3))
        let ordered = _mm256_permutevar8x32_epi32(packed, _mm256_setr_epi32(0, 4, 1, 5, 2, 6, 3, 7))
        UnsafeMutableRawPointer(output).storeBytes(of: ordered, as: __m256i.self)
        return (magnitude / 127, total.wrappedSum())
        #else
        return quantizeReference(x, into: output)
        #endif
    }

    /// The scalar twin of ``quantize(_:into:)``, one element at a time, for `count` elements.
    static func quantizeReference(
        _ x: UnsafePointer<Float>, count: Int = 32, into output: UnsafeMutablePointer<Int8>
    ) -> (Float, Int32) {
        var magnitude: Float = 0
        for index in 0 ..< count {
            guard x[index].isFinite else { return zeros(output, count: count) }
            magnitude = max(magnitude, abs(x[index]))
        }
        guard magnitude > 0 else { return zeros(output, count: count) }
        let inverse = 127 / magnitude
        var total: Int32 = 0
        for index in 0 ..< count {
            let q = Int8((x[index] * inverse).rounded(.toNearestOrEven))
            output[index] = q
            total += Int32(q)
        }
        return (magnitude / 127, total)
    }

    private static func zeros(_ output: UnsafeMutablePointer<Int8>, count: Int = 32) -> (Float, Int32) {
        output.initialize(repeating: 0, count: count)
        return (0, 0)
    }
}
