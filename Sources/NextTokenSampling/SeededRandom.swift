/// The engine's portable pseudo-random number generator: xoshiro256** seeded by splitmix64.
///
/// Both algorithms are the published ones by Blackman and Vigna (prng.di.unimi.it:
/// `xoshiro256starstar.c` and `splitmix64.c`). The 256-bit state is filled with the first four
/// outputs of a splitmix64 generator started at `seed`, which never yields the all-zero state.
/// Only wrapping 64-bit integer arithmetic is used, so the same seed gives the same stream on
/// every platform and in every build configuration.
///
/// One request owns one generator; the sampler draws exactly one ``nextUniform()`` per emitted
/// token (see ``Sampler``), which is what lets speculative decoding reproduce plain sampling
/// token for token.
public struct SeededRandom: RandomNumberGenerator, Sendable {
    private var s0: UInt64
    private var s1: UInt64
    private var s2: UInt64
    private var s3: UInt64

    /// A generator whose stream is fully determined by `seed`.
    public init(seed: UInt64) {
        var mixer = seed
        s0 = Self.splitMix64(&mixer)
        s1 = Self.splitMix64(&mixer)
        s2 = Self.splitMix64(&mixer)
        s3 = Self.splitMix64(&mixer)
    }

    /// The next 64 random bits (one xoshiro256** step).
    public mutating func next() -> UInt64 {
        let result = (s1 &* 5).rotatedLeft(by: 7) &* 9
        let shifted = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= shifted
        s3 = s3.rotatedLeft(by: 45)
        return result
    }

    /// A uniform `Double` in `[0, 1)`: the top 53 bits of ``next()`` times 2⁻⁵³.
    ///
    /// Every value is a multiple of 2⁻⁵³, so `1.0` is never returned.
    public mutating func nextUniform() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// One splitmix64 step: advances `state` by the golden-ratio increment and mixes it.
    private static func splitMix64(_ state: inout UInt64) -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

extension UInt64 {
    @inline(__always)
    fileprivate func rotatedLeft(by count: UInt64) -> UInt64 {
        (self << count) | (self >> (64 &- count))
    }
}
