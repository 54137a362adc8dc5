#if arch(x86_64)
import _Builtin_intrinsics.intel
#endif
import NextTokenCore

/// How a KV cache stores keys and values.
public enum KVStorage: String, Sendable, CaseIterable {
    /// IEEE binary16: half the bytes of f32, as llama.cpp's default cache; values round to
    /// nearest even when stored and convert exactly when read.
    case f16
    /// Float32: the exact cache.
    case f32

    /// Bytes per element.
    public var byteCount: Int {
        switch self {
        case .f16: 2
        case .f32: 4
        }
    }

    /// Stores `count` floats from `source` as elements at `destination`.
    public func store(_ source: UnsafePointer<Float>, count: Int, to destination: UnsafeMutableRawPointer) {
        switch self {
        case .f32:
            destination.copyMemory(from: source, byteCount: count &* 4)
        case .f16:
            let halves = destination.assumingMemoryBound(to: UInt16.self)
            for index in 0 ..< count { halves[index] = UInt16(fp16From: source[index]) }
        }
    }

    /// Element `index` of the elements at `base`, as a Float.
    public func load(_ base: UnsafeRawPointer, _ index: Int) -> Float {
        switch self {
        case .f32: F32Element.element(base, index)
        case .f16: F16Element.element(base, index)
        }
    }
}

/// A cache element type as the attention kernel reads it: 16 elements into one 16-lane group.
/// Every conversion is exact, so a key's products are those of its Float value.
protocol CachedElement {
    static var byteCount: Int { get }
    /// Elements `index ..< index + 16` from `base`.
    static func group(_ base: UnsafeRawPointer, _ index: Int) -> SIMD16<Float>
    /// Element `index` from `base`.
    static func element(_ base: UnsafeRawPointer, _ index: Int) -> Float
}

/// Float32 elements.
enum F32Element: CachedElement {
    static var byteCount: Int { 4 }

    @inline(__always)
    static func group(_ base: UnsafeRawPointer, _ index: Int) -> SIMD16<Float> { loadGroup(base, index &* 4) }

    @inline(__always)
    static func element(_ base: UnsafeRawPointer, _ index: Int) -> Float {
        base.loadUnaligned(fromByteOffset: index &* 4, as: Float.self)
    }
}

/// IEEE binary16 elements, converted by `vcvtph2ps` (F16C) where the build targets x86_64, by
/// `Float(fp16Bits:)` elsewhere (the same values: both conversions are exact).
enum F16Element: CachedElement {
    static var byteCount: Int { 2 }

    @inline(__always)
    static func group(_ base: UnsafeRawPointer, _ index: Int) -> SIMD16<Float> {
        #if arch(x86_64)
        let low = _mm256_cvtph_ps(base.loadUnaligned(fromByteOffset: index &* 2, as: __m128i.self))
        let high = _mm256_cvtph_ps(base.loadUnaligned(fromByteOffset: index &* 2 &+ 16, as: __m128i.self))
        return SIMD16(lowHalf: unsafeBitCast(low, to: SIMD8<Float>.self), highHalf: unsafeBitCast(high, to: SIMD8<Float>.self))
        #else
        var result = SIMD16<Float>()
        for lane in 0 ..< 16 { result[lane] = element(base, index &+ lane) }
        return result
        #endif
    }

    @inline(__always)
    static func element(_ base: UnsafeRawPointer, _ index: Int) -> Float {
        Float(fp16Bits: base.loadUnaligned(fromByteOffset: index &* 2, as: UInt16.self))
    }
}
